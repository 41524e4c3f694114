package dev.gitops.ssh;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.testing.ssh.OpenSshd;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract suites over {@link SshHost} against a real OpenSSH {@code sshd} started on loopback;
 * skipped when {@code /usr/sbin/sshd} is absent.
 */
class OpenSshFilesTargetIT extends FilesTargetSuite {
  private static OpenSshd sshd;

  @BeforeAll
  static void startServer() throws Exception {
    assumeTrue(OpenSshd.available(), "OpenSSH sshd not installed at /usr/sbin/sshd: skipping "
        + "(apt-get install openssh-server)");
    sshd = OpenSshd.start(Files.createTempDirectory("openssh"));
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (sshd != null) {
      sshd.close();
    }
  }

  @Override
  Host openHost() throws Exception {
    return SshClients.to(sshd).build();
  }
}
