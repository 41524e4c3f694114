package dev.gitops.source;

import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What YAML 1.1, as go-yaml v2 resolves it (so kubectl and Helm, through sigs.k8s.io/yaml), makes of
 * a plain scalar where Jackson keeps the text: {@code y} and {@code n} are booleans, and a mapping
 * key is typed like a value, then written back as text ({@code on:} is sent as {@code "true"}).
 */
final class Yaml11 {
  private static final Set<String> TRUE = Set.of("y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True",
      "TRUE");
  private static final Set<String> FALSE = Set.of("n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False",
      "FALSE");
  private static final Set<String> NULL = Set.of("~", "null", "Null", "NULL");
  /** The length of the longest word of {@link #TRUE}, {@link #FALSE} and {@link #NULL}. */
  private static final int LONGEST_WORD = Stream.of(TRUE, FALSE, NULL).flatMap(Set::stream)
      .mapToInt(String::length).max().orElseThrow();
  /** go-yaml v2 drops underscores, then Go's ParseInt with base 0, ParseFloat, or .inf and .nan. */
  private static final Pattern NUMBER = Pattern.compile("[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+"
      + "|(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|\\.(inf|Inf|INF))|\\.(nan|NaN|NAN)");
  /** A number written as Go writes it back: a decimal integer that fits an int64, no sign but minus. */
  private static final Pattern GO_INTEGER = Pattern.compile("0|-?[1-9][0-9]{0,17}");

  private Yaml11() {
  }

  /** The boolean YAML 1.1 reads in a plain scalar, or null when it reads none. */
  static Boolean bool(String plain) {
    if (plain.length() > LONGEST_WORD) { // most scalars: no set to hash them into
      return null;
    }
    return TRUE.contains(plain) ? Boolean.TRUE : FALSE.contains(plain) ? Boolean.FALSE : null;
  }

  /**
   * Why a plain mapping key means other text to a YAML 1.1 reader, or null when it means itself:
   * a boolean other than {@code true} and {@code false} (sent as one of them), null (which
   * sigs.k8s.io/yaml refuses as a key), a number Go writes back otherwise ({@code 0x1F} as
   * {@code 31}, {@code 1.10} as {@code 1.1}; a float always, as Go rewrites it as a float32).
   */
  static String keyProblem(String key) {
    Boolean bool = bool(key);
    if (bool != null) {
      return key.equals(bool.toString()) ? null : "the plain key '" + key + "' is the boolean " + bool
          + " in YAML 1.1, which kubectl reads, and would be sent as \"" + bool + "\"" + quote(key) + ", or write "
          + bool;
    }
    if (key.length() <= LONGEST_WORD && NULL.contains(key)) {
      return "the plain key '" + key + "' is null in YAML 1.1, which kubectl reads and refuses as a key" + quote(key);
    }
    if (mayBeNumber(key) && NUMBER.matcher(key.replace("_", "")).matches() && !GO_INTEGER.matcher(key).matches()) {
      return "the plain key '" + key + "' is a number in YAML 1.1, which kubectl reads, and would be sent in Go's "
          + "number format (0x1F as \"31\", 1.10 as \"1.1\")" + quote(key);
    }
    return null;
  }

  private static String quote(String key) {
    return ": quote it ('" + key + "') to keep it as written";
  }

  /**
   * False when {@link #NUMBER} cannot match {@code key} without its underscores: its first other
   * character is no sign, dot or digit. Most keys (every field name) stop here, before the regex.
   */
  private static boolean mayBeNumber(String key) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c != '_') {
        return c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+';
      }
    }
    return false;
  }
}
