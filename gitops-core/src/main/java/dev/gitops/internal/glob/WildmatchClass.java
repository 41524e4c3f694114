package dev.gitops.internal.glob;

import java.nio.charset.StandardCharsets;
import java.util.function.IntPredicate;

/**
 * A bracket class of a {@link Wildmatch} pattern, read as Git's wildmatch reads one (wildmatch.c
 * {@code dowild}, case {@code '['}): {@code !} or {@code ^} first negates; the first member may be
 * {@code ]}; {@code \} takes the next byte; {@code a-z} is a range when a member precedes the {@code -}
 * and a byte other than {@code ]} follows it (its end may be escaped); {@code [:name:]} is one of the
 * twelve POSIX classes over ASCII (Git's ctype.c: bytes from 128 are in none; space is tab, newline,
 * carriage return and blank); a {@code [:} without its {@code :]} is a {@code [} member. A class never
 * matches {@code /}. Not part of the public API.
 */
final class WildmatchClass {
  private WildmatchClass() {}

  /**
   * Reads the class whose members start at {@code pattern[from]} (just past its {@code [}) into
   * {@code set}, by byte.
   *
   * @return the index just past its closing {@code ]}; -1 when it has none or names an unknown class,
   *     which makes Git's match abort: the pattern matches nothing
   */
  static int parse(byte[] pattern, int from, int to, boolean[] set) {
    int i = from;
    boolean negated = i < to && (pattern[i] == '!' || pattern[i] == '^');
    if (negated) {
      i++;
    }
    int prev = -1; // the member a '-' would start a range from; -1 after a range or a [:name:]
    for (boolean first = true; ; first = false) {
      if (i >= to) {
        return -1;
      }
      int c = pattern[i] & 0xff;
      if (c == ']' && !first) {
        i++;
        break;
      }
      if (c == '\\') {
        if (i + 1 >= to) {
          return -1;
        }
        prev = pattern[i + 1] & 0xff;
        set[prev] = true;
        i += 2;
      } else if (c == '-' && prev >= 0 && i + 1 < to && pattern[i + 1] != ']') {
        int last = pattern[i + 1] & 0xff;
        i += 2;
        if (last == '\\') {
          if (i >= to) {
            return -1;
          }
          last = pattern[i++] & 0xff;
        }
        for (int b = prev; b <= last; b++) {
          set[b] = true;
        }
        prev = -1;
      } else if (c == '[' && i + 1 < to && pattern[i + 1] == ':') {
        int name = i + 2;
        int close = name;
        while (close < to && pattern[close] != ']') {
          close++;
        }
        if (close >= to) {
          return -1;
        }
        if (close == name || pattern[close - 1] != ':') { // no ":]": the '[' is a member, the ':' next
          set['['] = true;
          prev = '[';
          i++;
          continue;
        }
        IntPredicate posix = posix(new String(pattern, name, close - 1 - name, StandardCharsets.ISO_8859_1));
        if (posix == null) {
          return -1;
        }
        for (int b = 0; b < 128; b++) {
          set[b] |= posix.test(b);
        }
        prev = -1;
        i = close + 1;
      } else {
        set[c] = true;
        prev = c;
        i++;
      }
    }
    if (negated) {
      for (int b = 0; b < set.length; b++) {
        set[b] = !set[b];
      }
    }
    set['/'] = false;
    return i;
  }

  /** The ASCII bytes of a POSIX class as Git's ctype.c and wildmatch.c define it; null for another name. */
  private static IntPredicate posix(String name) {
    IntPredicate upper = b -> b >= 'A' && b <= 'Z';
    IntPredicate lower = b -> b >= 'a' && b <= 'z';
    IntPredicate digit = b -> b >= '0' && b <= '9';
    IntPredicate graph = b -> b > ' ' && b < 127;
    return switch (name) {
      case "alnum" -> upper.or(lower).or(digit);
      case "alpha" -> upper.or(lower);
      case "blank" -> b -> b == ' ' || b == '\t';
      case "cntrl" -> b -> b < ' ' || b == 127;
      case "digit" -> digit;
      case "graph" -> graph;
      case "lower" -> lower;
      case "print" -> b -> b >= ' ' && b < 127;
      case "punct" -> graph.and(upper.or(lower).or(digit).negate());
      case "space" -> b -> b == ' ' || b == '\t' || b == '\n' || b == '\r';
      case "upper" -> upper;
      case "xdigit" -> digit.or(b -> (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F'));
      default -> null;
    };
  }
}
