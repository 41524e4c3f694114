/**
 * The SSH rules every connection of the library follows, in one place: the algorithm policy
 * ({@link dev.gitops.security.SshAlgorithms}), the strict known_hosts check
 * ({@link dev.gitops.security.KnownHosts}) and OpenSSH's rule for private key files
 * ({@link dev.gitops.security.PrivateKeyFiles}). Git over SSH ({@code GitSource}) and hosts
 * ({@code SshHost} in gitops-ssh-adapter) adapt them thinly to JGit and MINA SSHD, so the two
 * transports offer the same algorithms and trust the same keys. The API names algorithms by their
 * SSH names and keys by {@link java.security.PublicKey}; no MINA or JGit type appears in it.
 *
 * <pre>{@code
 * KnownHosts.Verdict v = KnownHosts.of(Path.of("/etc/gitops/known_hosts")).check("git.example.com", 22, key);
 * List<String> kex = SshAlgorithms.keyExchanges(false);   // curve25519-sha256 first
 * }</pre>
 */
package dev.gitops.security;
