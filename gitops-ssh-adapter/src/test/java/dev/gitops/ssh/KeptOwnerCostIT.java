package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.apply.ApplyReport;
import dev.gitops.testing.ssh.OpenSshd;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What keeping the owners of the files an update replaces costs, as root on a real {@code sshd}:
 * the same update of ten files one directory deep, counted ({@link CountingHost}) once with the files
 * root's ({@code 0:0}: nothing to keep) and once with them {@code nobody}'s. Over SFTP the owner goes
 * with the write (one {@code fsetstat} on the open handle, in the flight of the data); through
 * OpenSSH's {@code ssh} the {@code chown} is in the write's script: no command more.
 */
class KeptOwnerCostIT {
  private static final int FILES = 10;
  private static final int NOBODY = 65534;
  private static OpenSshd sshd;
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(SshClients.systemSshAvailable(), "OpenSSH sshd or ssh not installed: skipping");
    assumeTrue("root".equals(System.getProperty("user.name")), "only root may give a file away: skipping");
    sshd = OpenSshd.start(Files.createTempDirectory("openssh-kept-owner-cost"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (sshd != null) {
      sshd.close();
    }
  }

  private static Map<String, String> version(String v) {
    Map<String, String> files = new HashMap<>();
    for (int i = 0; i < FILES; i++) {
      files.put("hosts/web/conf/f" + i + ".conf", "version = " + v + "\n");
    }
    return files;
  }

  /** The update's counts, its files first given {@code uid}:{@code uid}; checks that they keep it. */
  private CountingHost update(Host host, Path root, int uid) throws Exception {
    Files.createDirectories(root);
    try (FilesTarget target = FilesTarget.of(host, root.toString())) {
      assertTrue(Reconcile.once(target, version("1"), "web").isSuccess());
    }
    for (int i = 0; i < FILES; i++) {
      Path f = root.resolve("conf/f" + i + ".conf");
      Files.setAttribute(f, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(f, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
    }
    CountingHost counting = new CountingHost(host);
    try (FilesTarget target = FilesTarget.of(counting.host(), root.toString())) {
      ApplyReport r = Reconcile.once(target, version("2"), "web");
      assertTrue(r.isSuccess(), r::toString);
    }
    for (int i = 0; i < FILES; i++) {
      Path f = root.resolve("conf/f" + i + ".conf");
      assertEquals(uid, (Integer) Files.getAttribute(f, "unix:uid", LinkOption.NOFOLLOW_LINKS), "kept");
      assertEquals("version = 2\n", Files.readString(f));
    }
    return counting;
  }

  @Test
  void overSftpKeepingOwnersAddsOneRequestAFileAndNoRoundTrip() throws Exception {
    try (SshHost host = SshClients.to(sshd).build()) {
      CountingHost roots = update(host, dir.resolve("roots"), 0);
      CountingHost nobodys = update(host, dir.resolve("nobodys"), NOBODY);
      System.out.println("SshHost, " + FILES + " files: root's " + roots.fileOps() + " file ops, nobody's "
          + nobodys.fileOps() + " (chown " + nobodys.calls("chown") + ", stat " + nobodys.calls("stat") + ", rename "
          + nobodys.calls("rename") + ", write " + nobodys.calls("write") + ", owner " + nobodys.calls("owner") + ")");
      assertEquals(roots.calls("chown") + roots.calls("rename") + roots.calls("write"),
          nobodys.calls("chown") + nobodys.calls("rename") + nobodys.calls("write"),
          "the owner goes with the pipelined write and rename: no chown, write or rename of their own");
      assertTrue(nobodys.calls("stat") < roots.calls("stat") + FILES / 2, "nor a look at each temporary file");
      assertEquals(FILES, nobodys.calls("owner"), "one fsetstat a file more, with the data");
      assertEquals(roots.execs(), nobodys.execs());
    }
  }

  @Test
  void throughOpenSshKeepingOwnersAddsNoCommand() throws Exception {
    try (SystemSshHost host = SshClients.system(sshd).build()) {
      CountingHost roots = update(host, dir.resolve("roots"), 0);
      CountingHost nobodys = update(host, dir.resolve("nobodys"), NOBODY);
      System.out.println("SystemSshHost, " + FILES + " files: root's " + roots.execs() + " commands + "
          + roots.fileOps() + " file ops, nobody's " + nobodys.execs() + " + " + nobodys.fileOps());
      int commands = roots.execs() + roots.fileOps(); // each file operation is one ssh command here
      assertTrue(nobodys.execs() + nobodys.fileOps() - nobodys.calls("owner") < commands + FILES / 2,
          "the chown is in the write's script, no command of its own: " + commands);
    }
  }
}
