package dev.gitops.k8s;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A CRD's {@code pattern} as the API server matches it: kube-openapi's validator searches the text
 * with Go's {@code regexp} ({@code MatchString}: anywhere in the text, RE2 syntax). Java's regex
 * reads most of RE2 alike; where it may read a pattern otherwise, the pattern is not judged here
 * (null: left to the server), since refusing what the server takes is worse than a late refusal.
 * Judged are literals, escaped punctuation, {@code \d \w \s} and their negations, {@code \t \n \r \f},
 * {@code \x} escapes, {@code \A \z}, Unicode general categories ({@code \pL}, {@code \p{Lu}}),
 * classes without a nested {@code [} (POSIX {@code [:alpha:]}, which Java reads as a union) nor
 * {@code &&} (an intersection to Java, text to Go) nor a leading {@code ]}, groups, {@code (?:},
 * the flags {@code i}, {@code m}, {@code s} (Go's {@code U} is Java's Unicode classes), repetition,
 * anchors. Not {@code \b} (Unicode word characters to Java 17, ASCII to Go), backreferences or
 * octal escapes, {@code \v}, {@code \Q}, lookaround, named groups. Java's {@code .} and {@code $}
 * are made to see {@code \n} alone as a line end ({@link Pattern#UNIX_LINES}); its {@code $} still
 * matches before a final line feed, where Go's does not: a match Go would refuse, never the other
 * way. A text holding a vertical tab (white space to Java's {@code \s}, not to Go's) is not judged.
 * A match that takes more than a bounded number of steps (Java backtracks, RE2 does not) is not
 * judged either. Thread-safe; compiled patterns are kept (a few thousand at most).
 */
final class GoPatterns {
  private static final int KEPT = 4096;
  private static final long STEPS = 2_000_000;
  private static final Map<String, Optional<Pattern>> COMPILED = new ConcurrentHashMap<>();

  private GoPatterns() {
  }

  /** True or false as Go's {@code regexp} would find {@code pattern} in {@code text}; null when not judged. */
  static Boolean finds(String pattern, String text) {
    if (text.indexOf('\u000B') >= 0) {
      return null;
    }
    if (COMPILED.size() > KEPT) {
      COMPILED.clear();
    }
    Pattern p = COMPILED.computeIfAbsent(pattern, GoPatterns::compile).orElse(null);
    if (p == null) {
      return null;
    }
    try {
      return p.matcher(new Bounded(text)).find();
    } catch (Exhausted e) {
      return null;
    }
  }

  private static Optional<Pattern> compile(String go) {
    if (!readAlike(go)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Pattern.compile(go, Pattern.UNIX_LINES | Pattern.UNICODE_CASE));
    } catch (PatternSyntaxException e) {
      return Optional.empty(); // Go's syntax Java lacks: the server judges it
    }
  }

  /** True when Java reads {@code p} as Go's RE2 does (the subset above). */
  static boolean readAlike(String p) {
    boolean inClass = false;
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '\\') {
        int next = escape(p, i + 1);
        if (next < 0) {
          return false;
        }
        i = next - 1;
      } else if (inClass) {
        if (c == '[' || c == '&' && i + 1 < p.length() && p.charAt(i + 1) == '&') {
          return false;
        }
        inClass = c != ']';
      } else if (c == '[') {
        inClass = true;
        int first = i + 1 < p.length() && p.charAt(i + 1) == '^' ? i + 2 : i + 1;
        if (first < p.length() && p.charAt(first) == ']') {
          return false;
        }
        i = first - 1;
      } else if (c == '(' && i + 1 < p.length() && p.charAt(i + 1) == '?') {
        int j = i + 2;
        while (j < p.length() && "ims-".indexOf(p.charAt(j)) >= 0) {
          j++;
        }
        if (j >= p.length() || p.charAt(j) != ')' && p.charAt(j) != ':') {
          return false;
        }
      }
    }
    return !inClass;
  }

  /** The index after the escape that starts at {@code i} (after its backslash), or -1 when not read alike. */
  private static int escape(String p, int i) {
    if (i >= p.length()) {
      return -1;
    }
    char n = p.charAt(i);
    if (!Character.isLetterOrDigit(n)) {
      return n < 128 ? i + 1 : -1; // escaped punctuation is itself to both
    }
    if ("dDwWsStnrfxAz".indexOf(n) >= 0) {
      return i + 1;
    }
    if (n != 'p' && n != 'P' || i + 1 >= p.length()) {
      return -1;
    }
    if (Character.isLetter(p.charAt(i + 1)) && p.charAt(i + 1) < 128) {
      return i + 2; // \pL
    }
    int close = p.indexOf('}', i);
    if (p.charAt(i + 1) != '{' || close < 0 || close - i - 2 < 1 || close - i - 2 > 2) {
      return -1;
    }
    for (int k = i + 2; k < close; k++) {
      if (!Character.isLetter(p.charAt(k)) || p.charAt(k) >= 128) {
        return -1;
      }
    }
    return close + 1; // \p{Lu}: a general category to both
  }

  /** Thrown when a match took too many steps. */
  private static final class Exhausted extends RuntimeException {
    Exhausted() {
      super("too many steps", null, false, false);
    }
  }

  /** A text whose characters may be read {@link #STEPS} times in all. */
  private static final class Bounded implements CharSequence {
    private final String text;
    private long left = STEPS;

    Bounded(String text) {
      this.text = text;
    }

    @Override
    public char charAt(int index) {
      if (--left < 0) {
        throw new Exhausted();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
