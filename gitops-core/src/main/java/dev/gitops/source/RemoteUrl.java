package dev.gitops.source;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A remote URL split into what JGit may see and the credentials it must not print: the userinfo of
 * an {@code http(s)} URL is moved out, so no JGit message can ever contain it. Plain local paths
 * become {@code file://} URLs; {@code user@host:repo} stays as it is. Not part of the public API.
 *
 * @param url the URL handed to JGit, without secrets
 * @param masked the URL for messages: {@code https://***@host/...} when credentials were given
 * @param user user from the URL, or null
 * @param password password or token from the URL, or null
 */
record RemoteUrl(String url, String masked, String user, String password) {
  /** A host with an optional port: a name, an IPv4 address or a bracketed IPv6 address. */
  private static final Pattern HOST = Pattern.compile("(?:[A-Za-z0-9._~-]+|\\[[0-9A-Fa-f:.]+])(?::[0-9]+)?");
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");
  private static final Pattern SCP_LIKE = Pattern.compile("^(?:[^@/:]+@)?[^/:]+:(?!//).+");

  /** Parses {@code raw}; {@code hasExtraCredentials} masks the URL even when it carries none. */
  public static RemoteUrl parse(String raw, boolean hasExtraCredentials) {
    String text = raw.trim();
    if (!SCHEME.matcher(text).matches() && !(SCP_LIKE.matcher(text).matches() && !looksLocal(text))) {
      String file = Path.of(text).toAbsolutePath().normalize().toUri().toString();
      return new RemoteUrl(file, file, null, null);
    }
    String scheme = text.substring(0, Math.max(0, text.indexOf("://"))).toLowerCase(Locale.ROOT);
    boolean http = scheme.equals("http") || scheme.equals("https");
    int start = text.indexOf("://") + 3;
    int at = start < 3 ? -1 : userinfoEnd(text, start);
    if (at > 0) {
      String prefix = text.substring(0, start);
      String rest = text.substring(at + 1);
      String userinfo = text.substring(start, at);
      int colon = userinfo.indexOf(':');
      String user = colon < 0 ? userinfo : userinfo.substring(0, colon);
      String password = colon < 0 ? null : userinfo.substring(colon + 1);
      if (http) {
        return new RemoteUrl(prefix + rest, prefix + "***@" + rest, decode(user), decode(password));
      }
      String safe = prefix + user + "@" + rest;
      return new RemoteUrl(safe, password == null ? safe : prefix + user + ":***@" + rest, user,
          decode(password));
    }
    String masked = http && hasExtraCredentials ? text.replaceFirst("://", "://***@") : text;
    return new RemoteUrl(text, masked, null, null);
  }

  /** True for {@code https://}/{@code http://} URLs. */
  public boolean isHttp() {
    return url.regionMatches(true, 0, "http://", 0, 7) || url.regionMatches(true, 0, "https://", 0, 8);
  }

  /** Replaces every occurrence of the URL and of the given secrets in {@code text}. */
  public String scrub(String text, String... secrets) {
    if (text == null) {
      return "";
    }
    String out = text.replace(url, masked);
    for (String s : secrets) {
      if (s != null && !s.isEmpty()) {
        out = out.replace(s, "***");
      }
    }
    return password == null || password.isEmpty() ? out : out.replace(password, "***");
  }

  /** The masked form; never a secret. */
  @Override
  public String toString() {
    return masked;
  }

  /**
   * Where the userinfo of {@code text}'s authority (from {@code start}) ends: the {@code @} before
   * the host, or -1 when there is none. Credentials are often pasted unencoded, so a password may
   * hold {@code @}, {@code :} or {@code /}: when the text up to the first {@code /} is not itself a
   * host (with an optional port), the userinfo ends at the first {@code @} that a host follows.
   */
  private static int userinfoEnd(String text, int start) {
    int slash = endOfSegment(text, start);
    if (slash == start || HOST.matcher(text.substring(start, slash)).matches()) {
      return -1;
    }
    for (int at = text.indexOf('@', start); at >= 0; at = text.indexOf('@', at + 1)) {
      if (HOST.matcher(text.substring(at + 1, endOfSegment(text, at + 1))).matches()) {
        return at;
      }
    }
    return -1;
  }

  private static int endOfSegment(String text, int from) {
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        return i;
      }
    }
    return text.length();
  }

  private static boolean looksLocal(String text) {
    return text.startsWith("/") || text.startsWith(".") || text.startsWith("~")
        || (text.length() > 1 && text.charAt(1) == ':' && Character.isLetter(text.charAt(0)));
  }

  /** Percent-decoded, or as written when it is not valid percent-encoding (a raw {@code %}). */
  private static String decode(String s) {
    if (s == null) {
      return null;
    }
    try {
      return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
