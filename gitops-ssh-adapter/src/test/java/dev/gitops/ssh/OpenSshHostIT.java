package dev.gitops.ssh;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.testing.ssh.OpenSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The {@link HostContract} over {@link SshHost} against a real OpenSSH {@code sshd} on loopback. */
class OpenSshHostIT implements HostContract {
  @AutoClose private static OpenSshd sshd;
  @AutoClose private static SshHost host;
  @TempDir
  Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    assumeTrue(OpenSshd.available(), "OpenSSH sshd not installed at /usr/sbin/sshd: skipping");
    sshd = OpenSshd.start(Files.createTempDirectory("openssh"));
    host = SshClients.to(sshd).build();
  }

  @Override
  public Host host() {
    return host;
  }

  @Override
  public Path dir() {
    return dir;
  }
}
