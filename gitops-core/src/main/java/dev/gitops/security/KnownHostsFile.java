package dev.gitops.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * The lines of an OpenSSH known_hosts file as {@code sshd(8)} describes them ("SSH_KNOWN_HOSTS FILE
 * FORMAT"), matched as OpenSSH's {@code ssh} matches them: a host is looked up by the name
 * {@code host} on port 22 and {@code [host]:port} on any other port, against a hashed name
 * ({@code |1|salt|hash}, HMAC-SHA1 of that name) or a comma list of patterns with {@code *} and
 * {@code ?}, compared without regard to case; a line whose negated pattern ({@code !pattern}) matches
 * never matches. Blank lines, comments and lines that cannot be read (an unknown marker, a key that does
 * not decode) are skipped. Not part of the public API.
 */
final class KnownHostsFile {
  private static final String HASHED = "|1|";

  private KnownHostsFile() {}

  /**
   * One readable line.
   *
   * @param number its line number, from 1
   * @param marker {@code ""}, {@code "cert-authority"} or {@code "revoked"}
   * @param hosts the host field as written
   * @param key the key
   */
  record Entry(int number, String marker, String hosts, PublicKey key) {
    /** Whether this line names {@code host} reached on {@code port}. */
    boolean matches(String host, int port) {
      return matchesName(hosts, lookupName(host, port));
    }
  }

  /** {@return the name OpenSSH looks a host up by: {@code host} on port 22, {@code [host]:port} on any other} */
  static String lookupName(String host, int port) {
    return port == 22 ? host : "[" + host + "]:" + port;
  }

  /**
   * The readable lines of {@code file}, in file order; none when it does not exist.
   *
   * @throws IOException when it exists but cannot be read
   */
  static List<Entry> read(Path file) throws IOException {
    List<String> text;
    try {
      text = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException missing) {
      return List.of();
    }
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < text.size(); i++) {
      Entry e = parse(i + 1, text.get(i));
      if (e != null) {
        out.add(e);
      }
    }
    return out;
  }

  /** The entry of one line, or null when it is blank, a comment or unreadable. */
  static Entry parse(int number, String line) {
    String[] f = line.strip().split("[ \t]+");
    if (f[0].isEmpty() || f[0].startsWith("#")) {
      return null;
    }
    int at = 0;
    String marker = "";
    if (f[0].startsWith("@")) {
      marker = f[0].substring(1);
      if (!marker.equals("cert-authority") && !marker.equals("revoked")) {
        return null; // OpenSSH skips a line with a marker it does not know
      }
      at = 1;
    }
    if (f.length < at + 3) {
      return null;
    }
    try {
      PublicKey key = PublicKeyEntry.parsePublicKeyEntry(f[at + 1] + " " + f[at + 2])
          .resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.IGNORING);
      return key == null ? null : new Entry(number, marker, f[at], key);
    } catch (IOException | GeneralSecurityException | RuntimeException unreadable) {
      return null; // skipped, as OpenSSH does: a line that cannot be read vouches for nothing
    }
  }

  /** OpenSSH's rule for a host field: a hashed name, or a pattern list none of whose negations match. */
  static boolean matchesName(String field, String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (field.startsWith(HASHED)) {
      return matchesHash(field, lower);
    }
    boolean matched = false;
    for (String p : field.split(",", -1)) {
      boolean negated = p.startsWith("!");
      String pattern = (negated ? p.substring(1) : p).toLowerCase(Locale.ROOT);
      if (glob(pattern, 0, lower, 0)) {
        if (negated) {
          return false;
        }
        matched = true;
      }
    }
    return matched;
  }

  private static boolean matchesHash(String field, String name) {
    String[] parts = field.substring(HASHED.length()).split("\\|", -1);
    if (parts.length != 2) {
      return false;
    }
    try {
      byte[] salt = Base64.getDecoder().decode(parts[0]);
      byte[] hash = Base64.getDecoder().decode(parts[1]);
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(salt, "HmacSHA1"));
      return MessageDigest.isEqual(hash, mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException | InvalidKeyException | java.security.NoSuchAlgorithmException bad) {
      return false;
    }
  }

  /** {@code *} matches any run of characters, {@code ?} any one; everything else itself. */
  private static boolean glob(String pattern, int p, String s, int i) {
    while (p < pattern.length()) {
      char c = pattern.charAt(p);
      if (c == '*') {
        for (int j = i; j <= s.length(); j++) {
          if (glob(pattern, p + 1, s, j)) {
            return true;
          }
        }
        return false;
      }
      if (i >= s.length() || c != '?' && c != s.charAt(i)) {
        return false;
      }
      p++;
      i++;
    }
    return i == s.length();
  }
}
