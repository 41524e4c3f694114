package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.diff.FieldSchema.ListMatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The atomic values {@code gitops} applied whole whose live value differs from the desired one:
 * where the schema says atomic ({@link FieldSchema.Node#atomic()}: a toleration list, a
 * nodeSelector, a label selector), a leaf of a server-side apply record ({@link ManagedFields#applied}:
 * owned as one field) or the value itself in a JSON Patch record ({@link AppliedRecord}: what was
 * applied, values and all), found by walking the record with the schema, desired and live side by
 * side, objects by field and keyed lists by their keys (with their defaults); and, asked apart
 * ({@link #differingScalars}), the applied scalars whose live value differs (a pull policy a webhook
 * rewrites). A cheap look that tells a diff may plan removals inside them, or replacements of them;
 * it reads only where the record goes. Stateless. Not public API.
 */
final class AtomicValues {
  private static final Comparator<JsonNode> BY_VALUE = (a, b) -> Json.sameValue(a, b) ? 0 : 1;

  private AtomicValues() {}

  /**
   * An owned atomic value that is a field of an object.
   *
   * @param live its JSON pointer in the live object (list elements by their live index)
   * @param recordParent the JSON pointer of the object that holds it in the applied record
   * @param name its field name
   */
  record Owned(String live, String recordParent, String name) {}

  /** The owned atomic values where {@code live} differs from {@code desired}; {@code root} is the object's schema. */
  static List<Owned> differing(FieldSchema.Node root, JsonNode applied, JsonNode desired, JsonNode live) {
    return walk(root, applied, desired, live, false);
  }

  /** The owned scalars where {@code live} holds another value than {@code desired} (numbers by value). */
  static List<Owned> differingScalars(FieldSchema.Node root, JsonNode applied, JsonNode desired, JsonNode live) {
    return walk(root, applied, desired, live, true);
  }

  private static List<Owned> walk(FieldSchema.Node root, JsonNode applied, JsonNode desired, JsonNode live,
                                  boolean scalars) {
    List<Owned> out = new ArrayList<>(0);
    if (root != null && applied.isObject() && desired.isObject() && live.isObject()) {
      object(root, applied, desired, live, "", "", scalars, out);
    }
    return out;
  }

  /** True when both are present and hold the same value (numbers by value). */
  static boolean same(JsonNode a, JsonNode b) {
    return a != null && b != null && !a.isMissingNode() && !b.isMissingNode() && a.equals(BY_VALUE, b);
  }

  private static void object(FieldSchema.Node node, JsonNode applied, JsonNode d, JsonNode a, String livePath,
                             String recordPath, boolean scalars, List<Owned> out) {
    for (Map.Entry<String, JsonNode> e : applied.properties()) {
      String name = e.getKey();
      JsonNode lav = e.getValue();
      JsonNode dv = d.get(name);
      JsonNode av = a.get(name);
      FieldSchema.Node child = dv == null || av == null ? null : node.field(name);
      if (child == null) {
        continue;
      }
      String live = livePath + "/" + Pointers.escape(name);
      String record = recordPath + "/" + Pointers.escape(name);
      // a leaf of a server-side apply record, or an atomic value as a JSON Patch record holds it
      if (lav.isValueNode() || !scalars && child.atomic() && lav.isContainerNode()) {
        boolean differs = scalars ? dv.isValueNode() && av.isValueNode() && !same(dv, av)
            : child.atomic() && dv.isContainerNode() && av.isContainerNode() && !dv.equals(av);
        if (differs) {
          out.add(new Owned(live, recordPath, name));
        }
      } else if (lav.isObject() && dv.isObject() && av.isObject()) {
        object(child, lav, dv, av, live, record, scalars, out);
      } else if (lav.isArray() && dv.isArray() && av.isArray()) {
        elements(child, lav, dv, av, live, record, scalars, out);
      }
    }
  }

  /** The elements of a keyed list the record owns fields of, matched in desired and live by key. */
  private static void elements(FieldSchema.Node list, JsonNode applied, JsonNode d, JsonNode a, String livePath,
                               String recordPath, boolean scalars, List<Owned> out) {
    ListMatch match = list.match();
    if (match == null || match.kind() != ListMatch.Kind.KEYED) {
      return;
    }
    for (int l = 0; l < applied.size(); l++) {
      JsonNode owned = applied.get(l);
      int j = indexOf(d, owned, match);
      int i = indexOf(a, owned, match);
      FieldSchema.Node element = j < 0 || i < 0 || !owned.isObject() ? null : list.element(d.get(j));
      if (element != null && d.get(j).isObject() && a.get(i).isObject()) {
        object(element, owned, d.get(j), a.get(i), livePath + "/" + i, recordPath + "/" + l, scalars, out);
      }
    }
  }

  /** The index of the element of {@code list} with {@code element}'s key, or -1. */
  private static int indexOf(JsonNode list, JsonNode element, ListMatch match) {
    for (int i = 0; i < list.size(); i++) {
      if (sameKey(list.get(i), element, match)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean sameKey(JsonNode x, JsonNode y, ListMatch match) {
    for (int k = 0; k < match.keys().size(); k++) {
      String key = match.keys().get(k);
      JsonNode dflt = match.defaults().get(k);
      JsonNode xv = x.has(key) ? x.get(key) : dflt;
      JsonNode yv = y.has(key) ? y.get(key) : dflt;
      if (!Json.sameValue(xv, yv)) {
        return false;
      }
    }
    return true;
  }
}
