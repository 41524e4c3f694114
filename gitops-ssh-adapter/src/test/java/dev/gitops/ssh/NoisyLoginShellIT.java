package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.apply.ApplyReport;
import dev.gitops.plan.Plan;
import dev.gitops.target.TargetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * A login shell that prints before it runs the command, as a {@code .bashrc} that echoes a banner
 * does (bash reads it for every command {@code sshd} runs): MINA's server runs each exec request as
 * {@code <login shell> -c <command line>}, and the login shells here print a line on standard error
 * or on standard output, then run {@code sh}. Both SSH hosts deploy, read, update and run a handler as
 * on a quiet host, or fail saying why; nothing is misread.
 */
class NoisyLoginShellIT {
  private static final String OWNER = "noisy";
  private static MinaServer server;
  private static Path quiet;
  private static Path loud;
  @TempDir
  Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    Path home = Files.createTempDirectory("mina-noisy");
    server = MinaServer.start(home);
    quiet = shell(home.resolve("stderr-shell"), "echo 'bashrc: pyenv: command not found' >&2");
    loud = shell(home.resolve("stdout-shell"), "echo 'Welcome to web1! gitops-read 1 0'");
  }

  /** A login shell that runs {@code noise} (what its start-up file does), then {@code sh}. */
  private static Path shell(Path file, String noise) throws Exception {
    Files.writeString(file, String.join("\n", "#!/bin/sh", noise, "exec sh \"$@\"", ""));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static Map<String, String> tree(String conf) {
    String yaml = String.join("\n", "handlers:", "  - name: reload", "    command: echo reloaded >> reloads.log",
        "    watch: [\"etc/**\"]", "");
    return Map.of("hosts/web/.gitops.yaml", yaml, "hosts/web/etc/app.conf", conf,
        "hosts/web/etc/big.bin", "x".repeat((int) HostDigests.FROM_BYTES + 1));
  }

  private void deploys(Host host, Path root) throws Exception {
    Files.createDirectories(root);
    try (FilesTarget target = FilesTarget.of(host, root.toString())) {
      ApplyReport first = Reconcile.once(target, tree("port = 80\n"), OWNER);
      assertTrue(first.isSuccess(), first.toString());
    }
    assertEquals("port = 80\n", Files.readString(root.resolve("etc/app.conf")));
    try (FilesTarget target = FilesTarget.of(host, root.toString())) {
      Plan none = Reconcile.plan(target, tree("port = 80\n"), OWNER);
      assertTrue(none.isEmpty(), none.render());
      ApplyReport second = Reconcile.once(target, tree("port = 81\n"), OWNER);
      assertTrue(second.isSuccess(), second.toString());
    }
    assertEquals("port = 81\n", Files.readString(root.resolve("etc/app.conf")));
    assertEquals("reloaded\nreloaded\n", Files.readString(root.resolve("reloads.log")));
    try (FilesTarget target = FilesTarget.of(host, root.toString())) {
      assertTrue(Reconcile.plan(target, tree("port = 81\n"), OWNER).isEmpty());
    }
  }

  /** Noise on standard error only (a warning of a start-up file): every step works as on a quiet host. */
  @Test
  void sshHostDeploysUnderAShellThatWarnsOnStandardError() throws Exception {
    server.loginShell(quiet.toString());
    try (SshHost host = server.client().build()) {
      deploys(host, dir.resolve("mina"));
    }
  }

  @Test
  void systemSshHostDeploysUnderAShellThatWarnsOnStandardError() throws Exception {
    assumeTrue(SystemSshHost.onPath("ssh"), "ssh is not installed: skipping");
    server.loginShell(quiet.toString());
    try (SystemSshHost host = server.systemClient().build()) {
      deploys(host, dir.resolve("ssh"));
    }
  }

  /**
   * A banner on standard output, ahead of every command's output: the read, which every plan starts
   * with, fails saying what the host printed and why (it said {@code unexpected output from the read
   * script (40 bytes)} before); nothing is written.
   */
  @Test
  void aBannerOnStandardOutputFailsTheReadNamingIt() throws Exception {
    server.loginShell(loud.toString());
    try (SshHost mina = server.client().build()) {
      refused(mina, dir.resolve("mina"));
    }
    if (SystemSshHost.onPath("ssh")) {
      try (SystemSshHost ssh = server.systemClient().build()) {
        refused(ssh, dir.resolve("ssh"));
      }
    }
  }

  /**
   * The same banner ahead of the commands a deploy runs before its read (it takes the lock first), and
   * of every file operation through the system's {@code ssh}, each a shell script whose output is
   * parsed: each fails naming it, and no banner is taken for a file's bytes or a name. Before, the lock
   * failed with {@code NumberFormatException: For input string: "Welcome"}, a read returned the banner
   * ahead of the file's bytes (a lock file read so is unreadable, and taken over a minute on), and a
   * listing glued the banner to the first name.
   */
  @Test
  void aBannerOnStandardOutputFailsEveryShellFileOperationNamingIt() throws Exception {
    assumeTrue(SystemSshHost.onPath("ssh"), "ssh is not installed: skipping");
    server.loginShell(loud.toString());
    Path root = dir.resolve("ssh");
    Files.createDirectories(root);
    String file = Files.writeString(root.resolve("app.conf"), "port = 80\n").toString();
    try (SystemSshHost ssh = server.systemClient().build(); FilesTarget target = FilesTarget.of(ssh, root.toString())) {
      List<Executable> ops = List.of(() -> target.lock("ci", null), () -> ssh.stat(file), () -> ssh.read(file),
          () -> BoundedReads.upTo(ssh, file, 1024), () -> ssh.files(root.toString()));
      for (Executable op : ops) {
        Exception e = assertThrows(Exception.class, op);
        assertTrue(e instanceof IOException || e instanceof TargetException, e.toString());
        assertTrue(e.getMessage().contains("the host printed 'Welcome to web1! gitops-read 1 0' before"), e.getMessage());
      }
    }
    assertFalse(Files.exists(root.resolve(".gitops/lock")), "no lock written");
  }

  private void refused(Host host, Path root) throws Exception {
    Files.createDirectories(root);
    try (FilesTarget target = FilesTarget.of(host, root.toString())) {
      TargetException e = assertThrows(TargetException.class, () -> Reconcile.plan(target, tree("port = 80\n"), OWNER));
      assertTrue(e.getMessage().contains("the host printed 'Welcome to web1! gitops-read 1 0' before the read script's"
          + " output: the login shell's start-up files"), e.getMessage());
    }
    try (var left = Files.list(root)) {
      assertEquals(0, left.count(), "nothing written");
    }
  }
}
