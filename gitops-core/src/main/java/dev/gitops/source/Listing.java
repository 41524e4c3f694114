package dev.gitops.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The names an error lists: the first {@value #LISTED}, each with a detail, then how many more. Kept in
 * the order offered, or in sorted order (the ten smallest; a name offered again is kept once but counted
 * again, as two files whose names print alike are two); either way it holds at most {@value #LISTED}
 * names however many are offered (a tree of a million symbolic links or bad names would otherwise make
 * an error of megabytes). Not thread-safe.
 * Not part of the public API.
 */
final class Listing {
  /** How many names an error lists before it counts the rest. */
  static final int LISTED = 10;

  private final List<Map.Entry<String, String>> inOrder;
  private final TreeMap<String, String> sorted;
  private int count;

  private Listing(boolean sorted) {
    this.inOrder = sorted ? null : new ArrayList<>();
    this.sorted = sorted ? new TreeMap<>() : null;
  }

  /** A listing of the first names offered, in that order. */
  static Listing inOrder() {
    return new Listing(false);
  }

  /** A listing of the smallest names offered, in sorted order ({@link String#compareTo}). */
  static Listing sorted() {
    return new Listing(true);
  }

  /** Offers {@code name}, without detail. */
  void add(String name) {
    add(name, "");
  }

  /** Offers {@code name} with {@code detail}, printed after it (a sorted name offered again takes the new detail). */
  void add(String name, String detail) {
    count++;
    if (sorted != null) {
      sorted.put(name, detail);
      if (sorted.size() > LISTED) {
        sorted.pollLastEntry();
      }
    } else if (inOrder.size() < LISTED) {
      inOrder.add(Map.entry(name, detail));
    }
  }

  /** How many names were offered, those not kept too. */
  int count() {
    return count;
  }

  boolean isEmpty() {
    return count == 0;
  }

  /** The first name kept; only when not {@linkplain #isEmpty empty}. */
  String first() {
    return sorted != null ? sorted.firstKey() : inOrder.get(0).getKey();
  }

  /**
   * The names kept, each as {@code show} prints it followed by its detail, separated by {@code ", "},
   * then {@code " and N more"} when more were offered.
   */
  String names(Function<String, String> show) {
    List<Map.Entry<String, String>> kept = sorted != null ? List.copyOf(sorted.entrySet()) : inOrder;
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < kept.size(); i++) {
      text.append(i == 0 ? "" : ", ").append(show.apply(kept.get(i).getKey())).append(kept.get(i).getValue());
    }
    return count > kept.size() ? text.append(" and ").append(count - kept.size()).append(" more").toString()
        : text.toString();
  }
}
