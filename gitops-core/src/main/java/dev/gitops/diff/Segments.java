package dev.gitops.diff;

import dev.gitops.internal.diff.Pattern;
import java.util.HashMap;
import java.util.Map;

/**
 * The rule patterns indexed by path segment, so that entering a segment costs one lookup instead
 * of one match per pattern: for each depth, the patterns (as a bitmask) whose segment there
 * matches a given name or index, and the ignore and merge-key patterns that end there. Immutable
 * and thread-safe. Not public API.
 */
final class Segments {
  private final int words;
  private final Map<String, long[]>[] byName;
  private final Map<Integer, long[]>[] byIndex;
  private final long[][] anyName;
  private final long[][] anyIndex;
  private final long[][] ignoreEnds;
  private final long[][] mergeEnds;

  @SuppressWarnings("unchecked")
  Segments(Pattern[] patterns, int ignoreCount, int words) {
    this.words = words;
    int depths = 0;
    for (Pattern p : patterns) {
      depths = Math.max(depths, p.length());
    }
    byName = new Map[depths];
    byIndex = new Map[depths];
    anyName = new long[depths][words];
    anyIndex = new long[depths][words];
    ignoreEnds = new long[depths][words];
    mergeEnds = new long[depths + 1][words];
    for (int d = 0; d < depths; d++) {
      byName[d] = new HashMap<>();
      byIndex[d] = new HashMap<>();
      for (int p = 0; p < patterns.length; p++) {
        Pattern pat = patterns[p];
        if (pat.length() <= d) {
          continue;
        }
        if (pat.isAny(d)) {
          set(anyName[d], p);
          set(anyIndex[d], p);
        } else {
          byName[d].computeIfAbsent(pat.name(d), k -> new long[words]);
          if (pat.index(d) >= 0) {
            byIndex[d].computeIfAbsent(pat.index(d), k -> new long[words]);
          }
        }
        if (p < ignoreCount && pat.length() == d + 1) {
          set(ignoreEnds[d], p);
        }
      }
      for (Map.Entry<String, long[]> e : byName[d].entrySet()) {
        for (int p = 0; p < patterns.length; p++) {
          if (patterns[p].length() > d && patterns[p].matches(d, e.getKey(), -1)) {
            set(e.getValue(), p);
          }
        }
      }
      for (Map.Entry<Integer, long[]> e : byIndex[d].entrySet()) {
        for (int p = 0; p < patterns.length; p++) {
          if (patterns[p].length() > d && patterns[p].matches(d, null, e.getKey())) {
            set(e.getValue(), p);
          }
        }
      }
    }
    for (int p = ignoreCount; p < patterns.length; p++) {
      set(mergeEnds[patterns[p].length()], p);
    }
  }

  private static void set(long[] mask, int p) {
    mask[p >>> 6] |= 1L << (p & 63);
  }

  /**
   * Writes at {@code to} the patterns of {@code masks} at {@code from} that match segment
   * {@code depth} (a name, or when {@code name} is null the index {@code index}).
   */
  void enter(long[] masks, int from, int to, int depth, String name, int index) {
    long[] match;
    if (depth >= byName.length) {
      match = null;
    } else if (name != null) {
      match = byName[depth].getOrDefault(name, anyName[depth]);
    } else {
      match = byIndex[depth].getOrDefault(index, anyIndex[depth]);
    }
    for (int w = 0; w < words; w++) {
      masks[to + w] = match == null ? 0 : masks[from + w] & match[w];
    }
  }

  /** The lowest ignore pattern among {@code masks} at {@code at} that ends at segment {@code depth}, or -1. */
  int ignoreEnding(long[] masks, int at, int depth) {
    return depth >= ignoreEnds.length ? -1 : lowest(masks, at, ignoreEnds[depth]);
  }

  /** The lowest merge-key pattern among {@code masks} at {@code at} that is {@code depth} long, or -1. */
  int mergeEnding(long[] masks, int at, int depth) {
    return depth >= mergeEnds.length ? -1 : lowest(masks, at, mergeEnds[depth]);
  }

  private int lowest(long[] masks, int at, long[] filter) {
    for (int w = 0; w < words; w++) {
      long m = masks[at + w] & filter[w];
      if (m != 0) {
        return (w << 6) + Long.numberOfTrailingZeros(m);
      }
    }
    return -1;
  }
}
