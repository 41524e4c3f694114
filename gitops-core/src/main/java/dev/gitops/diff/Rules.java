package dev.gitops.diff;

import dev.gitops.internal.diff.Pattern;
import dev.gitops.internal.diff.SecretValues;
import dev.gitops.model.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link DiffOptions}' rules compiled once: ignore patterns first, then merge-key patterns (sorted
 * by pattern, so the first declared match is deterministic), then sensitive patterns — a Secret's
 * values ({@link SecretValues#RULES}) always among them. Immutable and thread-safe. Not public API.
 */
final class Rules {
  final Pattern[] patterns;
  final int ignoreCount;
  final PathRule[] ignore;
  final List<List<String>> mergeFields;
  final Pattern[] sensitivePatterns;
  final PathRule[] sensitive;
  final int words;
  final Segments segments;
  /** The root mask bits every resource has: merge-key patterns and ignore rules for all. */
  private final long[] common;
  /** Ignore rules that apply to some resources only. */
  private final int[] selective;

  /** Compiles the rules of {@code options}. */
  public Rules(DiffOptions options) {
    List<Pattern> all = new ArrayList<>();
    for (PathRule r : options.ignore()) {
      all.add(new Pattern(r.pointer()));
    }
    ignoreCount = all.size();
    ignore = options.ignore().toArray(new PathRule[0]);
    mergeFields = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : new TreeMap<>(options.mergeKeys()).entrySet()) {
      if (e.getValue().isEmpty()) {
        throw new IllegalArgumentException("a merge key names at least one field: " + e.getKey());
      }
      all.add(new Pattern(e.getKey()));
      mergeFields.add(List.copyOf(e.getValue()));
    }
    patterns = all.toArray(new Pattern[0]);
    words = Math.max(1, (patterns.length + 63) / 64);
    segments = new Segments(patterns, ignoreCount, words);
    common = new long[words];
    List<Integer> some = new ArrayList<>();
    for (int p = 0; p < patterns.length; p++) {
      if (p >= ignoreCount || forAll(ignore[p])) {
        common[p >>> 6] |= 1L << (p & 63);
      } else {
        some.add(p);
      }
    }
    selective = some.stream().mapToInt(Integer::intValue).toArray();
    sensitive = SecretValues.with(options.sensitive()).toArray(new PathRule[0]);
    sensitivePatterns = new Pattern[sensitive.length];
    for (int i = 0; i < sensitive.length; i++) {
      sensitivePatterns[i] = new Pattern(sensitive[i].pointer());
    }
  }

  /** Writes the initial mask for {@code id}: ignore rules that apply to it and every merge-key pattern. */
  void rootMask(ResourceId id, long[] mask) {
    System.arraycopy(common, 0, mask, 0, words);
    for (int p : selective) {
      if (ignore[p].appliesTo(id)) {
        mask[p >>> 6] |= 1L << (p & 63);
      }
    }
  }

  private static boolean forAll(PathRule r) {
    return r.group().equals("*") && r.kind().equals("*") && r.name().equals("*");
  }

  /** Sensitive patterns of the rules that apply to {@code id}. */
  public List<Pattern> sensitiveFor(ResourceId id) {
    List<Pattern> out = new ArrayList<>(0);
    for (int i = 0; i < sensitive.length; i++) {
      if (sensitive[i].appliesTo(id)) {
        out.add(sensitivePatterns[i]);
      }
    }
    return out;
  }

  /** Ignore patterns of the rules that apply to {@code id}. */
  public List<Pattern> ignoredFor(ResourceId id) {
    List<Pattern> out = new ArrayList<>(0);
    for (int i = 0; i < ignoreCount; i++) {
      if (ignore[i].appliesTo(id)) {
        out.add(patterns[i]);
      }
    }
    return out;
  }

  /** Merge-key patterns and their fields, in match order. */
  public List<Map.Entry<Pattern, List<String>>> mergeKeys() {
    List<Map.Entry<Pattern, List<String>>> out = new ArrayList<>();
    for (int i = 0; i < mergeFields.size(); i++) {
      out.add(Map.entry(patterns[ignoreCount + i], mergeFields.get(i)));
    }
    return out;
  }
}
