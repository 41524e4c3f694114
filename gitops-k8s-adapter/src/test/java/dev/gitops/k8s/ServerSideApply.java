package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Server-side apply as the test-side API server stand-in performs it, written from the
 * structured-merge-diff rules (not from the adapter's code): the applied configuration's field set
 * becomes the manager's; a field another manager owns with another value is a conflict (taken over
 * with force); values merge into the live object (keyed lists by key, sets by value, atomic lists
 * and maps replaced); what the manager applied last time and no longer applies is pruned as
 * {@link ServerSidePrune} says (a struct with its defaults whole, unless another manager owns
 * something in it). {@link #update} records an Update by another manager, which takes the
 * fields it changed and ends every claim on the fields it removed. The first apply to an object
 * without {@code managedFields} makes {@code before-first-apply} (Update) the owner of all it has.
 */
final class ServerSideApply {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ServerSideApply() {}

  /**
   * One {@code managedFields} entry.
   *
   * @param manager field manager
   * @param operation {@code Apply} or {@code Update}
   * @param subresource {@code ""} or e.g. {@code status}, {@code scale}
   * @param fields the owned paths
   */
  record Entry(String manager, String operation, String subresource, Set<List<String>> fields) {
    boolean is(String m, String op) {
      return manager.equals(m) && operation.equals(op) && subresource.isEmpty();
    }
  }

  /** A field the manager of {@code owner} owns with another value than the applied one. */
  record Conflict(List<String> path, Entry owner) {
    /** The manager's name. */
    String manager() {
      return owner.manager();
    }

    /**
     * The manager as the API server prints it in a conflict (apimachinery's {@code printManager}):
     * its name quoted, its subresource, and for an Update the API version.
     */
    String printed(String apiVersion) {
      return "\"" + owner.manager() + "\"" + (owner.subresource().isEmpty() ? ""
          : " with subresource \"" + owner.subresource() + "\"")
          + ("Update".equals(owner.operation()) ? " using " + apiVersion : "");
    }

    /** The field as the API server names it in a conflict ({@code .spec.replicas}). */
    String field() {
      StringBuilder b = new StringBuilder();
      for (String s : path) {
        b.append(s.startsWith("f:") ? "." + s.substring(2) : "[" + s.substring(2) + "]");
      }
      return b.toString();
    }
  }

  /**
   * The result of applying.
   *
   * @param object the merged object, {@code managedFields} not yet written
   * @param entries the new {@code managedFields}
   * @param conflicts non-empty when refused
   */
  record Result(ObjectNode object, List<Entry> entries, List<Conflict> conflicts) {}

  /** API versions a 1.30 server no longer serves (the deprecation guide), some of them. */
  private static final Set<String> UNSERVED = Set.of("autoscaling/v2beta1", "autoscaling/v2beta2",
      "batch/v1beta1", "policy/v1beta1", "networking.k8s.io/v1beta1", "extensions/v1beta1");

  /**
   * The entries of a live object's {@code metadata.managedFields}, but those at a version the
   * server no longer serves, which every write drops unused (structured-merge-diff's
   * {@code reconcileManagedFieldsWithSchemaChanges} skips them, {@code update} deletes them).
   */
  static List<Entry> entries(JsonNode live) {
    List<Entry> out = new ArrayList<>();
    for (JsonNode e : live == null ? NODES.arrayNode() : live.path("metadata").path("managedFields")) {
      if (UNSERVED.contains(e.path("apiVersion").asText())) {
        continue;
      }
      out.add(new Entry(e.path("manager").asText(), e.path("operation").asText(),
          e.path("subresource").asText(""), FieldSets.paths(e.path("fieldsV1"))));
    }
    return out;
  }

  /** {@code managedFields} as the server writes them. */
  static ArrayNode write(List<Entry> entries, String apiVersion, String time) {
    ArrayNode out = NODES.arrayNode();
    for (Entry e : entries) {
      ObjectNode n = out.addObject().put("apiVersion", apiVersion).put("fieldsType", "FieldsV1");
      n.set("fieldsV1", FieldSets.toFieldsV1(e.fields()));
      n.put("manager", e.manager()).put("operation", e.operation());
      if (!e.subresource().isEmpty()) {
        n.put("subresource", e.subresource());
      }
      n.put("time", time);
    }
    return out;
  }

  /** Applies {@code applied} as {@code manager} onto {@code live} (null: create). */
  static Result apply(ObjectNode live, ObjectNode applied, String manager, boolean force, ApiSchema schema) {
    Set<List<String>> set = FieldSets.of(applied, schema);
    List<Entry> entries = entries(live);
    if (live != null && live.path("metadata").path("managedFields").isEmpty()) { // skipnonapplied.go: an Update from nothing to live first
      entries = List.of(new Entry("before-first-apply", "Update", "", FieldSets.of(stripped(live), schema)));
    }
    List<Conflict> conflicts = new ArrayList<>();
    Set<List<String>> parents = new java.util.HashSet<>();
    for (List<String> p : set) {
      for (int i = 1; i < p.size(); i++) {
        parents.add(p.subList(0, i));
      }
    }
    for (Entry e : entries) {
      if (e.is(manager, "Apply")) {
        continue;
      }
      for (List<String> p : e.fields()) {
        // an element the apply gives fields of is no leaf: only what is modified below it conflicts
        if (set.contains(p) && !parents.contains(p) && !sameValue(at(live, p, schema), at(applied, p, schema))) {
          conflicts.add(new Conflict(p, e));
        }
      }
    }
    if (!conflicts.isEmpty() && !force) {
      return new Result(live, entries, conflicts);
    }
    List<Entry> next = new ArrayList<>();
    Set<List<String>> previous = Set.of();
    for (Entry e : entries) {
      if (e.is(manager, "Apply")) {
        previous = e.fields();
        continue;
      }
      Set<List<String>> kept = new TreeSet<>(FieldSets::compare);
      kept.addAll(e.fields());
      conflicts.forEach(c -> kept.remove(c.path()));
      next.add(new Entry(e.manager(), e.operation(), e.subresource(), kept));
    }
    ObjectNode merged = (ObjectNode) merge(live == null ? null : stripped(live), stripped(applied), List.of(), schema);
    Set<List<String>> managed = new TreeSet<>(FieldSets::compare);
    managed.addAll(set);
    entries.stream().filter(e -> !e.is(manager, "Apply")).forEach(e -> managed.addAll(e.fields()));
    merged = ServerSidePrune.prune(merged, previous, managed, schema);
    next.add(0, new Entry(manager, "Apply", "", set));
    next.removeIf(e -> e.fields().isEmpty());
    return new Result(merged, next, List.of());
  }

  /**
   * An Update by {@code manager} from {@code before} to {@code after}: it owns what it added or
   * changed; what it removed leaves every manager's set.
   */
  static List<Entry> update(ObjectNode before, ObjectNode after, String manager, String subresource,
                            ApiSchema schema) {
    Set<List<String>> old = before == null ? Set.of() : FieldSets.of(stripped(before), schema);
    Set<List<String>> now = FieldSets.of(stripped(after), schema);
    Set<List<String>> changed = new TreeSet<>(FieldSets::compare);
    Set<List<String>> parents = new java.util.HashSet<>();
    for (List<String> p : now) {
      for (int i = 1; i < p.size(); i++) {
        parents.add(p.subList(0, i));
      }
    }
    for (List<String> p : now) {
      // an element or entry holding owned fields changes only by being new: structured-merge-diff's
      // compare counts a modified leaf, not the element around it (typed/compare.go)
      if (!old.contains(p) || !parents.contains(p) && !sameValue(at(before, p, schema), at(after, p, schema))) {
        changed.add(p);
      }
    }
    List<Entry> next = new ArrayList<>();
    Set<List<String>> mine = new TreeSet<>(FieldSets::compare);
    for (Entry e : entries(before)) {
      Set<List<String>> kept = new TreeSet<>(FieldSets::compare);
      for (List<String> p : e.fields()) {
        if (now.contains(p) && !changed.contains(p)) {
          kept.add(p);
        } else if (!now.contains(p) && !old.contains(p)) {
          kept.add(p); // a zero value the server dropped: still claimed
        }
      }
      if (e.manager().equals(manager) && e.operation().equals("Update") && e.subresource().equals(subresource)) {
        mine.addAll(kept);
      } else {
        next.add(new Entry(e.manager(), e.operation(), e.subresource(), kept));
      }
    }
    mine.addAll(changed);
    next.add(new Entry(manager, "Update", subresource, mine));
    next.removeIf(e -> e.fields().isEmpty());
    return next;
  }

  /** A copy without {@code status} and the metadata the server keeps for itself. */
  static ObjectNode stripped(ObjectNode object) {
    ObjectNode copy = object.deepCopy();
    copy.remove("status");
    if (copy.get("metadata") instanceof ObjectNode m) {
      m.remove(List.of("managedFields", "resourceVersion", "uid", "creationTimestamp", "generation"));
    }
    return copy;
  }

  private static JsonNode merge(JsonNode live, JsonNode applied, List<String> at, ApiSchema schema) {
    if (applied.isObject() && !schema.atomicMap(at)) {
      ObjectNode out = live instanceof ObjectNode o ? o.deepCopy() : NODES.objectNode();
      applied.properties().forEach(e -> out.set(e.getKey(), merge(out.get(e.getKey()), e.getValue(),
          FieldSets.plus(at, e.getKey()), schema)));
      return out;
    }
    if (applied.isArray() && live != null && live.isArray()) {
      ApiSchema.ListInfo info = schema.list(at);
      if (info.type() != ApiSchema.ListType.ATOMIC) {
        ArrayNode out = live.deepCopy();
        for (JsonNode element : applied) {
          String key = FieldSets.segment(element, info);
          int i = indexOf(out, key, info);
          if (i < 0) {
            out.add(element.deepCopy());
          } else if (info.type() == ApiSchema.ListType.MAP) {
            out.set(i, merge(out.get(i), element, FieldSets.plus(at, "[]"), schema));
          }
        }
        return out;
      }
    }
    return applied.deepCopy();
  }

  /** The value at a field-set path, or null. */
  static JsonNode at(JsonNode object, List<String> path, ApiSchema schema) {
    JsonNode node = object;
    for (int i = 0; i < path.size() && node != null; i++) {
      String s = path.get(i);
      if (s.startsWith("f:")) {
        node = node.get(s.substring(2));
      } else {
        int index = node.isArray() ? indexOf((ArrayNode) node, s, schema.list(names(path.subList(0, i)))) : -1;
        node = index < 0 ? null : node.get(index);
      }
    }
    return node;
  }

  private static int indexOf(ArrayNode list, String segment, ApiSchema.ListInfo info) {
    for (int i = 0; i < list.size(); i++) {
      if (FieldSets.segment(list.get(i), info).equals(segment)) {
        return i;
      }
    }
    return -1;
  }

  /** Schema path of a field-set path: field names, {@code []} for elements. */
  private static List<String> names(List<String> path) {
    List<String> out = new ArrayList<>();
    for (String s : path) {
      out.add(s.startsWith("f:") ? s.substring(2) : "[]");
    }
    return out;
  }

  static boolean sameValue(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b || (a == null ? b.isNull() : a.isNull());
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return Objects.equals(a, b);
  }
}
