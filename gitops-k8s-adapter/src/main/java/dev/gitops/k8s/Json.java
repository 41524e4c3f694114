package dev.gitops.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import dev.gitops.model.JsonTrees;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;

/** Moves objects between fabric8's model and Jackson 2 trees, and writes canonical JSON. */
final class Json {
  /** A plain mapper; its trees share short text values ({@link JsonTrees#nodeFactory()}). */
  public static final ObjectMapper MAPPER = new ObjectMapper().setNodeFactory(JsonTrees.nodeFactory());

  private Json() {}

  /** The tree of a fabric8 object. */
  public static ObjectNode tree(KubernetesSerialization serialization, Object resource) {
    return (ObjectNode) parse(serialization.asJson(resource));
  }

  /** A fabric8 generic object of a tree. */
  public static GenericKubernetesResource generic(KubernetesSerialization serialization, JsonNode tree) {
    return serialization.unmarshal(write(tree), GenericKubernetesResource.class);
  }

  /** Parses JSON text. */
  public static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the API server sent invalid JSON", e);
    }
  }

  /**
   * Compact JSON text, object keys sorted: written by the UTF-8 writer that fingerprints and
   * applied records already use (a fleet's cold start runs one JSON writer, not two, through the
   * JIT for every object it creates).
   */
  public static String write(JsonNode tree) {
    return new String(JsonTrees.canonicalJson(tree), StandardCharsets.UTF_8);
  }

  /** Canonical JSON bytes: keys sorted at every level (written straight from the tree). */
  public static byte[] canonical(JsonNode tree) {
    return JsonTrees.canonicalJson(tree);
  }

  /** True for a JSON null, {@code 0}, {@code ""} or {@code false}: the Go zero of its type. */
  static boolean isZero(JsonNode v) {
    return v.isNull() || v.isNumber() && v.decimalValue().signum() == 0 || v.isTextual() && v.textValue().isEmpty()
        || v.isBoolean() && !v.booleanValue();
  }

  /**
   * True when both are there and equal, numbers by value ({@code 1} and {@code 1.0}) at any depth
   * of a list or object.
   */
  static boolean sameValue(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return false;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (!a.isContainerNode() || a.getNodeType() != b.getNodeType() || a.size() != b.size()) {
      return a.equals(b);
    }
    if (a.isArray()) {
      for (int i = 0; i < a.size(); i++) {
        if (!sameValue(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    for (java.util.Map.Entry<String, JsonNode> e : a.properties()) {
      if (!sameValue(e.getValue(), b.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
