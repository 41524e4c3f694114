package dev.gitops.ssh;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.testing.ssh.OpenSshd;
import java.nio.file.Files;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract suites over {@link SystemSshHost} (the system's {@code ssh}, every file operation a
 * shell script through it) against a real OpenSSH {@code sshd} started on loopback; skipped when
 * {@code sshd} or {@code ssh} is not installed. Opt-in ({@code -Dgitops.it.systemSshFiles=true}):
 * every file operation is a remote login shell of its own, and where that shell's start-up is slow
 * (0.5-0.75 s of CPU on the CI machines: root's {@code .bashrc} runs {@code pyenv init}) the suite
 * runs for more than an hour and keeps both cores busy, where {@link OpenSshFilesTargetIT} takes three
 * minutes. {@link SystemSshHostIT} runs every {@code Host} operation over the same client by default.
 */
class SystemSshFilesTargetIT extends FilesTargetSuite {
  @AutoClose private static OpenSshd sshd;

  @BeforeAll
  static void startServer() throws Exception {
    assumeTrue(SshClients.systemSshAvailable(), "OpenSSH sshd or ssh not installed: skipping "
        + "(apt-get install openssh-server openssh-client)");
    assumeTrue(Boolean.getBoolean("gitops.it.systemSshFiles"), "one remote shell per file operation: opt-in "
        + "with -Dgitops.it.systemSshFiles=true (over an hour where the login shell starts slowly)");
    sshd = OpenSshd.start(Files.createTempDirectory("openssh"));
  }

  @Override
  Host openHost() throws Exception {
    return SshClients.system(sshd).build();
  }
}
