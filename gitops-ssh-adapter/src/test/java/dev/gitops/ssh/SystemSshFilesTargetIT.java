package dev.gitops.ssh;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.testing.ssh.OpenSshd;
import java.nio.file.Files;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract suites over {@link SystemSshHost} (the system's {@code ssh}, every file operation a
 * shell script through it) against a real OpenSSH {@code sshd} started on loopback; skipped when
 * {@code sshd} or {@code ssh} is not installed.
 */
class SystemSshFilesTargetIT extends FilesTargetSuite {
  @AutoClose private static OpenSshd sshd;

  @BeforeAll
  static void startServer() throws Exception {
    assumeTrue(SshClients.systemSshAvailable(), "OpenSSH sshd or ssh not installed: skipping "
        + "(apt-get install openssh-server openssh-client)");
    sshd = OpenSshd.start(Files.createTempDirectory("openssh"));
  }

  @Override
  Host openHost() throws Exception {
    return SshClients.system(sshd).build();
  }
}
