package dev.gitops.diff;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.diff.Change.Op;
import dev.gitops.diff.FieldSchema.ListMatch;
import dev.gitops.internal.diff.Values;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The list part of a {@link Walk}: matches the elements of two lists as the schema node of the list
 * says (by key fields with their defaults, by value for a set, by position for an atomic list),
 * else by the options' merge key for the list's path, else by position; then compares the matched
 * elements with the walk. In desired-subset mode an element only actual has is a removal when it
 * was applied last (by key or value), and otherwise, for keyed lists and sets, not drift (the walk
 * asks the schema whether to count it). Reused with its walk, not thread-safe. Not public API.
 */
final class ListWalk {
  private final Walk walk;

  ListWalk(Walk walk) {
    this.walk = walk;
  }

  /** Compares two arrays at {@code depth}; {@code la} is last-applied, or null. */
  void arrays(JsonNode a, JsonNode d, JsonNode la, int depth) {
    JsonNode laArr = la != null && la.isArray() ? la : null;
    FieldSchema.Node node = walk.node(depth);
    ListMatch match = node == null ? null : node.match();
    if (match != null) {
      boolean done = switch (match.kind()) {
        case KEYED -> keyed(a, d, laArr, depth, match.keys(), match.defaults());
        case SET -> set(a, d, laArr, depth);
        case ATOMIC -> false;
      };
      if (!done) {
        positional(a, d, laArr, depth);
      }
      return;
    }
    List<String> keys = walk.mergeKeysAt(depth);
    if (keys == null || !keyed(a, d, laArr, depth, keys, null)) {
      positional(a, d, laArr, depth);
    }
  }

  /**
   * Matches by key; false (nothing compared) when an element is no object or two desired elements
   * share a key. Where actual repeats a key, its first element of the key is matched and the
   * others of a key desired has are removed ({@link #replacedRepeat}).
   */
  private boolean keyed(JsonNode a, JsonNode d, JsonNode laArr, int depth, List<String> keys,
                        List<JsonNode> defaults) {
    if (!Keys.usable(a, keys) || !Keys.usable(d, keys)) {
      return false;
    }
    FieldVisit visit = walk.visit;
    boolean aligned = Keys.aligned(a, d, keys, defaults);
    boolean laNormal = laArr == null || visit == null;
    if (visit != null && !aligned) {
      // Keys that already line up raw line up normalised too; others are compared normalised.
      a = visit.keys(a, depth, keys);
      d = visit.keys(d, depth, keys);
      laArr = laArr == null ? null : visit.keys(laArr, depth, keys);
      laNormal = true;
      aligned = Keys.aligned(a, d, keys, defaults);
    }
    if (aligned) {
      JsonNode dKeys = d; // d with its keys as laArr's are: raw or normalised
      for (int i = 0, n = d.size(); i < n && !walk.found; i++) {
        JsonNode de = d.get(i);
        JsonNode lae = null;
        if (laArr != null && Keys.sameKey(laArr.get(i), dKeys.get(i), keys, defaults)) {
          lae = laArr.get(i); // equal raw keys stay equal once normalised
        } else if (laArr != null) {
          if (!laNormal) { // a raw match elsewhere may not be the first normalised one
            laArr = visit.keys(laArr, depth, keys);
            dKeys = visit.keys(d, depth, keys);
            laNormal = true;
          }
          lae = Keys.sameKey(laArr.get(i), dKeys.get(i), keys, defaults)
              ? laArr.get(i) : byKey(laArr, dKeys.get(i), keys, defaults);
        }
        int prev = walk.enterElement(depth, i, de);
        walk.value(walk.norm(a.get(i), depth + 1), walk.norm(de, depth + 1),
            walk.norm(lae, depth + 1), depth + 1);
        walk.suppressor = prev;
      }
      return true;
    }
    Map<String, Integer> actualByKey = Keys.index(a, keys, defaults);
    Map<String, Integer> desiredByKey = Keys.index(d, keys, defaults);
    if (desiredByKey == null) {
      return false;
    }
    boolean repeats = actualByKey == null; // actual repeats a key: its first element is the one matched
    if (repeats) {
      actualByKey = Keys.firstIndex(a, keys, defaults);
    }
    Map<String, Integer> laByKey = laArr != null && Keys.usable(laArr, keys)
        ? Keys.index(laArr, keys, defaults) : null;
    for (int j = 0, n = d.size(); j < n && !walk.found; j++) {
      JsonNode de = d.get(j);
      String key = Keys.key(de, keys, defaults);
      Integer i = actualByKey.get(key);
      Integer l = laByKey == null ? null : laByKey.get(key);
      int prev = walk.enterElement(depth, i == null ? Walk.ADDED : i, de);
      walk.value(i == null ? null : walk.norm(a.get(i), depth + 1), walk.norm(de, depth + 1),
          l == null ? null : walk.norm(laArr.get(l), depth + 1), depth + 1);
      walk.suppressor = prev;
    }
    for (int i = 0, n = a.size(); i < n && !walk.found; i++) {
      String key = Keys.key(a.get(i), keys, defaults);
      if (desiredByKey.containsKey(key)) {
        if (repeats && actualByKey.get(key) != i) {
          replacedRepeat(a.get(i), i, depth);
        }
        continue;
      }
      Integer l = laByKey == null ? null : laByKey.get(key);
      actualOnly(a.get(i), i, l == null ? null : laArr.get(l), depth);
    }
    return true;
  }

  /**
   * A later element of actual with the key of a desired element that actual's first element of
   * that key is matched with: writing desired leaves one element of the key, so this one goes
   * whoever keeps it (structured-merge-diff since v4.4 replaces the repeated elements of a key an
   * apply sets with the applied one; a merge by key has one element per key), never hidden as an
   * extra another writer owns.
   */
  private void replacedRepeat(JsonNode ae, int i, int depth) {
    int prev = walk.enterElement(depth, i, ae);
    walk.emit(Op.REMOVE, depth + 1, ae, null);
    walk.suppressor = prev;
  }

  /**
   * Matches scalars by value; false (nothing compared) when an element of either side is a
   * container. Order is not drift; a value only desired has is added at {@code -}.
   */
  private boolean set(JsonNode a, JsonNode d, JsonNode laArr, int depth) {
    if (!scalars(a) || !scalars(d)) {
      return false;
    }
    FieldVisit visit = walk.visit;
    if (visit != null) {
      a = visit.keys(a, depth, List.of());
      d = visit.keys(d, depth, List.of());
      laArr = laArr == null || !scalars(laArr) ? null : visit.keys(laArr, depth, List.of());
    }
    Set<String> actual = values(a);
    Set<String> desired = values(d);
    Set<String> applied = laArr == null ? Set.of() : values(laArr);
    for (int j = 0, n = d.size(); j < n && !walk.found; j++) {
      JsonNode de = d.get(j);
      String v = Values.keyText(de);
      if (!actual.contains(v)) {
        int prev = walk.enterElement(depth, Walk.ADDED, de);
        walk.differ(Op.ADD, depth + 1, null, de, applied.contains(v) ? de : null);
        walk.suppressor = prev;
      }
    }
    for (int i = 0, n = a.size(); i < n && !walk.found; i++) {
      JsonNode ae = a.get(i);
      String v = Values.keyText(ae);
      if (!desired.contains(v)) {
        actualOnly(ae, i, applied.contains(v) ? ae : null, depth);
      }
    }
    return true;
  }

  /**
   * An element of a keyed list or set that only actual has: a removal when it was applied last
   * ({@code lae}), inside an atomic value applied whole ({@link Walk#replacedWhole}) or outside
   * desired-subset mode, else an extra the schema may count. A removal is whole unless another
   * writer keeps the element ({@link ObjectWalk#removed}): then only what was applied in it goes.
   */
  private void actualOnly(JsonNode ae, int i, JsonNode lae, int depth) {
    boolean removal = !walk.subset || lae != null || walk.replacedWhole();
    if (!removal && walk.node(depth) == null) {
      return;
    }
    int prev = walk.enterElement(depth, i, ae);
    if (removal) {
      walk.objectWalk.removed(ae, lae, depth + 1);
    } else {
      walk.extra(depth + 1, ae);
    }
    walk.suppressor = prev;
  }

  private void positional(JsonNode a, JsonNode d, JsonNode laArr, int depth) {
    int na = a.size();
    int nd = d.size();
    int n = Math.min(na, nd);
    for (int i = 0; i < n && !walk.found; i++) {
      JsonNode ae = a.get(i);
      JsonNode de = d.get(i);
      if (ae == de || Walk.same(ae, de)) {
        continue;
      }
      int prev = walk.enterElement(depth, i, de);
      walk.value(walk.norm(ae, depth + 1), walk.norm(de, depth + 1),
          laArr == null ? null : walk.norm(laArr.get(i), depth + 1), depth + 1);
      walk.suppressor = prev;
    }
    for (int i = n; i < nd && !walk.found; i++) {
      int prev = walk.enterElement(depth, i, d.get(i));
      walk.differ(Op.ADD, depth + 1, null, d.get(i), laArr == null ? null : laArr.get(i));
      walk.suppressor = prev;
    }
    for (int i = n; i < na && !walk.found; i++) {
      int prev = walk.enterElement(depth, i, a.get(i));
      walk.differ(Op.REMOVE, depth + 1, a.get(i), null, laArr == null ? null : laArr.get(i));
      walk.suppressor = prev;
    }
  }

  private static JsonNode byKey(JsonNode array, JsonNode element, List<String> keys,
                                List<JsonNode> defaults) {
    for (int i = 0, n = array.size(); i < n; i++) {
      if (Keys.sameKey(array.get(i), element, keys, defaults)) {
        return array.get(i);
      }
    }
    return null;
  }

  private static boolean scalars(JsonNode array) {
    for (int i = 0, n = array.size(); i < n; i++) {
      if (array.get(i).isContainerNode()) {
        return false;
      }
    }
    return true;
  }

  private static Set<String> values(JsonNode array) {
    Set<String> out = new HashSet<>();
    for (int i = 0, n = array.size(); i < n; i++) {
      out.add(Values.keyText(array.get(i)));
    }
    return out;
  }
}
