package dev.gitops.model;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Gitignore-style globs over resource names ({@code /}-separated paths): {@code *} matches within
 * one path segment, {@code ?} one character but {@code /}, {@code **} any number of segments,
 * {@code [abc]} / {@code [!abc]} a character class. A glob without a {@code /} (other than a trailing
 * one) matches at any depth; a leading {@code /} anchors it at the root; a glob that matches a
 * directory matches everything beneath it. The planner matches {@link Handler} globs this way, and
 * the hosts adapter its {@code .gitops.yaml} rules. Immutable and thread-safe.
 *
 * <pre>{@code
 * boolean triggered = PathGlob.of("nginx/**").matches("nginx/conf.d/web.conf");   // true
 * }</pre>
 */
public final class PathGlob {
  private final String glob;
  private final Pattern pattern;

  private PathGlob(String glob, Pattern pattern) {
    this.glob = glob;
    this.pattern = pattern;
  }

  /** Compiles {@code glob}. */
  public static PathGlob of(String glob) {
    String g = glob.trim();
    boolean anchored = g.startsWith("/");
    if (anchored) {
      g = g.substring(1);
    }
    if (g.endsWith("/")) {
      g = g.substring(0, g.length() - 1);
    }
    if (g.isEmpty()) {
      throw new IllegalArgumentException("empty glob: '" + glob + "'");
    }
    StringBuilder re = new StringBuilder();
    if (!anchored && !g.contains("/")) {
      re.append("(?:.*/)?");
    }
    translate(g, re);
    re.append("(?:/.*)?");
    return new PathGlob(glob, Pattern.compile(re.toString(), Pattern.DOTALL));
  }

  /** True when any of {@code globs} matches {@code name}. */
  public static boolean anyMatches(List<PathGlob> globs, String name) {
    for (PathGlob g : globs) {
      if (g.matches(name)) {
        return true;
      }
    }
    return false;
  }

  /** True when the glob matches {@code name} (leading {@code /} ignored). */
  public boolean matches(String name) {
    String n = name.startsWith("/") ? name.substring(1) : name;
    return pattern.matcher(n).matches();
  }

  private static void translate(String g, StringBuilder re) {
    int i = 0;
    while (i < g.length()) {
      char c = g.charAt(i);
      if (c == '*' && i + 1 < g.length() && g.charAt(i + 1) == '*') {
        boolean segmentStart = i == 0 || g.charAt(i - 1) == '/';
        boolean slashAfter = i + 2 < g.length() && g.charAt(i + 2) == '/';
        if (segmentStart && slashAfter) {
          re.append("(?:.*/)?");
          i += 3;
        } else {
          re.append(".*");
          i += 2;
        }
      } else if (c == '*') {
        re.append("[^/]*");
        i++;
      } else if (c == '?') {
        re.append("[^/]");
        i++;
      } else if (c == '[' && g.indexOf(']', i + 2) > 0) {
        int end = g.indexOf(']', i + 2);
        String body = g.substring(i + 1, end);
        boolean negate = body.startsWith("!") || body.startsWith("^");
        if (negate) {
          body = body.substring(1);
        }
        re.append('[').append(negate ? "^/" : "");
        for (char b : body.toCharArray()) {
          if ("\\[]^&".indexOf(b) >= 0) {
            re.append('\\');
          }
          re.append(b);
        }
        re.append(']');
        i = end + 1;
      } else if (c == '\\' && i + 1 < g.length()) {
        re.append(Pattern.quote(String.valueOf(g.charAt(i + 1))));
        i += 2;
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
        i++;
      }
    }
  }

  @Override
  public String toString() {
    return glob;
  }
}
