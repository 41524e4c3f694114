package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an apply removes of the fields its manager applied last time and no longer applies, as
 * structured-merge-diff's {@code merge/update.go} {@code prune} does it (written from that code's
 * rules, with field sets as sets of paths):
 * <ol>
 *   <li>{@code RemoveItems} of the last applied set, after {@code EnsureNamedFieldsAreMembers}: a
 *       struct field with owned fields below it is a member itself, so it goes with its whole
 *       subtree, the server's defaults inside included ({@code typed/remove.go} drops a member's
 *       value whole);</li>
 *   <li>{@code addBackOwnedItems}: what any manager owns (the applier's new set included) comes
 *       back, and so do the named fields above it;</li>
 *   <li>{@code addBackDanglingItems}: of what is still gone, only what the last applied set held
 *       stays gone; the rest (fields nobody owns) comes back.</li>
 * </ol>
 * So a probe Git drops goes whole ({@code httpGet.scheme}, {@code timeoutSeconds} and the other
 * defaults with it); when another manager owns a field inside it, that field stays, with the
 * unowned defaults beside it, while a struct below it that only the applier owned goes whole.
 */
final class ServerSidePrune {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ServerSidePrune() {}

  /**
   * {@code merged} (live merged with the applied configuration, without status and server-kept
   * metadata) after pruning.
   *
   * @param last the applier's set of its previous apply
   * @param managed every manager's set after this apply (the applier's new set included)
   */
  static ObjectNode prune(ObjectNode merged, Set<List<String>> last, Set<List<String>> managed, ApiSchema schema) {
    if (last.isEmpty()) {
      return merged;
    }
    Set<List<String>> lastSet = named(last, schema);
    Set<List<String>> mergedSet = named(FieldSets.of(merged, schema), schema);
    ObjectNode pruned = removeItems(merged, lastSet, schema);
    Set<List<String>> keep = named(FieldSets.of(pruned, schema), schema);
    keep.addAll(named(managed, schema));
    pruned = removeItems(merged, minus(mergedSet, keep), schema);
    Set<List<String>> gone = minus(mergedSet, named(FieldSets.of(pruned, schema), schema));
    gone.retainAll(lastSet);
    return removeItems(merged, gone, schema);
  }

  /**
   * {@code set} with every named field that has members below it made a member
   * ({@code fieldpath.Set.EnsureNamedFieldsAreMembers}: a struct's field, not a map's key).
   */
  static Set<List<String>> named(Set<List<String>> set, ApiSchema schema) {
    Set<List<String>> out = new TreeSet<>(FieldSets::compare);
    out.addAll(set);
    for (List<String> p : set) {
      for (int i = 1; i < p.size(); i++) {
        List<String> q = p.subList(0, i);
        if (q.get(i - 1).startsWith("f:") && !schema.mapEntry(names(q))) {
          out.add(List.copyOf(q));
        }
      }
    }
    return out;
  }

  /** {@code object} without every member of {@code remove} and all below it ({@code typed/remove.go}). */
  static ObjectNode removeItems(ObjectNode object, Set<List<String>> remove, ApiSchema schema) {
    ObjectNode out = object.deepCopy();
    for (String k : List.of("apiVersion", "kind")) {
      out.remove(k);
    }
    ObjectNode kept = (ObjectNode) without(out, List.of(), List.of(), remove, schema);
    for (String k : List.of("apiVersion", "kind")) {
      if (object.has(k)) {
        kept.set(k, object.get(k));
      }
    }
    return kept;
  }

  private static JsonNode without(JsonNode v, List<String> at, List<String> path, Set<List<String>> remove,
                                  ApiSchema schema) {
    if (v.isObject() && (at.isEmpty() || !schema.atomicMap(at))) {
      ObjectNode out = NODES.objectNode();
      v.properties().forEach(e -> {
        List<String> p = FieldSets.plus(path, "f:" + e.getKey());
        if (!remove.contains(p)) {
          out.set(e.getKey(), below(remove, p)
              ? without(e.getValue(), FieldSets.plus(at, e.getKey()), p, remove, schema) : e.getValue().deepCopy());
        }
      });
      return out;
    }
    ApiSchema.ListInfo info = v.isArray() ? schema.list(at) : ApiSchema.ListInfo.ATOMIC_LIST;
    if (info.type() != ApiSchema.ListType.ATOMIC) {
      ArrayNode out = NODES.arrayNode();
      for (JsonNode e : v) {
        List<String> p = FieldSets.plus(path, FieldSets.segment(e, info));
        if (!remove.contains(p)) {
          out.add(below(remove, p) ? without(e, FieldSets.plus(at, "[]"), p, remove, schema) : e.deepCopy());
        }
      }
      return out;
    }
    return v.deepCopy();
  }

  private static boolean below(Set<List<String>> set, List<String> prefix) {
    for (List<String> p : set) {
      if (p.size() > prefix.size() && p.subList(0, prefix.size()).equals(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static Set<List<String>> minus(Set<List<String>> a, Set<List<String>> b) {
    Set<List<String>> out = new TreeSet<>(FieldSets::compare);
    out.addAll(a);
    out.removeAll(b);
    return out;
  }

  /** Schema path of a field-set path: field names, {@code []} for elements. */
  private static List<String> names(List<String> path) {
    return path.stream().map(s -> s.startsWith("f:") ? s.substring(2) : "[]").toList();
  }
}
