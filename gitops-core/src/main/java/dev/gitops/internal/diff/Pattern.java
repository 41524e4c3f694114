package dev.gitops.internal.diff;

import java.util.List;

/**
 * A compiled pointer pattern: segments, {@code *} matching any one segment. Immutable. Not public
 * API.
 */
public final class Pattern {
  private final String[] names;
  private final int[] indexes;
  private final boolean[] any;

  /** Compiles {@code pointer} ({@code ""} matches the root). */
  public Pattern(String pointer) {
    List<String> segs = Pointer.segments(pointer);
    names = segs.toArray(new String[0]);
    indexes = new int[names.length];
    any = new boolean[names.length];
    for (int i = 0; i < names.length; i++) {
      any[i] = "*".equals(names[i]);
      indexes[i] = Pointer.isIndex(names[i]) ? Integer.parseInt(names[i]) : -1;
    }
  }

  /** Number of segments. */
  public int length() {
    return names.length;
  }

  /** True when segment {@code i} is {@code *}. */
  public boolean isAny(int i) {
    return any[i];
  }

  /** Segment {@code i} as written. */
  public String name(int i) {
    return names[i];
  }

  /** Segment {@code i} as an array index, or -1 when it is not one. */
  public int index(int i) {
    return indexes[i];
  }

  /** True when segment {@code i} matches a name, or, when {@code name} is null, index {@code index}. */
  public boolean matches(int i, String name, int index) {
    if (any[i]) {
      return true;
    }
    return name == null ? indexes[i] == index : names[i].equals(name);
  }

  /**
   * True when this pattern and the path's first {@code depth} segments agree on their common
   * prefix: one lies under the other.
   */
  public boolean overlaps(String[] pathNames, int[] pathIdx, int depth) {
    int n = Math.min(depth, names.length);
    for (int i = 0; i < n; i++) {
      if (!matches(i, pathNames[i], pathIdx[i])) {
        return false;
      }
    }
    return true;
  }

  /** True when the path's first {@code depth} segments match this whole pattern or lie under it. */
  public boolean covers(String[] pathNames, int[] pathIdx, int depth) {
    return depth >= names.length && overlaps(pathNames, pathIdx, depth);
  }
}
