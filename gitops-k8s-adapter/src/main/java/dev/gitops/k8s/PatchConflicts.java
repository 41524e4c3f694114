package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.model.ResourceId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The field conflicts of a JSON Patch update: every field the patch rewrites ({@code replace}) to
 * the value this library applied last time (Git did not change it) that another field manager has
 * since taken (it owns the field in the live object's {@code managedFields}), each as
 * {@code .field.path (manager name)}, the field named as the API server names it in a server-side
 * apply conflict ({@link FieldPaths}: {@code .spec.template.spec.containers[name="app"].image}, never
 * a live list index, which is wrong once the list changes). Server-side apply refuses such a write
 * without force (structured-merge-diff's {@code merge/update.go}: an apply that changes a field
 * another manager owns is a conflict); a JSON Patch is an Update, which the server never refuses, and takes the
 * field: a value another writer keeps setting (cert-manager's {@code cainjector} replacing a
 * placeholder {@code caBundle}) went back and forth on every run. A value Git changed is written,
 * as {@code kubectl apply} writes it (the creator of an adopted object, {@code kubectl} or Helm,
 * keeps owning what this library never rewrote: no conflict there). Fields the patch adds (the
 * live object lacks them) or removes (it leaves another manager's alone) are no conflicts. Entries
 * written through a subresource and the manager {@code gitops} own nothing here. Stateless. Not
 * public API.
 */
final class PatchConflicts {
  private PatchConflicts() {}

  /**
   * As {@link #of(JsonNode, JsonNode, JsonNode, FieldSchema.Node)}, with the alternatives of one-of
   * groups another manager keeps beside the one {@code desired} sets, which the patch removes
   * ({@link OneOfFields#refused}): taking them is taking another manager's field, refused without
   * force as server-side apply's 422 would be (pair 393).
   */
  static List<String> of(ResourceId id, JsonNode desired, JsonNode ops, JsonNode live, JsonNode last,
                         FieldSchema.Node root) {
    TreeSet<String> out = new TreeSet<>(of(ops, live, last, root));
    out.addAll(OneOfFields.conflicts(OneOfFields.refused(id, live, desired, last, root), live, root));
    return new ArrayList<>(out);
  }

  /**
   * The conflicts of {@code ops} on {@code live}, sorted; empty when there are none, nothing was
   * applied before or the object carries no {@code managedFields}.
   *
   * @param last what this library applied last time, or null
   * @param root the schema node the patch was computed with (atomic values are owned whole), or null
   */
  static List<String> of(JsonNode ops, JsonNode live, JsonNode last, FieldSchema.Node root) {
    TreeSet<String> out = new TreeSet<>();
    for (JsonNode op : ops) {
      if (!"replace".equals(op.path("op").asText()) || last == null) {
        continue;
      }
      String path = op.path("path").asText();
      List<String> segments = Pointers.segments(path);
      JsonNode applied = applied(last, live, root, segments);
      if (path.equals("/metadata/resourceVersion") || applied == null || !sameValue(applied, op.path("value"))) {
        continue; // never applied, or Git changed it: written as kubectl apply writes it
      }
      for (JsonNode entry : live.path("metadata").path("managedFields")) {
        String manager = entry.path("manager").asText();
        if (Labels.FIELD_MANAGER.equals(manager) || !entry.path("subresource").asText("").isEmpty()) {
          continue;
        }
        List<String> fields = new ArrayList<>();
        owned(entry.path("fieldsV1"), live, root, segments, 0, "", fields);
        for (String field : fields) {
          out.add(FieldPaths.of(field, live, root) + " (manager " + manager + ")");
        }
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * Adds to {@code out} the pointers (into {@code value}) of what the field set {@code set} owns of
   * the field at {@code segments} from index {@code i}, {@code at} the pointer so far: an atomic
   * value above it owned whole, or the members it names at or below it ({@link #members}), as
   * structured-merge-diff names the conflicts of an apply (each owned field it changes), not the
   * field the patch replaces: an element {@code kubectl edit} owns in a list the patch replaces whole
   * is that element ({@code env[name="PORT"]}), not the list.
   */
  private static void owned(JsonNode set, JsonNode value, FieldSchema.Node node, List<String> segments, int i,
                            String at, List<String> out) {
    if (i == segments.size()) {
      members(set, value, at, out);
      return;
    }
    if (i > 0 && set.isEmpty()) {
      if (node != null && node.atomic()) { // an atomic list or map is owned whole, a granular one only itself
        out.add(at);
      }
      return;
    }
    String segment = segments.get(i);
    String next = at + "/" + Pointers.escape(segment);
    if (value.isArray()) {
      int index = index(segment);
      JsonNode element = value.path(index);
      JsonNode child = element.isMissingNode() ? null : elementSet(set, element, index);
      if (child != null) {
        owned(child, element, node == null ? null : node.element(element), segments, i + 1, next, out);
      }
      return;
    }
    JsonNode child = set.get("f:" + segment);
    if (child != null) {
      owned(child, value.path(segment), node == null ? null : node.field(segment), segments, i + 1, next, out);
    }
  }

  /**
   * Adds the pointer of each member of {@code set} at or below {@code value}, found at {@code at}: the
   * value itself where the set names it ({@code .}, or {@code {}}: a leaf, an atomic value, an
   * element owned as one), else what it names below (a field by name, an element by its key, its
   * value or its position in {@code value}).
   */
  private static void members(JsonNode set, JsonNode value, String at, List<String> out) {
    if (set.isEmpty() || set.has(".") || !value.isContainerNode()) {
      out.add(at);
      return;
    }
    for (Map.Entry<String, JsonNode> m : set.properties()) {
      String name = m.getKey();
      if (name.startsWith("f:")) {
        members(m.getValue(), value.path(name.substring(2)), at + "/" + Pointers.escape(name.substring(2)), out);
        continue;
      }
      for (int i = 0; value.isArray() && i < value.size(); i++) {
        if (names(name, value.get(i), i)) {
          members(m.getValue(), value.get(i), at + "/" + i, out);
          break; // the first element with its key: a repeated key is one member, printed alike
        }
      }
    }
  }

  /**
   * The value {@code last} holds where {@code live} holds {@code segments}, a keyed list's element
   * found by its key (a set's by value, another list's by position); null when it holds none.
   */
  private static JsonNode applied(JsonNode last, JsonNode live, FieldSchema.Node root, List<String> segments) {
    JsonNode l = last;
    JsonNode a = live;
    FieldSchema.Node node = root;
    for (String segment : segments) {
      if (l == null || a == null) {
        return null;
      }
      if (a.isArray()) {
        int index = index(segment);
        JsonNode element = a.path(index);
        FieldSchema.ListMatch match = node == null ? null : node.match();
        int at = match == null || match.kind() == FieldSchema.ListMatch.Kind.ATOMIC || !l.isArray() ? index
            : ThreeWayPatch.indexOf(l, element, match);
        l = at < 0 ? null : l.get(at);
        a = element.isMissingNode() ? null : element;
        node = node == null ? null : node.element(element);
      } else {
        l = l.get(segment);
        a = a.get(segment);
        node = node == null ? null : node.field(segment);
      }
    }
    return l;
  }

  /** True when {@code a} and {@code b} hold the same (numbers by value). */
  private static boolean sameValue(JsonNode a, JsonNode b) {
    return ThreeWayPatch.subsetEquals(a, b) && ThreeWayPatch.subsetEquals(b, a);
  }

  /** The member of {@code set} naming {@code element}: by its key fields, its value or its position; or null. */
  private static JsonNode elementSet(JsonNode set, JsonNode element, int index) {
    for (Iterator<Map.Entry<String, JsonNode>> it = set.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> m = it.next();
      if (names(m.getKey(), element, index)) {
        return m.getValue();
      }
    }
    return null;
  }

  /**
   * True when the set member {@code name} names {@code element}, at {@code index}: by its key
   * fields, its value or its position.
   */
  private static boolean names(String name, JsonNode element, int index) {
    JsonNode key = ManagedFields.key(name);
    return key != null && key.isObject() && element.isObject() && matches(key, element)
        || name.startsWith("v:") && element.equals(parse(name.substring(2)))
        || name.equals("i:" + index);
  }

  /** True when {@code element} holds every key field of {@code key} alike (numbers by value). */
  private static boolean matches(JsonNode key, JsonNode element) {
    for (Iterator<Map.Entry<String, JsonNode>> it = key.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> k = it.next();
      JsonNode v = element.get(k.getKey());
      if (v == null || !ThreeWayPatch.subsetEquals(k.getValue(), v)) {
        return false;
      }
    }
    return true;
  }

  private static int index(String segment) {
    try {
      return Integer.parseInt(segment);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return null;
    }
  }
}
