package dev.gitops.ssh;

import dev.gitops.testing.ssh.OpenSshd;
import java.io.IOException;

/** {@link SshHost} builders that reach the test servers of gitops-testing. */
public final class SshClients {
  private SshClients() {
  }

  /** Logs in to {@code sshd} as the test's user with its user key, knowing its host key only. */
  public static SshHost.Builder to(OpenSshd sshd) throws IOException {
    return SshHost.builder().host(sshd.host()).port(sshd.port()).user(OpenSshd.user())
        .identity(sshd.userKey(), null).knownHosts(sshd.knownHosts());
  }
}
