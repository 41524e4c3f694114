package dev.gitops.samples;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** "Did you mean": the option names nearest a mistyped one (typos, swapped letters, a missing dash). */
final class Suggestions {
  private Suggestions() {}

  /**
   * The names within an edit distance of 2 of {@code typed} (its {@code =value} cut off), or else
   * those that start with it; sorted, at most three.
   */
  static List<String> near(String typed, Collection<String> names) {
    int eq = typed.indexOf('=');
    String word = eq > 0 ? typed.substring(0, eq) : typed;
    List<String> found = new ArrayList<>();
    for (int limit = 1; limit <= 2 && found.isEmpty(); limit++) {
      for (String name : names) {
        if (name.length() > 2 && distance(word, name) <= limit) {
          found.add(name);
        }
      }
    }
    if (found.isEmpty() && word.length() > 3) {
      names.stream().filter(n -> n.startsWith(word)).forEach(found::add);
    }
    found.sort(null);
    return found.subList(0, Math.min(3, found.size()));
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
