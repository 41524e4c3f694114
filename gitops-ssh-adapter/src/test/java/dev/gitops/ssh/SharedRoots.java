package dev.gitops.ssh;

import static dev.gitops.ssh.FilesTargetContract.OWNER;
import static dev.gitops.ssh.FilesTargetContract.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.plan.Action;
import dev.gitops.target.Lockable;
import dev.gitops.target.TargetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What every host kind that writes a files target must do with a root someone else may write: the
 * scenarios, run by {@link SharedRootTest} (LocalHost, Host's script) and {@link SftpSharedRootIT} (SFTP
 * against MINA SSHD and OpenSSH's sshd). The files are on this machine, so a neighbour is played here.
 */
final class SharedRoots {
  private SharedRoots() {}

  /**
   * The root is {@code 0777}; a neighbour swaps {@code .gitops} for a symlink to a folder outside the
   * root right after gitops looks at it ({@link Swapping}), once before a force unlock (which deletes the
   * lock by its path) and once before a lock is taken (which writes it by its path). Nothing outside may
   * be deleted nor written; both are refused, naming the root, why and the option that trusts it.
   */
  static void stateFolderSwappedAfterItsLook(Host host, Path dir) throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Path victim = Files.writeString(outside.resolve("lock"), "not gitops's\n");
    Files.setAttribute(victim, "unix:mode", 0600);
    try (FilesTarget target = FilesTarget.of(host, root.toString())) {
      target.lock("first", Duration.ofMinutes(1)).close(); // makes .gitops, 0700
    }
    Files.setAttribute(root, "unix:mode", 0777); // the neighbour may write the root from now on
    Swapping swapping = new Swapping(host, root.resolve(".gitops"), outside);
    try (FilesTarget target = FilesTarget.of(swapping, root.toString())) {
      TargetException unlock = assertThrows(TargetException.class, target::forceUnlock);
      assertEquals("not gitops's\n", Files.readString(victim), "deleted outside the root");
      swapping.undo();
      TargetException take = assertThrows(TargetException.class, () -> target.lock("second", Duration.ofMinutes(1)));
      for (TargetException e : List.of(unlock, take)) {
        assertTrue(e.getMessage().contains("the root " + root + " is writable by others (mode 0777) on the host")
            && e.getMessage().contains("FilesTarget.Options.withTrustedFolders"), e.getMessage());
      }
    }
    swapping.seenOutside.remove("lock"); // the neighbour's own file
    assertEquals(Set.of(), swapping.seenOutside, "written outside the root");
    assertEquals(Set.of("lock"), names(outside), "written outside the root");
  }

  /**
   * A root of another user ({@code nobody}, as {@code /var/www} of {@code www-data} deployed to as root),
   * group-writable, with a folder made under {@code umask 002}: refused, the message naming the option;
   * written, locked and recorded once the root is trusted; a trusted folder below the root trusts
   * nothing above it. A host that tells no owner (MINA's SFTP) is refused for the group's write alone.
   */
  static void trustedRootIsWrittenUnderAndOnlyIt(Host host, Path dir) throws Exception {
    Path root = Files.createDirectories(dir.resolve("www"));
    Path pub = Files.createDirectories(root.resolve("pub"));
    Files.setAttribute(pub, "unix:mode", 0775); // umask 002
    try {
      Files.setAttribute(root, "unix:uid", 65534);
      Files.setAttribute(root, "unix:gid", 65534);
    } catch (java.nio.file.FileSystemException e) {
      assumeTrue(false, "cannot give a folder to nobody (the tests run as root in the sandbox): skipping");
    }
    Files.setAttribute(root, "unix:mode", 0775);
    String file = "pub/a.conf";
    FilesTarget.Options below = FilesTarget.Options.defaults().withTrustedFolders(List.of(pub.toString()));
    for (FilesTarget.Options options : List.of(FilesTarget.Options.defaults(), below)) {
      try (FilesTarget target = FilesTarget.of(host, root.toString(), options)) {
        TargetException write = assertThrows(TargetException.class,
            () -> target.apply(new Action.Create(text(file, "v1\n")), OWNER));
        TargetException lock = assertThrows(TargetException.class, () -> target.lock("gitops", Duration.ofMinutes(1)));
        for (TargetException e : List.of(write, lock)) {
          assertTrue(e.getMessage().contains("the root " + root + " is ")
              && e.getMessage().contains("FilesTarget.Options.withTrustedFolders"), e.getMessage());
        }
      }
    }
    assertEquals(Set.of("pub"), names(root), "written under a refused root");
    FilesTarget.Options trusted = FilesTarget.Options.defaults().withTrustedFolders(List.of(root + "/"));
    try (FilesTarget target = FilesTarget.of(host, root.toString(), trusted);
         Lockable.Lock lock = target.lock("gitops", Duration.ofMinutes(1))) {
      target.apply(new Action.Create(text(file, "v1\n")), OWNER);
      target.apply(new Action.Create(text("top.conf", "t\n")), OWNER);
      target.record(new dev.gitops.target.DeployHistory.Deployment("abc", "main", "2 created", "applied",
          java.time.Instant.parse("2026-12-07T20:00:00Z"), "test"), 5);
      assertEquals("gitops", lock.holder());
    }
    assertEquals("v1\n", Files.readString(pub.resolve("a.conf")));
    assertEquals("t\n", Files.readString(root.resolve("top.conf")));
    assertTrue(Files.isRegularFile(root.resolve(".gitops/history.json")));
  }

  /**
   * The root ({@code srv/app}) is the user's and no one else may write it, but the folder it is in is
   * {@code 0777}: a neighbour could rename the root away and put a symlink or a folder of theirs in its
   * place. Writes and the lock are refused, naming that folder, why and the option, as is a root still to
   * be made in it; a trusted folder at or above the root stops the judging, and a sticky such folder is
   * written under (only the root's owner, the folder's owner and root may rename the root there). A root
   * named through a symlink is refused, naming it: what it leads to would go unjudged.
   */
  static void folderAboveTheRootOthersMayWrite(Host host, Path dir) throws Exception {
    Path srv = Files.createDirectories(dir.resolve("srv"));
    Path root = Files.createDirectories(srv.resolve("app"));
    Files.setAttribute(srv, "unix:mode", 0777);
    for (Path named : List.of(root, srv.resolve("new"))) {
      try (FilesTarget target = FilesTarget.of(host, named.toString())) {
        TargetException write = assertThrows(TargetException.class,
            () -> target.apply(new Action.Create(text("a.conf", "v1\n")), OWNER));
        TargetException lock = assertThrows(TargetException.class, () -> target.lock("gitops", Duration.ofMinutes(1)));
        for (TargetException e : List.of(write, lock)) {
          assertTrue(e.getMessage().contains("the folder " + srv + " above the root " + named
              + " is writable by others (mode 0777) on the host")
              && e.getMessage().contains("FilesTarget.Options.withTrustedFolders"), e.getMessage());
        }
      }
    }
    assertEquals(Set.of("app"), names(srv), "a root made in a folder others may write");
    assertEquals(Set.of(), names(root), "written under a root others may swap");
    List<String> trusted = List.of(srv.toString(), root.toString(), dir.toString());
    for (int i = 0; i < trusted.size(); i++) {
      FilesTarget.Options options = FilesTarget.Options.defaults().withTrustedFolders(List.of(trusted.get(i)));
      try (FilesTarget target = FilesTarget.of(host, root.toString(), options);
           Lockable.Lock lock = target.lock("gitops", Duration.ofMinutes(1))) {
        target.apply(new Action.Create(text("t" + i + ".conf", "t\n")), OWNER);
      }
    }
    Files.setAttribute(srv, "unix:mode", 01777);
    try (FilesTarget target = FilesTarget.of(host, root.toString());
         Lockable.Lock lock = target.lock("gitops", Duration.ofMinutes(1))) {
      target.apply(new Action.Create(text("sticky.conf", "s\n")), OWNER);
    }
    assertEquals(Set.of(".gitops", "sticky.conf", "t0.conf", "t1.conf", "t2.conf"), names(root));
    Path link = Files.createSymbolicLink(dir.resolve("link"), srv); // the root named through a symlink
    try (FilesTarget target = FilesTarget.of(host, link.resolve("app").toString())) {
      TargetException e = assertThrows(TargetException.class,
          () -> target.apply(new Action.Create(text("link.conf", "l\n")), OWNER));
      assertTrue(e.getMessage().contains(link + ", above the root " + link.resolve("app") + ", is a symlink on the host")
          && e.getMessage().contains("name the root by its real path"), e.getMessage());
    }
    assertEquals(Set.of(".gitops", "sticky.conf", "t0.conf", "t1.conf", "t2.conf"), names(root));
  }

  /**
   * A target that locked and wrote under a root no one else could write, whose root is then opened to
   * others (or the folder above it) before its next run, which starts with a write or a lock and no read:
   * the next run is refused, judged anew, never by the first run's verdict.
   */
  static void rootOpenedBetweenRunsIsJudgedAgain(Host host, Path dir) throws Exception {
    Path srv = Files.createDirectories(dir.resolve("srv"));
    Path root = Files.createDirectories(srv.resolve("app"));
    try (FilesTarget target = FilesTarget.of(host, root.toString())) {
      try (Lockable.Lock lock = target.lock("first", Duration.ofMinutes(1))) {
        target.apply(new Action.Create(text("a.conf", "v1\n")), OWNER);
      }
      Files.setAttribute(root, "unix:mode", 0777);
      TargetException write = assertThrows(TargetException.class,
          () -> target.apply(new Action.Create(text("b.conf", "v1\n")), OWNER));
      TargetException lock = assertThrows(TargetException.class, () -> target.lock("second", Duration.ofMinutes(1)));
      for (TargetException e : List.of(write, lock)) {
        assertTrue(e.getMessage().contains("the root " + root + " is writable by others (mode 0777)"), e.getMessage());
      }
      Files.setAttribute(root, "unix:mode", 0755);
      target.lock("third", Duration.ofMinutes(1)).close();
      Files.setAttribute(srv, "unix:mode", 0777);
      TargetException above = assertThrows(TargetException.class, () -> target.lock("fourth", Duration.ofMinutes(1)));
      assertTrue(above.getMessage().contains("the folder " + srv + " above the root " + root), above.getMessage());
    }
    assertEquals(Set.of(".gitops", "a.conf"), names(root));
  }

  private static Set<String> names(Path folder) throws IOException {
    try (Stream<Path> all = Files.list(folder)) {
      return new TreeSet<>(all.map(p -> p.getFileName().toString()).toList());
    }
  }

  /**
   * A neighbour who may write the root: right after gitops's look at {@code state} finds a directory,
   * moves it aside and puts a symlink to {@code outside} in its place, once until {@link #undo}. Notes
   * what is in {@code outside} before each delete gitops asks for (a temporary file written there and
   * removed again). State files are written as the wrapped host writes them under a root.
   */
  static final class Swapping extends ForwardingHost {
    private final Path state;
    private final Path outside;
    private boolean armed = true;
    final Set<String> seenOutside = new TreeSet<>();

    Swapping(Host host, Path state, Path outside) {
      super(host);
      this.state = state;
      this.outside = outside;
    }

    @Override
    public synchronized Stat stat(String path) throws IOException {
      Stat seen = host.stat(path);
      if (armed && path.equals(state.toString()) && seen.type() == Stat.Type.DIRECTORY) {
        armed = false;
        Files.move(state, state.resolveSibling(".gitops.aside"));
        Files.createSymbolicLink(state, outside);
      }
      return seen;
    }

    /** Puts the state folder back, and acts again at the next look. */
    synchronized void undo() throws IOException {
      if (Files.isSymbolicLink(state)) {
        Files.delete(state);
        Files.move(state.resolveSibling(".gitops.aside"), state);
      }
      armed = true;
    }

    @Override
    public void writeAndRename(String tmp, String path, byte[] data, int permissions, boolean replace, String root)
        throws IOException {
      try {
        host.writeAndRename(tmp, path, data, permissions, replace, root);
      } finally {
        seenOutside.addAll(names(outside));
      }
    }

    @Override
    public boolean delete(String path) throws IOException {
      seenOutside.addAll(names(outside));
      return host.delete(path);
    }
  }
}
