package dev.gitops.k8s.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.FieldPath;
import dev.gitops.model.ResourceId;
import java.util.Map;
import java.util.Set;

/**
 * The Kubernetes normalisation as a rule for one value at a time (see
 * {@link dev.gitops.diff.FieldNormalizer}): applied top-down to every value it gives the tree the
 * plain in-place normalisation gives (checked on every fixture by {@code FieldRulesTest}), without
 * mutating the input and copying only what changes. Stateless. Not public API.
 */
public final class FieldRules {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> SERVER_METADATA = Set.copyOf(Normalize.SERVER_METADATA);
  private static final Set<String> NOISE_ANNOTATIONS = Set.copyOf(Normalize.NOISE_ANNOTATIONS);

  private FieldRules() {}

  /** The normalised form of {@code v} at {@code path} of {@code id}: {@code v} itself, another node, or null to drop it. */
  public static JsonNode field(ResourceId id, FieldPath path, JsonNode v) {
    int depth = path.depth();
    if (depth == 0) {
      return root(id, v);
    }
    String name = path.name(depth - 1);
    if (name == null) {
      return v;
    }
    JsonNode out = depth <= 2 ? top(path, name, v) : v;
    if (out != null && out == v) {
      out = value(name, v);
    }
    return out == v || !insideQuantities(path) ? out : v;
  }

  /** A Secret's {@code stringData} folded into {@code data}, on a copy. */
  private static JsonNode root(ResourceId id, JsonNode v) {
    if ("Secret".equals(id.kind()) && id.group().isEmpty() && v.get("stringData") instanceof ObjectNode) {
      ObjectNode copy = (ObjectNode) v.deepCopy();
      Normalize.foldStringData(copy);
      return copy;
    }
    return v;
  }

  /** {@code status} and server-owned metadata dropped, noise annotations and empty maps too. */
  private static JsonNode top(FieldPath path, String name, JsonNode v) {
    if (path.depth() == 1) {
      return name.equals("status") ? null : v;
    }
    if (!"metadata".equals(path.name(0))) {
      return v;
    }
    if (SERVER_METADATA.contains(name)) {
      return null;
    }
    if (name.equals("annotations") && v instanceof ObjectNode a) {
      ObjectNode kept = a;
      for (String noise : Normalize.NOISE_ANNOTATIONS) {
        if (a.has(noise)) {
          kept = NODES.objectNode();
          for (Map.Entry<String, JsonNode> e : a.properties()) {
            if (!NOISE_ANNOTATIONS.contains(e.getKey())) {
              kept.set(e.getKey(), e.getValue());
            }
          }
          break;
        }
      }
      return kept.isEmpty() ? null : kept;
    }
    if (name.equals("labels") && v.isObject() && v.isEmpty()) {
      return null;
    }
    return v;
  }

  /** Nulls dropped, integer text in numeric fields as numbers, quantities and port protocols. */
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
      return defaultProtocol(ports);
    }
    return v;
  }

  /**
   * True when some ancestor of the value is a quantity map ({@code limits}, {@code default}, ...):
   * the whole-tree form canonicalises those maps' values and leaves everything under them alone.
   */
  private static boolean insideQuantities(FieldPath path) {
    for (int i = 0, n = path.depth() - 1; i < n; i++) {
      if (path.name(i + 1) != null && path.name(i) != null
          && Normalize.QUANTITY_MAPS.contains(path.name(i))) {
        return true;
      }
    }
    return false;
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
    for (Map.Entry<String, JsonNode> e : q.properties()) {
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
