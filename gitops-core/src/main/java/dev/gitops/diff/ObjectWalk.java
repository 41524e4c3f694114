package dev.gitops.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.gitops.diff.Change.Op;
import java.util.Map;

/**
 * The object part of a {@link Walk}: compares the fields desired sets, then the actual-only ones
 * that count: in desired-subset mode the removals (fields applied last that desired no longer
 * sets) and, where the schema asks, the extras it counts. Reused with its walk, not thread-safe.
 * Not public API.
 */
final class ObjectWalk {
  private static final JsonNode EMPTY = JsonNodeFactory.instance.objectNode();
  private static final JsonNode EMPTY_LIST = JsonNodeFactory.instance.arrayNode();
  private final Walk walk;

  ObjectWalk(Walk walk) {
    this.walk = walk;
  }

  /** Compares two objects at {@code depth}; {@code la} is last-applied, or null. */
  void objects(JsonNode a, JsonNode d, JsonNode la, int depth) {
    JsonNode laObj = la != null && la.isObject() ? la : null;
    int matched = 0;
    for (Map.Entry<String, JsonNode> e : d.properties()) {
      String k = e.getKey();
      JsonNode av = a.get(k);
      JsonNode dv = e.getValue();
      if (av != null) {
        matched++;
        if (av == dv || Walk.same(av, dv)) {
          continue;
        }
      }
      int prev = walk.enter(depth, k);
      JsonNode lav = laObj == null ? null : laObj.get(k);
      if (walk.visit != null) {
        av = walk.norm(av, depth + 1);
        dv = walk.norm(dv, depth + 1);
        lav = walk.norm(lav, depth + 1);
      }
      walk.value(av, dv, lav, depth + 1);
      walk.suppressor = prev;
      if (walk.found) {
        return;
      }
    }
    if (matched == a.size()) {
      return;
    }
    if (laObj == null && walk.replacedWhole()) {
      replaced(a, d, depth);
      return;
    }
    boolean extras = walk.subset && walk.node(depth) != null && walk.node(depth).countsExtras();
    if (walk.subset && laObj == null && !extras) {
      return;
    }
    if (walk.subset && !extras) {
      removals(a, d, laObj, depth);
      return;
    }
    for (Map.Entry<String, JsonNode> e : a.properties()) {
      String k = e.getKey();
      boolean applied = laObj != null && laObj.get(k) != null;
      if (d.get(k) != null || (walk.subset && !applied && !extras)) {
        continue;
      }
      int prev = walk.enter(depth, k);
      JsonNode av = walk.norm(e.getValue(), depth + 1);
      JsonNode lav = applied ? walk.norm(laObj.get(k), depth + 1) : null;
      if (av != null && (!walk.subset || lav != null)) {
        removed(av, lav, depth + 1);
      } else if (av != null && extras) {
        if (av.isObject() && walk.node(depth + 1) != null && walk.node(depth + 1).countsExtras()) {
          objects(av, EMPTY, null, depth + 1); // counted field by field below
        } else {
          walk.extra(depth + 1, av);
        }
      }
      walk.suppressor = prev;
      if (walk.found) {
        return;
      }
    }
  }

  /**
   * Desired-subset removals in an object inside an atomic value applied whole
   * ({@link Walk#replacedWhole}): every field only actual has, that the schema knows (a field it
   * does not know is not claimed), asked about as a removal of what was applied.
   */
  private void replaced(JsonNode a, JsonNode d, int depth) {
    for (Map.Entry<String, JsonNode> e : a.properties()) {
      if (d.get(e.getKey()) != null) {
        continue;
      }
      int prev = walk.enter(depth, e.getKey());
      JsonNode av = walk.norm(e.getValue(), depth + 1);
      if (av != null && walk.node(depth + 1) != null) {
        leftOut(av, null, depth + 1);
      }
      walk.suppressor = prev;
      if (walk.found) {
        return;
      }
    }
  }

  /**
   * The removal of {@code av}, applied last as {@code lav}: in desired-subset mode, for an object or
   * a keyed list or set applied in part that another writer keeps
   * ({@link FieldSchema.Node#removedInParts}: it owns the value itself or something in it; they
   * and the value stay, only what was applied goes), field by field or element by element, at any
   * depth (an element of a keyed list is an object: kept, it loses only what was applied in it;
   * else it goes whole); else, and always for an atomic value, whole.
   */
  void removed(JsonNode av, JsonNode lav, int depth) {
    FieldSchema.Node node = walk.node(depth);
    boolean kept = walk.subset && lav != null && node != null && node.removedInParts();
    if (kept && av.isObject() && lav.isObject()) {
      objects(av, EMPTY, lav, depth);
    } else if (kept && av.isArray() && lav.isArray() && node.match() != null) {
      walk.lists.arrays(av, EMPTY_LIST, lav, depth);
    } else {
      leftOut(av, lav, depth);
    }
  }

  /**
   * The removal of {@code av} whole, applied last as {@code lav} (null inside an atomic value
   * applied whole): where the schema says what the target stores when a write leaves the field out
   * ({@link FieldSchema.Node#storedWhenLeftOut}) and the live value is not that, nor a removal the
   * node hides (a default written another way: {@code 0.25} for {@code 250m}), the live value is
   * compared with it as desired; else a removal asked about.
   */
  private void leftOut(JsonNode av, JsonNode lav, int depth) {
    FieldSchema.Node node = walk.node(depth);
    JsonNode stored = walk.subset && node != null ? node.storedWhenLeftOut() : null;
    stored = stored == null ? null : walk.norm(stored, depth);
    if (stored != null && !Walk.same(av, stored) && walk.hidden(depth, av, null, lav) == null) {
      walk.value(av, stored, lav, depth);
    } else {
      walk.differ(Op.REMOVE, depth, av, null, lav);
    }
  }

  /**
   * Desired-subset removals in an object: the fields applied last ({@code laObj}) that desired no
   * longer sets and actual still has. Visits the last-applied fields, not the actual ones: an
   * object read back from a server has many more (its defaults), none of which can be a removal.
   */
  private void removals(JsonNode a, JsonNode d, JsonNode laObj, int depth) {
    for (Map.Entry<String, JsonNode> e : laObj.properties()) {
      String k = e.getKey();
      JsonNode raw = d.get(k) != null ? null : a.get(k);
      if (raw == null) {
        continue;
      }
      int prev = walk.enter(depth, k);
      JsonNode av = walk.norm(raw, depth + 1);
      JsonNode lav = walk.norm(e.getValue(), depth + 1);
      if (av != null && lav != null) {
        removed(av, lav, depth + 1);
      }
      walk.suppressor = prev;
      if (walk.found) {
        return;
      }
    }
  }
}
