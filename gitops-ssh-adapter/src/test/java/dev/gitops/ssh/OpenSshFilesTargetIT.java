package dev.gitops.ssh;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.testing.ssh.OpenSshd;
import java.nio.file.Files;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract suites over {@link SshHost} against a real OpenSSH {@code sshd} started on loopback;
 * skipped when {@code /usr/sbin/sshd} is absent.
 */
class OpenSshFilesTargetIT extends FilesTargetSuite {
  @AutoClose private static OpenSshd sshd;

  @BeforeAll
  static void startServer() throws Exception {
    assumeTrue(OpenSshd.available(), "OpenSSH sshd not installed at /usr/sbin/sshd: skipping "
        + "(apt-get install openssh-server)");
    sshd = OpenSshd.start(Files.createTempDirectory("openssh"));
  }

  @Override
  Host openHost() throws Exception {
    return SshClients.to(sshd).build();
  }
}
