package dev.gitops.source;


/**
 * Whether OpenPGP signatures can be checked: Bouncy Castle is an optional dependency of
 * gitops-core, present only when the application adds it. Not part of the public API.
 */
final class OpenPgpSupport {
  /** The artifact an application adds to verify OpenPGP signatures. */
  public static final String ARTIFACT = "org.bouncycastle:bcpg-jdk18on";

  private static final String PROBE = "org.bouncycastle.openpgp.PGPPublicKeyRingCollection";

  private OpenPgpSupport() {}

  /** True when Bouncy Castle's OpenPGP classes can be loaded by the library's class loader. */
  public static boolean available() {
    try {
      Class.forName(PROBE, false, OpenPgpSupport.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * Returns when OpenPGP verification can run; otherwise throws a {@link SourceException} naming
   * the artifact to add.
   */
  public static void require() {
    if (!available()) {
      throw new SourceException("OpenPGP signature verification needs Bouncy Castle, an optional dependency of"
          + " gitops-core that is not on the classpath: add " + ARTIFACT + " (tested with 1.86; it brings"
          + " bcprov-jdk18on) to the application's dependencies, or verify SSH signatures"
          + " (Verification.ssh), which need nothing more");
    }
  }
}
