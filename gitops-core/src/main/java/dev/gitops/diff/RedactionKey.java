package dev.gitops.diff;

import dev.gitops.GitOpsException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key of a plan's redaction markers. A plan's JSON replaces every sensitive value by
 * {@code {"redacted":"hmac-sha256:..."}}, an HMAC of the resource id, the value's path and the value
 * under this key: equal values still compare equal (so a saved plan can be checked against a fresh
 * one), but whoever reads the plan without the key cannot confirm a guess of a short secret offline.
 *
 * <p>The key belongs to the installation, like a security provider: a process {@link #use uses} one
 * key for every plan it makes, and a random key of its own until it is told another. Whoever plans
 * and whoever applies a saved plan must use the same key — one machine and user (the command line
 * keeps it in {@code ~/.config/gitops/redaction.key}, created {@code 0600}), or the same
 * {@code GITOPS_REDACTION_KEY} from a CI secret. A saved plan made under another key is refused at
 * apply as stale, never applied. Never printed.
 */
public final class RedactionKey {
  /** The prefix of a keyed marker's digest. */
  public static final String PREFIX = "hmac-sha256:";
  /** The fewest characters a key has. */
  public static final int MIN_LENGTH = 16;
  private static volatile RedactionKey current;

  private final SecretKeySpec key;
  /**
   * A MAC initialised with the key and never updated: each digest works on a clone of it, which
   * skips the provider lookup and key set-up (a plan of 1,000 files makes 1,000 digests, a cold
   * command line pays each lookup in full). Null when the provider's MAC cannot be cloned.
   */
  private final Mac prototype;

  private RedactionKey(byte[] key) {
    this.key = new SecretKeySpec(key, "HmacSHA256");
    Mac mac = fresh();
    try {
      mac.clone(); // the provider's MAC may refuse to be cloned: then every digest makes its own
    } catch (CloneNotSupportedException e) {
      mac = null;
    }
    this.prototype = mac;
  }

  private Mac fresh() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
    }
  }

  /**
   * A key of the given text.
   *
   * @param key at least {@value #MIN_LENGTH} characters
   * @return the key
   * @throws GitOpsException when the key is shorter
   */
  public static RedactionKey of(String key) {
    Objects.requireNonNull(key, "key");
    if (key.length() < MIN_LENGTH) {
      throw new GitOpsException("the redaction key must be at least " + MIN_LENGTH
          + " characters (it is " + key.length() + ")");
    }
    return new RedactionKey(key.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A new random key.
   *
   * @return a key of 32 random bytes
   */
  public static RedactionKey random() {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    return new RedactionKey(random);
  }

  /**
   * The key this process redacts with: the last one given to {@link #use}, else a random key made
   * once for the process.
   *
   * @return the key
   */
  public static RedactionKey current() {
    RedactionKey k = current;
    if (k == null) {
      synchronized (RedactionKey.class) {
        if (current == null) {
          current = random();
        }
        k = current;
      }
    }
    return k;
  }

  /**
   * Makes {@code key} the one this process redacts with from now on: call it once, before the
   * first plan is made (plans made before keep markers of the previous key, and no longer compare
   * equal to fresh ones).
   *
   * @param key the installation's key
   */
  public static void use(RedactionKey key) {
    synchronized (RedactionKey.class) {
      current = Objects.requireNonNull(key, "key");
    }
  }

  /**
   * The keyed digest of {@code parts}, each length-prefixed: {@code hmac-sha256:<hex>}.
   *
   * @param parts what to digest
   * @return the digest, prefixed with {@link #PREFIX}
   */
  public String digest(byte[]... parts) {
    Mac mac = mac();
    for (byte[] part : parts) {
      mac.update(new byte[] {(byte) (part.length >>> 24), (byte) (part.length >>> 16),
          (byte) (part.length >>> 8), (byte) part.length});
      mac.update(part);
    }
    return PREFIX + HexFormat.of().formatHex(mac.doFinal());
  }

  private Mac mac() {
    if (prototype != null) {
      try {
        return (Mac) prototype.clone();
      } catch (CloneNotSupportedException e) {
        // checked at construction; fall through to a fresh MAC all the same
      }
    }
    return fresh();
  }

  /** Never the key. */
  @Override
  public String toString() {
    return "RedactionKey[hidden]";
  }
}
