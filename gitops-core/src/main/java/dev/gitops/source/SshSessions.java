package dev.gitops.source;

import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.KeyPasswordProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * Builds JGit's Apache MINA SSHD session factory for one source: public-key authentication with the
 * given key (or the user's default keys, loaded once and cached), strict known_hosts checking, no
 * {@code ~/.ssh/config}; the only ssh config is the algorithm policy of {@link GitSshConfig}
 * ({@code curve25519-sha256} and AES-GCM first, or the post-quantum hybrids first).
 * Not part of the public API.
 */
final class SshSessions {
  private SshSessions() {}

  /**
   * A session factory; close it with the source.
   *
   * @param key private key file, or null for the defaults in {@code ~/.ssh}
   * @param passphrase the key's passphrase, or null
   * @param hosts the strict known_hosts database
   * @param postQuantumFirst offer the post-quantum hybrid key exchanges before {@code curve25519-sha256}
   */
  public static SshdSessionFactory factory(Path key, char[] passphrase, StrictKnownHosts hosts,
      boolean postQuantumFirst) {
    GitSshConfig algorithms = new GitSshConfig(postQuantumFirst);
    java.io.File home = new java.io.File(System.getProperty("user.home"));
    SshdSessionFactoryBuilder builder = new SshdSessionFactoryBuilder()
        .setHomeDirectory(home)
        .setSshDirectory(new java.io.File(home, ".ssh"))
        .setPreferredAuthentications("publickey")
        .setConfigStoreFactory((homeDir, configFile, user) -> algorithms)
        .setServerKeyDatabase((homeDir, sshDir) -> hosts)
        .setKeyPasswordProvider(provider -> new FixedPassphrase(passphrase));
    if (key != null) {
      builder.setDefaultIdentities(sshDir -> List.of(key));
    }
    return builder.build(new JGitKeyCache());
  }

  /** Answers the configured passphrase once per key, and gives up after that. */
  private static final class FixedPassphrase implements KeyPasswordProvider {
    private final char[] passphrase;
    private int attempts = 1;

    FixedPassphrase(char[] passphrase) {
      this.passphrase = passphrase == null ? null : passphrase.clone();
    }

    @Override
    public char[] getPassphrase(URIish uri, int attempt) {
      return passphrase == null || attempt > 0 ? null : passphrase.clone();
    }

    @Override
    public void setAttempts(int maxNumberOfAttempts) {
      attempts = maxNumberOfAttempts;
    }

    @Override
    public int getAttempts() {
      return attempts;
    }

    @Override
    public boolean keyLoaded(URIish uri, int attempt, Exception error) {
      return false;
    }
  }
}
