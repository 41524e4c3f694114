package dev.gitops.samples.agent;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that a webhook delivery comes from who holds the shared secret, and was not seen before:
 * GitHub's {@code X-Hub-Signature-256} (HMAC-SHA256 of the body), GitLab's {@code X-Gitlab-Token}
 * (the secret itself), and a generic HMAC ({@code X-Gitops-Signature: sha256=HEX} over
 * {@code TIMESTAMP + "." + body}, {@code X-Gitops-Timestamp} in Unix seconds within five minutes).
 * Deliveries are remembered by their id ({@code X-GitHub-Delivery}, {@code X-Gitlab-Event-UUID},
 * {@code X-Gitops-Delivery}; the last {@value #REMEMBERED}): a replay is refused. Comparisons take
 * constant time. Thread-safe.
 */
public final class WebhookVerifier {
  /** Delivery ids remembered for replay detection. */
  static final int REMEMBERED = 10_000;
  /** How far a generic delivery's timestamp may be from this clock. */
  static final Duration SKEW = Duration.ofMinutes(5);

  /** What a check found. */
  public enum Verdict {
    /** Signed with the secret and new. */
    ACCEPTED,
    /** No signature, a wrong one, or a timestamp out of the window. */
    UNAUTHORIZED,
    /** A delivery id seen before. */
    REPLAYED
  }

  private final byte[] secret;
  private final Clock clock;
  private final Map<String, Boolean> seen = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > REMEMBERED;
    }
  };

  /**
   * @param secret the shared secret, at least 16 characters
   * @param clock for the generic timestamp's window
   */
  public WebhookVerifier(String secret, Clock clock) {
    if (secret == null || secret.length() < 16) {
      throw new IllegalArgumentException("the webhook secret must be at least 16 characters");
    }
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.clock = clock;
  }

  /**
   * Checks one delivery.
   *
   * @param provider {@code github}, {@code gitlab} or {@code generic}
   * @param headers the request's headers, names in lower case
   * @param body the request's body
   */
  public Verdict verify(String provider, Map<String, String> headers, byte[] body) {
    boolean signed = admits(provider, headers) && switch (provider) {
      case "github" -> equal(headers.get("x-hub-signature-256"), "sha256=" + hmac(body));
      case "generic" -> equal(headers.get("x-gitops-signature"), "sha256=" + hmac(timestamped(headers, body)));
      default -> true; // GitLab's token was checked whole by admits
    };
    if (!signed) {
      return Verdict.UNAUTHORIZED;
    }
    String id = headers.getOrDefault("x-github-delivery",
        headers.getOrDefault("x-gitlab-event-uuid", headers.get("x-gitops-delivery")));
    if (id != null) {
      synchronized (seen) {
        if (seen.putIfAbsent(provider + ":" + id, Boolean.TRUE) != null) {
          return Verdict.REPLAYED;
        }
      }
    }
    return Verdict.ACCEPTED;
  }

  /**
   * What the headers alone can tell, before the body is read: false when the provider's signature
   * header is missing, GitLab's token is wrong, or a generic delivery's timestamp is missing or out
   * of the window; such a delivery can only get {@link Verdict#UNAUTHORIZED}. True does not accept
   * it: GitHub's and the generic HMAC cover the body, which {@link #verify} checks.
   *
   * @param provider {@code github}, {@code gitlab} or {@code generic}
   * @param headers the request's headers, names in lower case
   */
  public boolean admits(String provider, Map<String, String> headers) {
    return switch (provider) {
      case "github" -> headers.get("x-hub-signature-256") != null;
      case "gitlab" -> equal(headers.get("x-gitlab-token"), new String(secret, StandardCharsets.UTF_8));
      case "generic" -> headers.get("x-gitops-signature") != null && fresh(headers.get("x-gitops-timestamp"));
      default -> false;
    };
  }

  private boolean fresh(String timestamp) {
    if (timestamp == null || !timestamp.matches("\\d{1,12}")) {
      return false;
    }
    long age = clock.instant().getEpochSecond() - Long.parseLong(timestamp);
    return Math.abs(age) <= SKEW.toSeconds();
  }

  private static byte[] timestamped(Map<String, String> headers, byte[] body) {
    byte[] prefix = (headers.get("x-gitops-timestamp") + ".").getBytes(StandardCharsets.UTF_8);
    byte[] signed = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, signed, 0, prefix.length);
    System.arraycopy(body, 0, signed, prefix.length, body.length);
    return signed;
  }

  /** HMAC-SHA256 of {@code data} under the secret, in lower-case hex. */
  public String hmac(byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java has HmacSHA256", e);
    }
  }

  private static boolean equal(String given, String expected) {
    return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
        expected.getBytes(StandardCharsets.UTF_8));
  }
}
