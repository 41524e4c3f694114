package dev.gitops.source;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Which keys may sign the commits a {@link GitSource} accepts. A closed family: OpenPGP public keys
 * or an SSH allowed-signers file. With verification configured, a revision is accepted only when its
 * commit, or an annotated tag pointing at it (a signed release tag), carries a valid signature by
 * one of the allowed keys; any other revision is refused with a {@link SourceException} by
 * {@code latest()}, {@code resolve()} and {@code fetch()}, before any of its files are returned.
 * Members are immutable records; the key files are read when the source checks a revision.
 *
 * <pre>{@code
 * GitSource.builder(url).ref("main")
 *     .verify(Verification.openPgp(Path.of("release-keys.asc")))
 *     .build();
 * }</pre>
 */
public sealed interface Verification {

  /** The members of the family. */
  enum Kind {
    /** {@link OpenPgp}: OpenPGP public keys. */
    OPENPGP,
    /** {@link Ssh}: an SSH allowed-signers file. */
    SSH
  }

  /**
   * Which member this is.
   *
   * @return the member's kind
   */
  Kind kind();

  /**
   * OpenPGP: commits signed by a key in {@code publicKeys} (an armored or binary key ring file).
   * Needs Bouncy Castle, an optional dependency: the application adds
   * {@code org.bouncycastle:bcpg-jdk18on}.
   *
   * @param publicKeys key ring file, read at verification time
   * @return the verification
   * @throws SourceException when Bouncy Castle is not on the classpath, naming the artifact to add
   */
  static Verification openPgp(Path publicKeys) {
    return new OpenPgp(publicKeys);
  }

  /**
   * SSH: commits signed by a key listed in {@code allowedSigners} (OpenSSH {@code allowed_signers}
   * format, as for {@code gpg.ssh.allowedSignersFile}; the principal is matched against the
   * committer e-mail, {@code *} matches anyone). Needs no optional dependency.
   *
   * @param allowedSigners the allowed-signers file, read at verification time
   * @return the verification
   */
  static Verification ssh(Path allowedSigners) {
    return new Ssh(allowedSigners);
  }

  /**
   * OpenPGP public keys. Checked with Bouncy Castle, an optional dependency
   * ({@code org.bouncycastle:bcpg-jdk18on}) that the application adds.
   *
   * @param publicKeys key ring file (armored {@code .asc} or binary), read at verification time
   */
  record OpenPgp(Path publicKeys) implements Verification {
    /**
     * Validates, and fails fast when Bouncy Castle is missing.
     *
     * @param publicKeys key ring file (armored {@code .asc} or binary), read at verification time
     * @throws SourceException when Bouncy Castle is not on the classpath, naming the artifact to add
     */
    public OpenPgp {
      Objects.requireNonNull(publicKeys, "publicKeys");
      OpenPgpSupport.require();
    }

    @Override
    public Kind kind() {
      return Kind.OPENPGP;
    }
  }

  /**
   * An SSH allowed-signers file.
   *
   * @param allowedSigners the file, read at verification time
   */
  record Ssh(Path allowedSigners) implements Verification {
    /**
     * Validates.
     *
     * @param allowedSigners the file, read at verification time
     */
    public Ssh {
      Objects.requireNonNull(allowedSigners, "allowedSigners");
    }

    @Override
    public Kind kind() {
      return Kind.SSH;
    }
  }
}
