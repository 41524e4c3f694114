package dev.gitops.internal.git;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
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
public record RemoteUrl(String url, String masked, String user, String password) {
  private static final Pattern SCHEME_USERINFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^/@]*)@(.*)$");
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");
  private static final Pattern SCP_LIKE = Pattern.compile("^(?:[^@/:]+@)?[^/:]+:(?!//).+");

  /** Parses {@code raw}; {@code hasExtraCredentials} masks the URL even when it carries none. */
  public static RemoteUrl parse(String raw, boolean hasExtraCredentials) {
    String text = raw.trim();
    if (!SCHEME.matcher(text).matches() && !(SCP_LIKE.matcher(text).matches() && !looksLocal(text))) {
      String file = Path.of(text).toAbsolutePath().normalize().toUri().toString();
      return new RemoteUrl(file, file, null, null);
    }
    Matcher m = SCHEME_USERINFO.matcher(text);
    String scheme = text.substring(0, Math.max(0, text.indexOf("://"))).toLowerCase(Locale.ROOT);
    boolean http = scheme.equals("http") || scheme.equals("https");
    if (m.matches()) {
      String userinfo = m.group(2);
      int colon = userinfo.indexOf(':');
      String user = colon < 0 ? userinfo : userinfo.substring(0, colon);
      String password = colon < 0 ? null : userinfo.substring(colon + 1);
      if (http) {
        String bare = m.group(1) + m.group(3);
        return new RemoteUrl(bare, m.group(1) + "***@" + m.group(3), decode(user), decode(password));
      }
      String safe = m.group(1) + user + "@" + m.group(3);
      return new RemoteUrl(safe, password == null ? safe : m.group(1) + user + ":***@" + m.group(3), user, decode(password));
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

  private static boolean looksLocal(String text) {
    return text.startsWith("/") || text.startsWith(".") || text.startsWith("~")
        || (text.length() > 1 && text.charAt(1) == ':' && Character.isLetter(text.charAt(0)));
  }

  private static String decode(String s) {
    return s == null ? null : java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
  }
}
