/**
 * SSH for integration tests: a real OpenSSH {@code sshd} on loopback ({@link
 * dev.gitops.testing.ssh.OpenSshd}) and fresh keys ({@link dev.gitops.testing.ssh.SshKeys}).
 *
 * <pre>{@code
 * try (OpenSshd sshd = OpenSshd.start(tempDir.resolve("sshd"))) {
 *   SshHost host = SshHost.builder().host(sshd.host()).port(sshd.port()).user(OpenSshd.user())
 *       .identity(sshd.userKey(), null).knownHosts(sshd.knownHosts()).build();
 * }
 * }</pre>
 */
package dev.gitops.testing.ssh;
