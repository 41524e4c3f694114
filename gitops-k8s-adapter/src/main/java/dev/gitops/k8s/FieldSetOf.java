package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.diff.FieldSchema.ListMatch;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The field set ({@code fieldsV1}) of an applied configuration, as structured-merge-diff's
 * {@code ToFieldSet} makes it, typed by a kind's schema: {@code f:<name>} per field, a keyed list's
 * element as {@code k:<its key fields, sorted, as JSON>} with {@code .} and its own fields, a set's
 * element as {@code v:<json>}, a map's entry with {@code .} ({@link SchemaField#mapEntry}), an
 * atomic list, map or struct, and every scalar, as one leaf. What
 * the server never records as owned ({@code apiVersion}, {@code kind}, {@code status}, the metadata
 * it keeps for itself) is left out. Where the schema knows nothing a list is atomic, as kube-openapi
 * makes a list without a list type. Stateless. Not public API.
 */
final class FieldSetOf {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** What {@code stripmeta.go} leaves out of every manager's set. */
  private static final Set<String> SERVER_METADATA = Set.of("name", "namespace", "uid", "resourceVersion",
      "generation", "creationTimestamp", "selfLink", "managedFields", "deletionTimestamp",
      "deletionGracePeriodSeconds");

  private FieldSetOf() {}

  /**
   * The field set of {@code object} (an applied configuration, a kubectl last-applied record).
   *
   * @param object the configuration; not null
   * @param root its kind's schema, or null when none is known
   * @return a new {@code fieldsV1} object
   */
  static ObjectNode object(JsonNode object, FieldSchema.Node root) {
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      String name = e.getKey();
      if (name.equals("apiVersion") || name.equals("kind") || name.equals("status")) {
        continue;
      }
      FieldSchema.Node child = root == null ? null : root.field(name);
      if (name.equals("metadata") && e.getValue().isObject()) {
        ObjectNode meta = fields(e.getValue(), child, false);
        SERVER_METADATA.forEach(m -> meta.remove("f:" + m));
        put(out, name, meta.isEmpty() ? null : meta);
      } else {
        put(out, name, member(e.getValue(), child, false));
      }
    }
    return out;
  }

  /** The sets of {@code object}'s fields; {@code freeForm} below a free-form object's entry, where every key is one. */
  private static ObjectNode fields(JsonNode object, FieldSchema.Node node, boolean freeForm) {
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      FieldSchema.Node child = node == null ? null : node.field(e.getKey());
      boolean entry = freeForm || SchemaField.mapEntry(node, e.getKey());
      ObjectNode member = member(e.getValue(), child, entry && child == null);
      put(out, e.getKey(), entry ? entry(member) : member);
    }
    return out;
  }

  /**
   * The set of a map's entry, which is a member of it whatever it holds ({@code typed/tofieldset.go}
   * inserts every key a map's type does not name): {@code .} beside what is owned below it, or a
   * leaf when nothing is ({@code backends: {a: {}}}).
   */
  private static ObjectNode entry(ObjectNode member) {
    if (member == null || member.isEmpty() || member.has(".")) {
      return member == null ? NODES.objectNode() : member;
    }
    ObjectNode out = NODES.objectNode();
    out.putObject(".");
    out.setAll(member);
    return out;
  }

  private static void put(ObjectNode set, String name, ObjectNode member) {
    if (member != null) {
      set.set("f:" + name, member);
    }
  }

  /**
   * The set below one field: a leaf ({@code {}}) for scalars and atomic values, null for a struct,
   * granular map, keyed list or set that owns nothing (empty, or only such values:
   * {@code resources: {}}, {@code imagePullSecrets: []}).
   */
  private static ObjectNode member(JsonNode value, FieldSchema.Node node, boolean freeForm) {
    if (value.isObject() && (node == null || !node.atomic())) {
      ObjectNode set = fields(value, node, freeForm);
      return set.isEmpty() ? null : set;
    }
    ListMatch match = node == null ? null : node.match();
    if (!value.isArray() || match == null || match.kind() == ListMatch.Kind.ATOMIC) {
      return NODES.objectNode();
    }
    ObjectNode out = NODES.objectNode();
    for (JsonNode element : value) {
      if (match.kind() == ListMatch.Kind.SET) {
        out.putObject("v:" + Json.write(element));
      } else if (element.isObject()) {
        FieldSchema.Node type = node.element(element);
        ObjectNode set = NODES.objectNode(); // an element of atomic type is owned whole: an owner reference
        if (type == null || !type.atomic()) {
          set = fields(element, type, false);
          set.putObject(".");
        }
        out.set("k:" + Json.write(key(element, match)), set);
      }
    }
    return out.isEmpty() ? null : out; // an empty keyed list or set owns nothing
  }

  /** An element's key fields sorted by name, one it leaves out given its default. */
  private static ObjectNode key(JsonNode element, ListMatch match) {
    Map<String, JsonNode> sorted = new TreeMap<>();
    List<String> keys = match.keys();
    for (int i = 0; i < keys.size(); i++) {
      JsonNode v = element.get(keys.get(i)); // left out: its default; a null stays null, as the server keys it
      v = v == null ? match.defaults().get(i) : v;
      if (v != null) {
        sorted.put(keys.get(i), v);
      }
    }
    ObjectNode key = NODES.objectNode();
    key.setAll(sorted);
    return key;
  }
}
