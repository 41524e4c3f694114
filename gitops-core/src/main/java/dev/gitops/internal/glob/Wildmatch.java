package dev.gitops.internal.glob;

import java.util.Arrays;

/**
 * One wildcard pattern of a {@code .gitattributes} or {@code .gitignore} line ({@code AttributePattern},
 * {@link GitignoreMatcher}), matched against a path's bytes as Git's {@code wildmatch} matches with
 * {@code WM_PATHNAME} (wildmatch.c {@code dowild}): {@code ?} and a
 * class match one byte but {@code /}; {@code *} any bytes but {@code /}; {@code **} anything when it
 * stands between slashes (or the pattern's start and end), {@code **}{@code /} also nothing, and any
 * other {@code **} is a {@code *}; {@code \} takes the next byte literally; a class is {@code [...]} with
 * {@code !} or {@code ^} negating, ranges, escapes and the POSIX {@code [:name:]} classes (ASCII, as
 * Git's own ctype.c); case counts. A pattern Git cannot read (a class never closed, an unknown
 * {@code [:name:]}, a trailing {@code \}) matches nothing, as Git's aborts. Immutable, thread-safe. Not
 * part of the public API ({@code internal}: shared by the source package and this one).
 *
 * <p>Why not JGit's matcher: JGit's attribute rules ({@code AttributesRule.isMatch}) turn a pattern
 * into a backtracking regular expression, whose time is exponential in the number of {@code *}:
 * {@code *a*a*a*a*a*b} took about a minute on a name of 200 bytes (measured; a test of
 * {@code GitHostileAttributesIT} shows it), and any contributor can commit such a line. Here the pattern
 * is matched by dynamic programming over the path's positions: time O(pattern x path), space O(path),
 * whatever the pattern holds (Git bounds a line at 2048 bytes).
 */
public final class Wildmatch {
  private static final byte LITERAL = 0;
  private static final byte ONE = 1; // ? or a class: one byte of a set, never '/'
  private static final byte STAR = 2; // bytes without '/'
  private static final byte ANY = 3; // any bytes
  private static final byte ANY_DIRS = 4; // ** followed by '/': nothing, or any bytes ending with '/'

  private final byte[] kinds;
  private final int[] literals;
  private final boolean[][] sets;
  private final boolean never;

  private Wildmatch(byte[] kinds, int[] literals, boolean[][] sets, boolean never) {
    this.kinds = kinds;
    this.literals = literals;
    this.sets = sets;
    this.never = never;
  }

  /** The pattern {@code pattern[from, to)}; a {@code **} at {@code from} counts as at the pattern's start. */
  public static Wildmatch compile(byte[] pattern, int from, int to) {
    int max = to - from;
    byte[] kinds = new byte[max];
    int[] literals = new int[max];
    boolean[][] sets = new boolean[max][];
    int n = 0;
    int i = from;
    while (i < to) {
      int c = pattern[i] & 0xff;
      if (c == '\\') {
        if (i + 1 >= to) {
          return new Wildmatch(new byte[0], new int[0], new boolean[0][], true);
        }
        kinds[n] = LITERAL;
        literals[n++] = pattern[i + 1] & 0xff;
        i += 2;
      } else if (c == '?') {
        boolean[] set = new boolean[256];
        Arrays.fill(set, true);
        set['/'] = false;
        kinds[n] = ONE;
        sets[n++] = set;
        i++;
      } else if (c == '[') {
        boolean[] set = new boolean[256];
        i = WildmatchClass.parse(pattern, i + 1, to, set);
        if (i < 0) {
          return new Wildmatch(new byte[0], new int[0], new boolean[0][], true);
        }
        kinds[n] = ONE;
        sets[n++] = set;
      } else if (c == '*') {
        int end = i;
        while (end < to && pattern[end] == '*') {
          end++;
        }
        boolean deep = end - i >= 2 && (i == from || pattern[i - 1] == '/')
            && (end == to || pattern[end] == '/' || (pattern[end] == '\\' && end + 1 < to && pattern[end + 1] == '/'));
        if (deep && end < to && pattern[end] == '/') {
          kinds[n++] = ANY_DIRS;
          i = end + 1;
        } else {
          kinds[n++] = deep ? ANY : STAR;
          i = end;
        }
      } else {
        kinds[n] = LITERAL;
        literals[n++] = c;
        i++;
      }
    }
    return new Wildmatch(Arrays.copyOf(kinds, n), Arrays.copyOf(literals, n), Arrays.copyOf(sets, n), false);
  }

  /** True when Git cannot read the pattern (see above), so that it matches no text at all. */
  public boolean matchesNothing() {
    return never;
  }

  /**
   * The pattern's tokens (a byte, a class, a run of stars); {@link #matches} takes at most this many
   * passes over the text's positions.
   */
  public int size() {
    return kinds.length;
  }

  /** True when the pattern matches all of {@code text[from, to)}. */
  public boolean matches(byte[] text, int from, int to) {
    if (never) {
      return false;
    }
    int n = to - from;
    boolean[] at = new boolean[n + 1]; // at[k]: the tokens so far can match text[from, from + k)
    boolean[] next = new boolean[n + 1];
    at[0] = true;
    for (int t = 0; t < kinds.length; t++) {
      boolean any = false;
      boolean open = false; // some earlier position can still extend to this one
      for (int k = 0; k <= n; k++) {
        boolean reach;
        switch (kinds[t]) {
          case LITERAL -> reach = k > 0 && at[k - 1] && (text[from + k - 1] & 0xff) == literals[t];
          case ONE -> reach = k > 0 && at[k - 1] && sets[t][text[from + k - 1] & 0xff];
          case STAR -> {
            open = at[k] || (open && text[from + k - 1] != '/');
            reach = open;
          }
          case ANY -> {
            open |= at[k];
            reach = open;
          }
          default -> { // ANY_DIRS: open means some earlier position was reached
            reach = at[k] || (open && text[from + k - 1] == '/');
            open |= at[k];
          }
        }
        next[k] = reach;
        any |= reach;
      }
      if (!any) {
        return false;
      }
      boolean[] swap = at;
      at = next;
      next = swap;
    }
    return at[n];
  }
}
