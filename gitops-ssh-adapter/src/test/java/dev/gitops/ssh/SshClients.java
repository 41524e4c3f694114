package dev.gitops.ssh;

import dev.gitops.testing.ssh.OpenSshd;
import java.io.IOException;

/** {@link SshHost} and {@link SystemSshHost} builders that reach the test servers of gitops-testing. */
public final class SshClients {
  private SshClients() {
  }

  /** Logs in to {@code sshd} as the test's user with its user key, knowing its host key only. */
  public static SshHost.Builder to(OpenSshd sshd) throws IOException {
    return SshHost.builder().host(sshd.host()).port(sshd.port()).user(OpenSshd.user())
        .identity(sshd.userKey(), null).knownHosts(sshd.knownHosts());
  }

  /** The same login through the system's OpenSSH client ({@link SystemSshHost}). */
  public static SystemSshHost.Builder system(OpenSshd sshd) {
    return SystemSshHost.builder().host(sshd.host()).port(sshd.port()).user(OpenSshd.user())
        .identity(sshd.userKey()).knownHosts(sshd.knownHosts());
  }

  /** {@return whether the OpenSSH server and client are both installed} */
  public static boolean systemSshAvailable() {
    return OpenSshd.available() && SystemSshHost.onPath("ssh");
  }
}
