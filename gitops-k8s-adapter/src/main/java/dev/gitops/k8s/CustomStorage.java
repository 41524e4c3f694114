package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.k8s.SchemaType.Shape;
import java.util.Map;

/**
 * What the API server does to the nulls and defaults of a custom resource on every write, by its
 * CRD's structural schema (apiextensions-apiserver {@code pkg/apiserver/schema/defaulting}):
 * {@code PruneNonNullableNullsWithoutDefaults}, then {@code Default}.
 *
 * <ul>
 *   <li>A null is kept where the schema says {@code nullable: true} and where it says nothing
 *       (below {@code x-kubernetes-preserve-unknown-fields}: a Helm value set to null to delete a
 *       chart default); a null of a declared field that is not nullable is pruned, and its default,
 *       if any, applies as if it were left out (which the diff judges as the removal of an applied
 *       field, {@link SchemaField}); a null map value or list element that is not nullable is its
 *       default, or pruned (a map value) when there is none.
 *   <li>A default is stored with the defaults of its own schema filled in below it: a missing
 *       field, or a null one that is not nullable, gets a deep copy of its default, then the defaults
 *       below that, in every list element and map value.
 * </ul>
 *
 * Built-in parts of a custom resource ({@code metadata}, an embedded resource's {@code metadata}:
 * Go's {@code ObjectMeta}) keep no null. Pure; copies only the objects and lists it changes. Not
 * public API.
 */
final class CustomStorage {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private CustomStorage() {}

  /**
   * {@code value} (a CRD's {@code default}) as the server stores it: a deep copy with the
   * defaults of {@code type} filled in at every level.
   */
  static JsonNode defaulted(JsonNode value, SchemaType type) {
    JsonNode out = value.deepCopy();
    fill(out, type);
    return out;
  }

  private static void fill(JsonNode v, SchemaType type) {
    if (type == null) {
      return;
    }
    if (v instanceof ObjectNode o && type.shape == Shape.STRUCT) {
      for (Map.Entry<String, SchemaField> f : type.fields.entrySet()) {
        JsonNode have = o.get(f.getKey());
        if (have == null || have.isNull()) {
          defaultInto(o, f.getKey(), f.getValue(), have);
        } else {
          fill(have, f.getValue().type);
        }
      }
    } else if (v instanceof ObjectNode o && type.shape == Shape.MAP) {
      java.util.List<String> keys = new java.util.ArrayList<>();
      o.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        defaultInto(o, key, type.element, o.get(key));
        fill(o.get(key), type.element.type);
      }
    } else if (v instanceof ArrayNode a && type.shape == Shape.LIST) {
      SchemaField items = type.element;
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i).isNull() && !items.nullable && items.defaultValue != null && !items.builtin) {
          a.set(i, items.defaultValue.deepCopy());
        }
        fill(a.get(i), items.type);
      }
    }
  }

  /** Sets {@code name} of {@code o} to the default of {@code f} where {@code have} is missing or a null it does not keep. */
  private static void defaultInto(ObjectNode o, String name, SchemaField f, JsonNode have) {
    if (f.defaultValue != null && !f.builtin && (have == null || have.isNull() && !f.nullable)) {
      o.set(name, f.defaultValue.deepCopy()); // filled below already
    }
  }

  /**
   * {@code tree}, a custom resource whose root is {@code root}, with each null the server would not
   * keep pruned, or replaced by its default where that is what the server stores (a map value, a
   * list element); {@code tree} itself when there is none. {@code status} is left as it is.
   */
  static JsonNode nulls(SchemaField root, JsonNode tree) {
    if (!(tree instanceof ObjectNode o)) {
      return tree;
    }
    ObjectNode copy = null;
    for (Map.Entry<String, JsonNode> e : o.properties()) {
      if (e.getKey().equals("status")) {
        continue;
      }
      JsonNode kept = child(root, e.getKey(), e.getValue());
      if (kept != e.getValue()) {
        copy = copy != null ? copy : NODES.objectNode().setAll(o);
        set(copy, e.getKey(), kept);
      }
    }
    return copy != null ? copy : tree;
  }

  /** {@code v}, the value of field {@code name} of an object of {@code parent}, after the rules; null to prune it. */
  private static JsonNode child(SchemaField parent, String name, JsonNode v) {
    SchemaType t = parent == null ? null : parent.type;
    if (t == null || t.shape == Shape.ANY) {
      return v; // x-kubernetes-preserve-unknown-fields, or nothing known: the server keeps it as sent
    }
    SchemaField f = switch (t.shape) {
      case STRUCT -> t.fields.get(name);
      case MAP -> t.element;
      default -> null;
    };
    if (f == null) {
      return t.closed ? (v.isNull() ? null : v) : v; // pruned (counted by the schema), or kept
    }
    return value(f, v);
  }

  /** {@code v} at the place of {@code f} after the rules; null to prune it. */
  private static JsonNode value(SchemaField f, JsonNode v) {
    if (v.isNull()) {
      if (f.nullable) {
        return v;
      }
      JsonNode dflt = f.defaultValue == null ? null : f.defaultValue.deepCopy();
      return switch (f.role) {
        case PROPERTY -> null; // pruned; a default applies as to a field left out
        case MAP_VALUE -> dflt; // its default, or pruned
        case ELEMENT, ROOT -> dflt != null ? dflt : v; // its default, or refused
      };
    }
    if (f.builtin) {
      return withoutNulls(v);
    }
    if (v instanceof ObjectNode o) {
      ObjectNode copy = null;
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        JsonNode kept = child(f, e.getKey(), e.getValue());
        if (kept != e.getValue()) {
          copy = copy != null ? copy : NODES.objectNode().setAll(o);
          set(copy, e.getKey(), kept);
        }
      }
      return copy != null ? copy : v;
    }
    if (v instanceof ArrayNode a && f.type.shape == Shape.LIST) {
      ArrayNode copy = null;
      for (int i = 0; i < a.size(); i++) {
        JsonNode kept = value(f.type.element, a.get(i));
        if (kept != a.get(i)) {
          copy = copy != null ? copy : NODES.arrayNode().addAll(a);
          copy.set(i, kept);
        }
      }
      return copy != null ? copy : v;
    }
    return v;
  }

  /** {@code v} without a null at any depth (a built-in part: Go decodes a null as nothing). */
  private static JsonNode withoutNulls(JsonNode v) {
    if (v.isNull()) {
      return null;
    }
    if (v instanceof ObjectNode o) {
      ObjectNode copy = null;
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        JsonNode kept = withoutNulls(e.getValue());
        if (kept != e.getValue()) {
          copy = copy != null ? copy : NODES.objectNode().setAll(o);
          set(copy, e.getKey(), kept);
        }
      }
      return copy != null ? copy : v;
    }
    return v; // a null list element of a built-in part stays what the server would refuse
  }

  private static void set(ObjectNode o, String name, JsonNode v) {
    if (v == null) {
      o.remove(name);
    } else {
      o.set(name, v);
    }
  }
}
