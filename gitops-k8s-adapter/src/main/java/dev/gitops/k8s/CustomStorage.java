package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.k8s.SchemaType.Shape;
import java.util.Map;

/**
 * What the API server does to the defaults of a custom resource on every write, by its CRD's
 * structural schema (apiextensions-apiserver {@code pkg/apiserver/schema/defaulting},
 * {@code Default}): a default is stored with the defaults of its own schema filled in below it: a
 * missing field, or a null one that is not nullable, gets a deep copy of its default, then the
 * defaults below that, in every list element and map value. Pure. Not public API.
 */
final class CustomStorage {
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

}
