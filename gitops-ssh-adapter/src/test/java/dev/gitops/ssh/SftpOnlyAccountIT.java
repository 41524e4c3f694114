package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.target.TargetException;
import dev.gitops.testing.ssh.OpenSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An account that runs only SFTP ({@code ForceCommand internal-sftp}, a common hardening of a
 * deploy account): every command is answered by an SFTP server, which takes the command's first
 * bytes for a packet length and exits. A plan fails at its read saying so, over both SSH hosts,
 * and nothing is written. Before, {@code SshHost} said {@code cannot read: write(ChannelOutputStream[...])
 * len=2547 - channel already closed} and {@code SystemSshHost} {@code read script exited with 1: }.
 */
class SftpOnlyAccountIT {
  @AutoClose private static OpenSshd sshd;
  @TempDir
  Path root;

  @BeforeAll
  static void startServer() throws Exception {
    assumeTrue(OpenSshd.available(), "OpenSSH sshd not installed at /usr/sbin/sshd: skipping");
    sshd = OpenSshd.start(Files.createTempDirectory("openssh-sftp-only"), "ForceCommand internal-sftp");
  }

  private void refused(Host host) throws Exception {
    try (FilesTarget target = FilesTarget.of(host, root.toString())) {
      TargetException e = assertThrows(TargetException.class,
          () -> Reconcile.plan(target, Map.of("hosts/web/app.conf", "port = 80\n"), "web"));
      assertTrue(e.getMessage().contains("the read script did not run: the host printed 'This service allows sftp"
          + " connections only.' and exited with 1: ") && e.getMessage().contains(
          "an account that runs only SFTP (ForceCommand internal-sftp, an sftp-only login shell)"), e.getMessage());
    }
    try (var left = Files.list(root)) {
      assertTrue(left.findAny().isEmpty(), "nothing written");
    }
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void sshHostSaysTheAccountRunsNoCommand() throws Exception {
    try (SshHost host = SshClients.to(sshd).build()) {
      refused(host);
    }
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void systemSshHostSaysTheAccountRunsNoCommand() throws Exception {
    assumeTrue(SystemSshHost.onPath("ssh"), "ssh is not installed: skipping");
    try (SystemSshHost host = SshClients.system(sshd).build()) {
      refused(host);
    }
  }
}
