package dev.gitops.k8s.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ResourceId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes normalisation written the plain way, in place on a private copy, field by field
 * from the root: the reference {@link FieldRules} is checked against.
 */
final class InPlaceNormalize {
  private InPlaceNormalize() {}

  /** Normalises {@code node} in place. */
  public static void object(ResourceId id, ObjectNode node) {
    node.remove("status");
    JsonNode metadata = node.get("metadata");
    if (metadata instanceof ObjectNode m) {
      m.remove(Normalize.SERVER_METADATA);
      if (m.get("annotations") instanceof ObjectNode a) {
        a.remove(Normalize.NOISE_ANNOTATIONS);
      }
      removeEmpty(m, "annotations");
      removeEmpty(m, "labels");
    }
    if ("Secret".equals(id.kind()) && id.group().isEmpty()) {
      Normalize.foldStringData(node);
    }
    walk(node, null);
  }

  private static void removeEmpty(ObjectNode m, String field) {
    JsonNode v = m.get(field);
    if (v != null && (v.isNull() || v.isObject() && v.isEmpty())) {
      m.remove(field);
    }
  }

  private static void walk(JsonNode node, String field) {
    if (node instanceof ObjectNode obj) {
      List<String> nulls = new ArrayList<>();
      Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        String name = e.getKey();
        if (v.isNull()) {
          nulls.add(name);
        } else if (v.isTextual() && (Normalize.INT_FIELDS.contains(name) || name.endsWith("Seconds"))
            && v.asText().matches("-?[0-9]{1,9}")) {
          e.setValue(JsonNodeFactory.instance.numberNode(Integer.parseInt(v.asText())));
        } else if (Normalize.QUANTITY_MAPS.contains(name) && v instanceof ObjectNode q) {
          quantities(q);
        } else if (Normalize.PORT_LISTS.contains(name) && v instanceof ArrayNode ports) {
          defaultProtocol(ports);
          walk(v, name);
        } else {
          walk(v, name);
        }
      }
      obj.remove(nulls);
    } else if (node instanceof ArrayNode arr) {
      for (JsonNode element : arr) {
        walk(element, field);
      }
    }
  }

  private static void quantities(ObjectNode q) {
    Iterator<Map.Entry<String, JsonNode>> it = q.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      String text = v.isNumber() ? v.decimalValue().toPlainString() : v.isTextual() ? v.asText() : null;
      String canonical = text == null ? null : Quantities.canonical(text);
      if (canonical != null) {
        e.setValue(JsonNodeFactory.instance.textNode(canonical));
      }
    }
  }

  private static void defaultProtocol(ArrayNode ports) {
    for (JsonNode p : ports) {
      if (p instanceof ObjectNode port && !port.has("protocol")
          && (port.has("containerPort") || port.has("port"))) {
        port.put("protocol", "TCP");
      }
    }
  }
}
