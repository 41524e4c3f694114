package dev.gitops.samples;

import dev.gitops.source.GitSource;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The credentials the command line's own arguments carry (the user and password of an {@code http(s)}
 * URL, the password of another URL: {@code https://user:token@host/repo.git}), masked as {@code ***} in
 * everything the command prints: a usage error quotes what was typed ({@code Unmatched argument ...},
 * {@code --target ...: want ...}), and {@code --repo} may be mistyped as another option's value. The
 * library masks the URLs it is given; this covers every other place an argument is echoed. Which part
 * of a URL is a credential is what {@link GitSource#withoutCredentials} removes, so the two never
 * disagree.
 */
final class ArgumentSecrets {
  private static final Pattern URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*", Pattern.DOTALL);
  private final List<String> secrets;

  private ArgumentSecrets(List<String> secrets) {
    this.secrets = secrets;
  }

  /** The credentials in {@code args}, whole arguments or {@code --option=value} values. */
  static ArgumentSecrets of(String... args) {
    Set<String> found = new LinkedHashSet<>();
    for (String a : args) {
      String value = a.startsWith("-") && a.indexOf('=') > 0 ? a.substring(a.indexOf('=') + 1) : a;
      if (URL.matcher(value).matches()) {
        credentials(value, found);
      }
    }
    List<String> longestFirst = new ArrayList<>(found);
    longestFirst.sort(Comparator.comparingInt(String::length).reversed());
    return new ArgumentSecrets(List.copyOf(longestFirst));
  }

  private static void credentials(String url, Set<String> found) {
    String bare = GitSource.withoutCredentials(url);
    if (bare.equals(url)) {
      return;
    }
    int start = url.indexOf("://") + 3;
    boolean http = url.toLowerCase(Locale.ROOT).startsWith("http");
    int user = 0; // an http URL loses its whole userinfo; another keeps the user and loses ":password"
    if (!http) {
      while (start + user < bare.length() && bare.charAt(start + user) == url.charAt(start + user)) {
        user++;
      }
    }
    String rest = bare.substring(start + user + (http ? 0 : 1));
    String userinfo = url.substring(start, url.length() - rest.length() - 1);
    String secret = http ? userinfo : userinfo.substring(user + 1);
    add(secret, found);
    int colon = secret.indexOf(':');
    if (http && colon >= 0) {
      add(secret.substring(colon + 1), found);
    }
  }

  private static void add(String secret, Set<String> found) {
    if (!secret.isEmpty()) {
      found.add(secret);
      try {
        found.add(URLDecoder.decode(secret.replace("+", "%2B"), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        // not percent-encoding: the text as written is the secret
      }
    }
  }

  /** {@return {@code text} with every credential replaced by {@code ***}} */
  String scrub(String text) {
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, "***");
    }
    return out;
  }

  /** {@return {@code target} itself when there is nothing to mask, else a writer masking every write} */
  PrintWriter scrubbing(PrintWriter target) {
    if (secrets.isEmpty()) {
      return target;
    }
    return new PrintWriter(new Writer() {
      @Override
      public void write(char[] buf, int off, int len) {
        target.write(scrub(new String(buf, off, len)));
      }

      @Override
      public void write(String s, int off, int len) {
        target.write(scrub(s.substring(off, off + len)));
      }

      @Override
      public void flush() {
        target.flush();
      }

      @Override
      public void close() {
        target.close();
      }
    }, true);
  }
}
