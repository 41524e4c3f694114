package dev.gitops.ssh;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Names of the temporary files a write uploads before its rename, which the sweeper can prove it
 * made: {@code .gitops-<12 hex random><12 hex tag>.tmp}, the tag an HMAC-SHA256 of the random part
 * under a key kept in the owner's inventory ({@code <root>/.gitops}, {@code 0600}). A file of the
 * tree that only looks like one (a wanted file, another tool's) fails the check and is never
 * deleted. Short (36 bytes) whatever the file's own name, so a name up to the host's limit still
 * has room for its temporary file. Not part of the public API.
 */
final class TempNames {
  /** The length of every name: {@code .gitops-} (8), 24 hex digits, {@code .tmp} (4). */
  public static final int LENGTH = 36;
  private static final Pattern NAME = Pattern.compile("\\.gitops-([0-9a-f]{12})([0-9a-f]{12})\\.tmp");
  private static final SecureRandom RANDOM = new SecureRandom();

  private TempNames() {}

  /** A new key, 32 hex digits. */
  public static String newKey() {
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    return HexFormat.of().formatHex(key);
  }

  /** A new name under {@code key}. */
  public static String next(String key) {
    byte[] random = new byte[6];
    RANDOM.nextBytes(random);
    String r = HexFormat.of().formatHex(random);
    return ".gitops-" + r + tag(key, r) + ".tmp";
  }

  /** True when {@code name} has the shape of a name {@link #next} makes, under any key: no tag checked. */
  public static boolean isShaped(String name) {
    return NAME.matcher(name).matches();
  }

  /** True when {@code name} was made by {@link #next} under {@code key}. */
  public static boolean isOurs(String name, String key) {
    if (key.isEmpty()) {
      return false;
    }
    Matcher m = NAME.matcher(name);
    return m.matches() && java.security.MessageDigest.isEqual(
        tag(key, m.group(1)).getBytes(StandardCharsets.US_ASCII), m.group(2).getBytes(StandardCharsets.US_ASCII));
  }

  private static String tag(String key, String random) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(HexFormat.of().parseHex(key), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(random.getBytes(StandardCharsets.US_ASCII)), 0, 6);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("HmacSHA256 is in every JDK", e);
    }
  }
}
