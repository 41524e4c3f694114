package dev.gitops.internal.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ValueNode;
import dev.gitops.diff.Change;
import dev.gitops.diff.Change.Op;
import dev.gitops.diff.FieldNormalizer;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.diff.Suppressed;
import dev.gitops.model.ResourceId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One diff in progress: walks actual and desired trees side by side with a path stack and a
 * bitmask of the rule patterns still matching, allocating nothing while values are equal. Path
 * strings are built only when a difference is found. With field rules ({@link FieldNormalizer}s)
 * it normalises each value it visits, just before comparing it, so nothing is copied up front and
 * nothing outside the desired fields is visited; the values of recorded changes are normalised
 * whole ({@link FieldVisit}). One diff at a time: {@link #reset} starts the next one on the same
 * arrays (a planner diffs every resource). Not thread-safe. Not public API.
 */
public final class Walk {
  /** The index of a path segment that names an element added to a keyed list ({@code -}). */
  private static final int ADDED = -2;

  private final Rules rules;
  private ResourceId id;
  private boolean subset;
  private boolean firstOnly;
  private final int words;
  private String[] names = new String[16];
  private int[] idx = new int[16];
  private long[] masks;
  private int suppressor;
  private int[] counts;
  private List<Change> changes;
  private List<Pattern> sensitive;
  private boolean found;
  private final FieldVisit visit;
  private boolean claimed;

  /**
   * A walk for {@code id}.
   *
   * @param subset true for DESIRED_SUBSET
   * @param firstOnly true to stop at the first unsuppressed difference ({@link #found()})
   * @param fields the field rules to normalise visited values with, or null when the values are
   *     normalised already
   */
  public Walk(Rules rules, ResourceId id, boolean subset, boolean firstOnly,
              List<FieldNormalizer> fields) {
    this.rules = rules;
    this.visit = fields == null || fields.isEmpty() ? null : new FieldVisit(this, fields);
    this.words = rules.words;
    this.masks = new long[16 * words];
    reset(id, subset, firstOnly);
  }

  /**
   * Starts a new diff for {@code id} on this walk's arrays, as if it were new: nothing of the last
   * diff is kept (its changes went to the {@link ResourceDiff} {@link #result()} returned).
   */
  public void reset(ResourceId id, boolean subset, boolean firstOnly) {
    this.id = id;
    this.subset = subset;
    this.firstOnly = firstOnly;
    suppressor = -1;
    counts = null;
    changes = null;
    sensitive = null;
    found = false;
    if (visit != null) {
      visit.reset(id);
    }
    rules.rootMask(id, masks);
    for (int p = 0; p < rules.ignoreCount && suppressor < 0; p++) {
      if (rules.patterns[p].length() == 0 && bit(0, p)) {
        suppressor = p;
      }
    }
  }

  /**
   * Takes this walk for one diff; false when a diff (an outer one, on this thread) has it already.
   * Give it back with {@link #release()} once that diff's result is taken.
   */
  public boolean claim() {
    if (claimed) {
      return false;
    }
    claimed = true;
    return true;
  }

  /** Gives this walk back after a diff, finished or thrown; the next {@link #reset} starts clean. */
  public void release() {
    claimed = false;
  }

  /** {@code tree}, the root of a side, after the field rules (itself when there are none). */
  public JsonNode root(JsonNode tree) {
    return norm(tree, 0);
  }

  private JsonNode norm(JsonNode v, int depth) {
    return visit == null ? v : visit.norm(v, depth);
  }

  /** The name of path segment {@code i}: null for an array element, also one added by key. */
  String segmentName(int i) {
    return idx[i] == ADDED ? null : names[i];
  }

  /** Sets segment {@code depth} without matching rule patterns: for normalising key fields. */
  void at(int depth, String name, int index) {
    grow(depth);
    names[depth] = name;
    idx[depth] = index;
  }

  /** True when a {@code firstOnly} walk met a difference. */
  public boolean found() {
    return found;
  }

  /** Compares values at {@code depth}; null means absent. {@code la} is last-applied, or null. */
  public void value(JsonNode a, JsonNode d, JsonNode la, int depth) {
    if (d == null) {
      if (a != null && (!subset || la != null)) {
        emit(Op.REMOVE, depth, a, null);
      }
      return;
    }
    if (a == null) {
      emit(Op.ADD, depth, null, d);
      return;
    }
    if (a == d) {
      return;
    }
    if (d.isObject()) {
      if (a.isObject()) {
        objects(a, d, la, depth);
        return;
      }
    } else if (d.isArray()) {
      if (a.isArray()) {
        arrays(a, d, la, depth);
        return;
      }
    } else if (Values.scalarsEqual(a, d)) {
      return;
    }
    emit(Op.REPLACE, depth, a, d);
  }

  private void objects(JsonNode a, JsonNode d, JsonNode la, int depth) {
    JsonNode laObj = la != null && la.isObject() ? la : null;
    int matched = 0;
    for (Map.Entry<String, JsonNode> e : d.properties()) {
      String k = e.getKey();
      JsonNode av = a.get(k);
      JsonNode dv = e.getValue();
      if (av != null) {
        matched++;
        if (av == dv || same(av, dv)) {
          continue;
        }
      }
      int prev = push(depth, k, -1);
      JsonNode lav = laObj == null ? null : laObj.get(k);
      if (visit != null) {
        av = norm(av, depth + 1);
        dv = norm(dv, depth + 1);
        lav = norm(lav, depth + 1);
      }
      value(av, dv, lav, depth + 1);
      suppressor = prev;
      if (found) {
        return;
      }
    }
    if (matched == a.size() || (subset && laObj == null)) {
      return;
    }
    for (Map.Entry<String, JsonNode> e : a.properties()) {
      String k = e.getKey();
      if (d.get(k) != null || (subset && laObj.get(k) == null)) {
        continue;
      }
      int prev = push(depth, k, -1);
      JsonNode av = norm(e.getValue(), depth + 1);
      if (av != null && (!subset || norm(laObj.get(k), depth + 1) != null)) {
        emit(Op.REMOVE, depth + 1, av, null);
      }
      suppressor = prev;
      if (found) {
        return;
      }
    }
  }

  /**
   * True when {@code a} and {@code d} are equal as they stand: scalars by value, containers of the
   * same size by {@code equals} (exact node types). Equal values normalise alike (a rule decides by
   * path and value) and hold no difference, so the walk skips them at the cost of
   * {@code JsonNode.equals}; containers of different sizes (an object the server added defaults
   * to) are not compared here.
   */
  private static boolean same(JsonNode a, JsonNode d) {
    if (d instanceof ValueNode) {
      return d.equals(a) || Values.scalarsEqual(a, d);
    }
    return a.size() == d.size() && d.equals(a);
  }

  private void arrays(JsonNode a, JsonNode d, JsonNode la, int depth) {
    JsonNode laArr = la != null && la.isArray() ? la : null;
    List<String> keys = mergeKeysAt(depth);
    if (keys != null && Keys.usable(a, keys) && Keys.usable(d, keys)) {
      boolean aligned = Keys.aligned(a, d, keys);
      if (visit != null && !(aligned && (laArr == null || Keys.aligned(laArr, d, keys)))) {
        // Keys that already line up raw line up normalised too; others are compared normalised.
        a = visit.keys(a, depth, keys);
        d = visit.keys(d, depth, keys);
        laArr = laArr == null ? null : visit.keys(laArr, depth, keys);
        aligned = Keys.aligned(a, d, keys);
      }
      if (aligned) {
        for (int i = 0, n = d.size(); i < n && !found; i++) {
          JsonNode de = d.get(i);
          JsonNode lae = laArr == null ? null
              : Keys.sameKey(laArr.get(i), de, keys) ? laArr.get(i) : byKey(laArr, de, keys);
          int prev = push(depth, null, i);
          value(norm(a.get(i), depth + 1), norm(de, depth + 1), norm(lae, depth + 1), depth + 1);
          suppressor = prev;
        }
        return;
      }
      Map<String, Integer> actualByKey = Keys.index(a, keys);
      Map<String, Integer> desiredByKey = Keys.index(d, keys);
      if (actualByKey != null && desiredByKey != null) {
        keyed(a, d, laArr, depth, keys, actualByKey, desiredByKey);
        return;
      }
    }
    positional(a, d, laArr, depth);
  }

  private void keyed(JsonNode a, JsonNode d, JsonNode laArr, int depth, List<String> keys,
                     Map<String, Integer> actualByKey, Map<String, Integer> desiredByKey) {
    Map<String, Integer> laByKey = laArr != null && Keys.usable(laArr, keys) ? Keys.index(laArr, keys) : null;
    for (int j = 0, n = d.size(); j < n && !found; j++) {
      JsonNode de = d.get(j);
      String key = Keys.key(de, keys);
      Integer i = actualByKey.get(key);
      Integer l = laByKey == null ? null : laByKey.get(key);
      int prev = i == null ? push(depth, "-", ADDED) : push(depth, null, i);
      value(i == null ? null : norm(a.get(i), depth + 1), norm(de, depth + 1),
          l == null ? null : norm(laArr.get(l), depth + 1), depth + 1);
      suppressor = prev;
    }
    for (int i = 0, n = a.size(); i < n && !found; i++) {
      String key = Keys.key(a.get(i), keys);
      if (desiredByKey.containsKey(key) || (subset && (laByKey == null || !laByKey.containsKey(key)))) {
        continue;
      }
      int prev = push(depth, null, i);
      emit(Op.REMOVE, depth + 1, a.get(i), null);
      suppressor = prev;
    }
  }

  private static JsonNode byKey(JsonNode array, JsonNode element, List<String> keys) {
    for (int i = 0, n = array.size(); i < n; i++) {
      if (Keys.sameKey(array.get(i), element, keys)) {
        return array.get(i);
      }
    }
    return null;
  }

  private void positional(JsonNode a, JsonNode d, JsonNode laArr, int depth) {
    int na = a.size();
    int nd = d.size();
    int n = Math.min(na, nd);
    for (int i = 0; i < n && !found; i++) {
      JsonNode ae = a.get(i);
      JsonNode de = d.get(i);
      if (ae == de || same(ae, de)) {
        continue;
      }
      int prev = push(depth, null, i);
      value(norm(ae, depth + 1), norm(de, depth + 1),
          laArr == null ? null : norm(laArr.get(i), depth + 1), depth + 1);
      suppressor = prev;
    }
    for (int i = n; i < nd && !found; i++) {
      int prev = push(depth, null, i);
      emit(Op.ADD, depth + 1, null, d.get(i));
      suppressor = prev;
    }
    for (int i = n; i < na && !found; i++) {
      int prev = push(depth, null, i);
      emit(Op.REMOVE, depth + 1, a.get(i), null);
      suppressor = prev;
    }
  }

  private List<String> mergeKeysAt(int depth) {
    int p = rules.segments.mergeEnding(masks, depth * words, depth);
    return p < 0 ? null : rules.mergeFields.get(p - rules.ignoreCount);
  }

  private boolean bit(int depth, int p) {
    return (masks[depth * words + (p >>> 6)] & (1L << (p & 63))) != 0;
  }

  /**
   * Enters segment {@code depth}: a name, or when {@code name} is null the array index
   * {@code index}. Returns the suppressor to restore afterwards ({@code suppressor = returned}).
   */
  public int push(int depth, String name, int index) {
    grow(depth);
    names[depth] = name;
    idx[depth] = index;
    int prev = suppressor;
    int from = depth * words;
    if (words == 1 && masks[from] == 0) {
      masks[from + 1] = 0;
      return prev;
    }
    rules.segments.enter(masks, from, from + words, depth, name, index);
    if (suppressor < 0) {
      suppressor = rules.segments.ignoreEnding(masks, from + words, depth);
    }
    return prev;
  }

  private void grow(int depth) {
    if (depth + 2 > names.length) {
      names = Arrays.copyOf(names, names.length * 2);
      idx = Arrays.copyOf(idx, idx.length * 2);
      masks = Arrays.copyOf(masks, names.length * words);
    }
  }

  /** Restores the suppressor returned by {@link #push}. */
  public void pop(int previousSuppressor) {
    suppressor = previousSuppressor;
  }

  /** Records a difference at the first {@code depth} segments of the path stack. */
  public void emit(Op op, int depth, JsonNode before, JsonNode after) {
    if (suppressor >= 0) {
      if (counts == null) {
        counts = new int[rules.ignoreCount];
      }
      counts[suppressor]++;
      return;
    }
    if (firstOnly) {
      found = true;
      return;
    }
    if (changes == null) {
      changes = new ArrayList<>();
      sensitive = rules.sensitiveFor(id);
    }
    if (visit != null) {
      before = visit.whole(before, depth);
      after = visit.whole(after, depth);
    }
    boolean masked = false;
    for (Pattern p : sensitive) {
      masked |= p.overlaps(names, idx, depth);
    }
    changes.add(new Change(op, Pointer.build(names, idx, depth), before, after, masked));
  }

  /** The result: changes sorted by path (stable), then one suppressed entry per rule that hid any. */
  public ResourceDiff result() {
    if (changes == null && counts == null) {
      return ResourceDiff.none(id);
    }
    List<Change> out = changes == null ? List.of() : changes;
    if (out.size() > 1) {
      out.sort((x, y) -> Pointer.ORDER.compare(x.path(), y.path()));
    }
    List<Suppressed> hidden = new ArrayList<>(0);
    for (int p = 0; counts != null && p < counts.length; p++) {
      if (counts[p] > 0) {
        hidden.add(new Suppressed("ignore " + rules.ignore[p], counts[p]));
      }
    }
    return new ResourceDiff(id, out, hidden);
  }
}
