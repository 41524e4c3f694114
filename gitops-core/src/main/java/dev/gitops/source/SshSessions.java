package dev.gitops.source;

import dev.gitops.security.PrivateKeyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.transport.SshConstants;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.KeyPasswordProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds JGit's Apache MINA SSHD session factory for one source: public-key authentication with the
 * given key (checked by {@link PrivateKeyFiles} at each new connection) or the user's default keys that pass
 * {@link PrivateKeyFiles}, loaded once and cached;
 * strict known_hosts checking, no {@code ~/.ssh/config}; the only ssh config is the algorithm policy
 * of {@link GitSshConfig} ({@code curve25519-sha256} and AES-GCM first, or the post-quantum hybrids first).
 * Not part of the public API.
 */
final class SshSessions {
  private static final Logger LOG = LoggerFactory.getLogger(SshSessions.class);

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
    builder.setDefaultIdentities(sshDir -> key != null ? List.of(usable(key)) : defaultIdentities(sshDir.toPath()));
    return builder.build(new JGitKeyCache());
  }

  /**
   * {@code key}, checked again at each new connection as OpenSSH checks a key each time it loads it: a
   * key chmodded open after the source was built is refused, naming the file, its mode and the fix,
   * never its content.
   *
   * @throws IllegalStateException when {@link PrivateKeyFiles} refuses it now, or its attributes cannot be read
   */
  private static Path usable(Path key) {
    Optional<String> refusal;
    try {
      refusal = PrivateKeyFiles.refusal(key);
    } catch (IOException e) {
      throw new IllegalStateException("sshKey " + key + ": cannot read its permissions: " + e.getMessage(), e);
    }
    if (refusal.isPresent()) {
      throw new IllegalStateException("sshKey: " + refusal.get());
    }
    return key;
  }

  /**
   * The default keys of {@code sshDir} ({@code id_rsa}, {@code id_ecdsa}, {@code id_ed25519}... as JGit
   * and OpenSSH look for them) that exist, without those {@link PrivateKeyFiles} refuses: each of those
   * is left out with a warning naming it, its mode and the fix, as OpenSSH's {@code ssh} leaves it out
   * and tries the next.
   */
  static List<Path> defaultIdentities(Path sshDir) {
    List<Path> keys = new ArrayList<>();
    for (String name : SshConstants.DEFAULT_IDENTITIES) {
      Path key = sshDir.resolve(name);
      if (!Files.exists(key)) {
        continue;
      }
      try {
        Optional<String> refusal = PrivateKeyFiles.refusal(key);
        if (refusal.isPresent()) {
          LOG.warn("{}; this key is not used", refusal.get());
          continue;
        }
      } catch (IOException e) {
        // unreadable attributes: JGit reads the file next, and says what it cannot use
      }
      keys.add(key);
    }
    return List.copyOf(keys);
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
