package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyReport;
import dev.gitops.plan.Plan;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Faults of real hosts, each met on every kind of {@link Host} by {@link FilesTargetSuite}: hard
 * links, sockets where a file is desired, a disk that fills up mid-apply, a file someone rewrites
 * between the plan and the apply.
 */
interface HostFaultsContract extends FilesTargetContract {

  /** The files of the tree under {@code hosts/web}, as {@link Reconcile} loads them. */
  private static Map<String, String> tree(String... pathsAndTexts) {
    Map<String, String> out = new java.util.TreeMap<>();
    for (int i = 0; i < pathsAndTexts.length; i += 2) {
      out.put("hosts/web/" + pathsAndTexts[i], pathsAndTexts[i + 1]);
    }
    return out;
  }

  /**
   * False for a host that cannot tell a full disk from a read-only file system: an SFTP server without
   * {@code statvfs@openssh.com} (MINA SSHD's), whose protocol v3 says {@code Failure} for both.
   */
  default boolean namesFileSystemFaults() {
    return true;
  }

  private List<String> leftovers() throws Exception {
    try (Stream<Path> all = Files.walk(root())) {
      return all.filter(p -> p.getFileName().toString().contains("gitops") && !p.toString().contains("/.gitops"))
          .map(Path::toString).toList();
    }
  }

  /**
   * Two names of one file in the root, and a third outside it: GNU tar sends the second name it
   * meets as a link to the first, with no bytes; read so, it looked like an empty file of mode
   * 0000, the plan updated it and the step failed as stale every run. Now each name reads as the
   * bytes it holds, and a write replaces the name it writes (a new file), never the file behind it.
   */
  @Test
  default void hardLinkedFilesReadAsTheirBytesAndAWriteReplacesOnlyItsOwnName() throws Exception {
    Map<String, String> same = tree("etc/a.conf", "shared = 1\n", "etc/b.conf", "shared = 1\n");
    assertTrue(Reconcile.once(fresh(), same, OWNER).isSuccess());
    Path outside = Files.createDirectories(root().resolveSibling("outside-hard"));
    Path precious = Files.writeString(outside.resolve("precious.conf"), "shared = 1\n");
    Files.setAttribute(precious, "unix:mode", 0644);
    for (String name : List.of("etc/a.conf", "etc/b.conf")) { // as a deduplicating backup tool leaves them
      Files.delete(root().resolve(name));
      Files.createLink(root().resolve(name), precious);
    }
    Plan none = Reconcile.plan(fresh(), same, OWNER);
    assertTrue(none.isEmpty(), none.render());

    ApplyReport changed = Reconcile.once(fresh(), tree("etc/a.conf", "mine = 2\n", "etc/b.conf", "shared = 1\n"), OWNER);
    assertTrue(changed.isSuccess(), changed.toString());
    assertEquals("mine = 2\n", Files.readString(root().resolve("etc/a.conf")));
    assertEquals("shared = 1\n", Files.readString(precious), "the file outside is never written through its link");
    assertEquals("shared = 1\n", Files.readString(root().resolve("etc/b.conf")));
    assertFalse(Files.isSameFile(precious, root().resolve("etc/a.conf")), "a.conf is a file of its own now");
    assertTrue(Files.isSameFile(precious, root().resolve("etc/b.conf")), "b.conf, unchanged, was left alone");
    assertTrue(Reconcile.plan(fresh(), tree("etc/a.conf", "mine = 2\n", "etc/b.conf", "shared = 1\n"), OWNER)
        .isEmpty());
  }

  /**
   * A socket where a file is desired: GNU tar skips sockets ({@code socket ignored}), so the read
   * finds nothing and the plan creates the file; the create never writes over it and says what is
   * there. A FIFO where a directory is desired is named as no directory. Nothing waits, nothing
   * is opened, both stay.
   */
  @Test
  default void aSocketOrAFifoWhereAFileOrADirectoryIsDesiredIsNamedAndLeftAlone() throws Exception {
    Path socket = root().resolve("app.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
    }
    Path fifo = root().resolve("pipe");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    ApplyReport report = assertTimeoutPreemptively(Duration.ofSeconds(90),
        () -> Reconcile.once(fresh(), tree("app.sock", "not a socket\n", "pipe/app.conf", "x\n"), OWNER));
    assertEquals(List.of(dev.gitops.model.ResourceId.file("app.sock")), report.stale(), report.toString());
    String message = report.toString();
    assertTrue(message.contains("app.sock") && message.contains("found a FIFO, socket or device"), message);
    assertTrue(message.contains("'pipe' is not a directory on the host"), message);
    assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(socket, LinkOption.NOFOLLOW_LINKS),
        "left as it was");
    assertTrue(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(fifo, LinkOption.NOFOLLOW_LINKS));
    assertEquals(List.of(), leftovers(), "no temporary file left");
  }

  /**
   * The disk fills up during an apply: the step fails naming the path and the OS's reason, the file
   * it would have replaced keeps its bytes, no temporary file stays, the inventory still says what
   * this owner wrote before; once space is freed the next run converges.
   */
  @Test
  default void aDiskThatFillsUpMidApplyKeepsTheOldFileAndTheNextRunConverges() throws Exception {
    Map<String, String> v1 = tree("etc/app.conf", "port = 80\n", "etc/db.conf", "pool = 5\n");
    assertTrue(Reconcile.once(fresh(), v1, OWNER).isSuccess());
    Map<String, String> v2 = tree("etc/app.conf", "port = 8080\n", "etc/db.conf", "pool = 5\n", "etc/new.conf", "n\n");
    FilesTarget full = FilesTarget.of(new FullDiskHost(files().host()), root().toString());
    ApplyReport report = new dev.gitops.apply.Applier().apply(Reconcile.plan(fresh(), v2, OWNER), full,
        dev.gitops.apply.ApplyOptions.defaults().withRetry(1, Duration.ZERO, Duration.ZERO));
    assertEquals(2, report.failures().size(), report.toString());
    for (var failed : report.failures()) {
      String message = failed.cause().getMessage();
      assertTrue(message.contains("No space left on device") && message.contains("/etc/"), message);
    }
    assertEquals("port = 80\n", Files.readString(root().resolve("etc/app.conf")), "the good file is kept");
    assertFalse(Files.exists(root().resolve("etc/new.conf")));
    assertEquals(List.of(), leftovers(), "no temporary file left");
    Plan again = Reconcile.plan(fresh(), v2, OWNER);
    assertEquals("Plan: 1 to create, 1 to update, 0 to delete, 0 to adopt.", again.summary(), again.render());

    assertTrue(Reconcile.once(fresh(), v2, OWNER).isSuccess());
    assertEquals("port = 8080\n", Files.readString(root().resolve("etc/app.conf")));
    assertTrue(Reconcile.plan(fresh(), v2, OWNER).isEmpty());
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
  }

  /**
   * Real file-system faults, on a small {@code tmpfs} mounted at {@code data/} (needs root; skipped
   * otherwise): full ({@code ENOSPC} part-way through the temporary file), then read-only
   * ({@code EROFS}). Each time the step fails naming the path and the OS's reason, the file keeps its
   * bytes and no temporary file stays (a part-written one would hold the space); once the fault is
   * cleared the next run converges.
   */
  @Test
  default void aFullThenReadOnlyFileSystemFailsTheStepAndTheNextRunConverges() throws Exception {
    Path data = Files.createDirectories(root().resolve("data"));
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", data.toString())
        .redirectErrorStream(true).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0, "cannot mount a tmpfs here (not root?): skipping");
    try {
      Map<String, String> v1 = tree("data/app.conf", "port = 80\n");
      assertTrue(Reconcile.once(fresh(), v1, OWNER).isSuccess());
      Files.write(data.resolve("ballast"), new byte[240 << 10]);
      Map<String, String> v2 = tree("data/app.conf", "port = 8080\n" + "#".repeat(64 << 10) + "\n");
      for (String fault : List.of("No space left on device", "Read-only file system")) {
        if (fault.startsWith("Read-only")) {
          run("mount", "-o", "remount,ro", data.toString());
        }
        ApplyReport report = Reconcile.once(fresh(), v2, OWNER);
        assertEquals(1, report.failures().size(), report.toString());
        String message = report.failures().get(0).cause().getMessage();
        assertTrue(message.contains("/data/") && (message.contains(fault)
            || !namesFileSystemFaults() && message.contains("SFTP v3 names no cause")), message);
        assertEquals("port = 80\n", Files.readString(data.resolve("app.conf")), fault + ": the good file is kept");
        try (Stream<Path> left = Files.list(data)) {
          assertEquals(List.of("app.conf", "ballast"), left.map(p -> p.getFileName().toString()).sorted().toList(), fault);
        }
      }
      run("mount", "-o", "remount,rw", data.toString());
      Files.delete(data.resolve("ballast"));
      assertTrue(Reconcile.once(fresh(), v2, OWNER).isSuccess());
      assertTrue(Reconcile.plan(fresh(), v2, OWNER).isEmpty());
    } finally {
      run("umount", "-l", data.toString());
    }
  }

  /**
   * A directory that cannot be written in the middle of a wave ({@code chattr +i}: even root gets
   * {@code EPERM} there, as a deploy user gets {@code EACCES} in a directory it does not own; skipped
   * where the file system has no such flag): its steps fail naming the path and the OS's reason, the
   * wave's other files are written, nothing temporary stays; once writable, the next run converges.
   */
  @Test
  default void aDirectoryThatCannotBeWrittenFailsItsStepsAloneAndTheNextRunConverges() throws Exception {
    Map<String, String> v1 = tree("a/one.conf", "1\n", "locked/two.conf", "2\n", "z/three.conf", "3\n");
    assertTrue(Reconcile.once(fresh(), v1, OWNER).isSuccess());
    Path locked = root().resolve("locked");
    Process chattr = new ProcessBuilder("chattr", "+i", locked.toString()).redirectErrorStream(true).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(chattr.waitFor() == 0, "no chattr +i here: skipping");
    Map<String, String> v2 = tree("a/one.conf", "1b\n", "locked/two.conf", "2b\n", "locked/new.conf", "n\n",
        "z/three.conf", "3b\n");
    try {
      ApplyReport report = Reconcile.once(fresh(), v2, OWNER);
      assertEquals(2, report.failures().size(), report.toString());
      for (var failed : report.failures()) {
        String message = failed.cause().getMessage();
        assertTrue(message.contains("/locked/") && (message.contains("Operation not permitted")
            || message.contains("Permission denied") || !namesFileSystemFaults()
            && message.contains("a directory the server may not change")), message);
      }
      assertEquals("1b\n", Files.readString(root().resolve("a/one.conf")));
      assertEquals("3b\n", Files.readString(root().resolve("z/three.conf")));
      assertEquals("2\n", Files.readString(locked.resolve("two.conf")));
      assertEquals(List.of(), leftovers(), "no temporary file left");
    } finally {
      run("chattr", "-i", locked.toString());
    }
    assertTrue(Reconcile.once(fresh(), v2, OWNER).isSuccess());
    assertTrue(Reconcile.plan(fresh(), v2, OWNER).isEmpty());
  }

  /**
   * Someone rewrites a managed file between the plan and the apply (same length, same mode): the
   * update is refused as stale and their bytes stay; a delete likewise. The next plan shows their
   * change and repairs it.
   */
  @Test
  default void aFileRewrittenAfterThePlanIsNeverOverwrittenByThatPlan() throws Exception {
    Map<String, String> v1 = tree("app.conf", "port = 80\n", "old.conf", "x = 1\n");
    assertTrue(Reconcile.once(fresh(), v1, OWNER).isSuccess());
    Plan plan = Reconcile.plan(fresh(), tree("app.conf", "port = 81\n"), OWNER);
    Files.writeString(root().resolve("app.conf"), "port = 99\n");
    Files.writeString(root().resolve("old.conf"), "x = 2\n");
    ApplyReport report = Reconcile.apply(fresh(), plan);
    assertEquals(List.of(dev.gitops.model.ResourceId.file("app.conf")), report.stale(), report.toString());
    assertEquals("port = 99\n", Files.readString(root().resolve("app.conf")), "their change is kept");
    assertEquals("x = 2\n", Files.readString(root().resolve("old.conf")), "and not pruned");
    Plan again = Reconcile.plan(fresh(), tree("app.conf", "port = 81\n"), OWNER);
    assertTrue(again.render().contains("port = 99"), again.render());
    assertTrue(Reconcile.apply(fresh(), again).isSuccess());
    assertEquals("port = 81\n", Files.readString(root().resolve("app.conf")));
  }
}
