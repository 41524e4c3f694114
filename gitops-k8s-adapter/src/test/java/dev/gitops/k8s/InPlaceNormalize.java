package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
    if ("Endpoints".equals(id.kind()) && id.group().isEmpty()) {
      ArrayNode subsets = EndpointsRepack.subsets(node.get("subsets"));
      if (subsets != null && subsets.isEmpty()) {
        node.remove("subsets");
      } else if (subsets != null) {
        node.set("subsets", subsets);
      }
    }
    if (NamespaceLabel.root(id, node).get("metadata") instanceof ObjectNode named && named != node.get("metadata")) {
      node.set("metadata", named);
    }
    ObjectNode spec = SiblingDefaults.spec(id, node);
    if (spec != null) {
      node.set("spec", spec);
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
        if (e.getValue().isNull()) {
          nulls.add(e.getKey());
        } else {
          walk(e.getValue(), e.getKey());
        }
      }
      obj.remove(nulls);
    } else if (node instanceof ArrayNode arr) {
      for (JsonNode element : arr) {
        walk(element, field);
      }
    }
  }
}
