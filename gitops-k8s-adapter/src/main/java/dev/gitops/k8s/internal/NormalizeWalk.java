package dev.gitops.k8s.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ResourceId;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The copy-on-write form of {@link Normalize#object}: the same result, but the input is never
 * mutated, a node nothing changes in is returned itself, only the changed paths are copied (shallow,
 * sharing unchanged subtrees with the input), and {@code status} and server-owned metadata such as
 * {@code managedFields} are dropped without being copied or visited.
 */
public final class NormalizeWalk {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> SERVER_METADATA = Set.copyOf(Normalize.SERVER_METADATA);
  private static final Set<String> NOISE_ANNOTATIONS = Set.copyOf(Normalize.NOISE_ANNOTATIONS);

  private NormalizeWalk() {}

  /** The normalised form of {@code root}: {@code root} itself when nothing changes. */
  public static ObjectNode normalized(ResourceId id, ObjectNode root) {
    if ("Secret".equals(id.kind()) && id.group().isEmpty()
        && root.get("stringData") instanceof ObjectNode) {
      ObjectNode copy = root.deepCopy();
      Normalize.object(id, copy);
      return copy;
    }
    JsonNode metadata = root.get("metadata");
    JsonNode newMetadata = metadata instanceof ObjectNode m ? metadata(m) : metadata;
    ObjectNode base = root;
    if (root.has("status") || newMetadata != metadata) {
      base = NODES.objectNode();
      Iterator<Map.Entry<String, JsonNode>> it = root.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String name = e.getKey();
        if (name.equals("metadata")) {
          base.set(name, newMetadata);
        } else if (!name.equals("status")) {
          base.set(name, e.getValue());
        }
      }
    }
    return object(base);
  }

  /** Metadata without server-owned fields, noise annotations and empty label/annotation maps. */
  private static JsonNode metadata(ObjectNode m) {
    boolean change = false;
    for (String field : Normalize.SERVER_METADATA) {
      change |= m.has(field);
    }
    JsonNode annotations = m.get("annotations");
    JsonNode newAnnotations = annotations;
    if (annotations instanceof ObjectNode a) {
      for (String noise : Normalize.NOISE_ANNOTATIONS) {
        if (a.has(noise)) {
          ObjectNode copy = NODES.objectNode();
          a.fields().forEachRemaining(e -> {
            if (!NOISE_ANNOTATIONS.contains(e.getKey())) {
              copy.set(e.getKey(), e.getValue());
            }
          });
          newAnnotations = copy;
          break;
        }
      }
    }
    boolean dropAnnotations = empty(newAnnotations);
    boolean dropLabels = empty(m.get("labels"));
    if (!change && newAnnotations == annotations && !dropAnnotations && !dropLabels) {
      return m;
    }
    ObjectNode out = NODES.objectNode();
    Iterator<Map.Entry<String, JsonNode>> it = m.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      if (SERVER_METADATA.contains(name) || dropLabels && name.equals("labels")) {
        continue;
      }
      if (name.equals("annotations")) {
        if (!dropAnnotations) {
          out.set(name, newAnnotations);
        }
      } else {
        out.set(name, e.getValue());
      }
    }
    return out;
  }

  private static boolean empty(JsonNode v) {
    return v != null && (v.isNull() || v.isObject() && v.isEmpty());
  }

  private static JsonNode walk(JsonNode node) {
    if (node instanceof ObjectNode obj) {
      return object(obj);
    }
    if (node instanceof ArrayNode arr) {
      ArrayNode copy = null;
      for (int i = 0, n = arr.size(); i < n; i++) {
        JsonNode element = arr.get(i);
        JsonNode changed = walk(element);
        if (changed != element) {
          if (copy == null) {
            copy = NODES.arrayNode(n);
            copy.addAll(arr);
          }
          copy.set(i, changed);
        }
      }
      return copy == null ? arr : copy;
    }
    return node;
  }

  private static ObjectNode object(ObjectNode obj) {
    ObjectNode copy = null;
    Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      JsonNode changed = value(e.getKey(), v);
      if (changed != v) {
        if (copy == null) {
          copy = NODES.objectNode();
          copy.setAll(obj);
        }
        if (changed == null) {
          copy.remove(e.getKey());
        } else {
          copy.set(e.getKey(), changed);
        }
      }
    }
    return copy == null ? obj : copy;
  }

  /** The normalised value of field {@code name}; null to drop it; {@code v} itself if unchanged. */
  private static JsonNode value(String name, JsonNode v) {
    if (v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      if ((Normalize.INT_FIELDS.contains(name) || name.endsWith("Seconds")) && isInt(v.textValue())) {
        return NODES.numberNode(Integer.parseInt(v.textValue()));
      }
      return v;
    }
    if (v instanceof ObjectNode q && Normalize.QUANTITY_MAPS.contains(name)) {
      return quantities(q);
    }
    if (v instanceof ArrayNode ports && Normalize.PORT_LISTS.contains(name)) {
      return walk(defaultProtocol(ports));
    }
    return walk(v);
  }

  /** Whether {@code s} matches {@code -?[0-9]{1,9}}. */
  private static boolean isInt(String s) {
    int start = s.startsWith("-") ? 1 : 0;
    int digits = s.length() - start;
    if (digits < 1 || digits > 9) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static ObjectNode quantities(ObjectNode q) {
    ObjectNode copy = null;
    Iterator<Map.Entry<String, JsonNode>> it = q.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      String text = v.isNumber() ? v.decimalValue().toPlainString() : v.isTextual() ? v.asText() : null;
      String canonical = text == null ? null : Quantities.canonical(text);
      if (canonical != null && !(v.isTextual() && canonical.equals(text))) {
        if (copy == null) {
          copy = NODES.objectNode();
          copy.setAll(q);
        }
        copy.put(e.getKey(), canonical);
      }
    }
    return copy == null ? q : copy;
  }

  private static ArrayNode defaultProtocol(ArrayNode ports) {
    ArrayNode copy = null;
    for (int i = 0, n = ports.size(); i < n; i++) {
      if (ports.get(i) instanceof ObjectNode port && !port.has("protocol")
          && (port.has("containerPort") || port.has("port"))) {
        if (copy == null) {
          copy = NODES.arrayNode(n);
          copy.addAll(ports);
        }
        ObjectNode withProtocol = NODES.objectNode();
        withProtocol.setAll(port);
        withProtocol.put("protocol", "TCP");
        copy.set(i, withProtocol);
      }
    }
    return copy == null ? ports : copy;
  }
}
