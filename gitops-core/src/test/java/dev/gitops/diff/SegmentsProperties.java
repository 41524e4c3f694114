package dev.gitops.diff;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.gitops.internal.diff.Pattern;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The segment index gives, at every depth of every path, the patterns, the ending ignore pattern
 * and the merge-key pattern that matching each pattern one by one gives (1,000 examples, up to 100
 * patterns so that masks span two words).
 */
class SegmentsProperties {
  private static final String[] SEGMENTS = {"a", "b", "0", "1", "*", "-"};
  private static final String[] NAMES = {"a", "b", "0", "c", "-"};

  private record Example(Pattern[] patterns, int ignoreCount, String[] names, int[] idx) {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("patterns=[");
      for (Pattern p : patterns) {
        sb.append('\'');
        for (int i = 0; i < p.length(); i++) {
          sb.append('/').append(p.name(i));
        }
        sb.append("' ");
      }
      return sb + "] ignore=" + ignoreCount + " names=" + Arrays.toString(names)
          + " idx=" + Arrays.toString(idx);
    }
  }

  private static Gen<Example> examples() {
    return r -> {
      int count = integers().between(1, 100).generate(r);
      Pattern[] patterns = new Pattern[count];
      for (int p = 0; p < count; p++) {
        StringBuilder pointer = new StringBuilder();
        for (int i = 0, n = integers().between(0, 4).generate(r); i < n; i++) {
          pointer.append('/').append(SEGMENTS[integers().between(0, SEGMENTS.length - 1).generate(r)]);
        }
        patterns[p] = new Pattern(pointer.toString());
      }
      int depth = integers().between(0, 5).generate(r);
      String[] names = new String[depth];
      int[] idx = new int[depth];
      for (int i = 0; i < depth; i++) {
        if (integers().between(0, 2).generate(r) == 0) {
          idx[i] = integers().between(0, 2).generate(r);
        } else {
          names[i] = NAMES[integers().between(0, NAMES.length - 1).generate(r)];
          idx[i] = -1;
        }
      }
      return new Example(patterns, integers().between(0, count).generate(r), names, idx);
    };
  }

  @Test
  void indexedMatchingEqualsMatchingEachPattern() {
    qt().withExamples(1000).forAll(examples()).check(e -> {
      int words = (e.patterns().length + 63) / 64;
      Segments segments = new Segments(e.patterns(), e.ignoreCount(), words);
      long[] masks = new long[(e.names().length + 1) * words];
      long[] reference = new long[words];
      for (int p = 0; p < e.patterns().length; p++) {
        masks[p >>> 6] |= 1L << (p & 63);
        reference[p >>> 6] |= 1L << (p & 63);
      }
      for (int depth = 0; depth < e.names().length; depth++) {
        if (segments.mergeEnding(masks, depth * words, depth) != mergeEnding(e, reference, depth)) {
          return false;
        }
        segments.enter(masks, depth * words, (depth + 1) * words, depth, e.names()[depth], e.idx()[depth]);
        long[] next = new long[words];
        int ending = -1;
        for (int p = 0; p < e.patterns().length; p++) {
          Pattern pat = e.patterns()[p];
          if ((reference[p >>> 6] & (1L << (p & 63))) != 0 && pat.length() > depth
              && pat.matches(depth, e.names()[depth], e.idx()[depth])) {
            next[p >>> 6] |= 1L << (p & 63);
            if (ending < 0 && p < e.ignoreCount() && pat.length() == depth + 1) {
              ending = p;
            }
          }
        }
        reference = next;
        if (!Arrays.equals(reference, Arrays.copyOfRange(masks, (depth + 1) * words, (depth + 2) * words))
            || segments.ignoreEnding(masks, (depth + 1) * words, depth) != ending) {
          return false;
        }
      }
      return true;
    });
  }

  private static int mergeEnding(Example e, long[] mask, int depth) {
    for (int p = e.ignoreCount(); p < e.patterns().length; p++) {
      if ((mask[p >>> 6] & (1L << (p & 63))) != 0 && e.patterns()[p].length() == depth) {
        return p;
      }
    }
    return -1;
  }
}
