package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ResourceId;

/**
 * What the API server's defaulting makes of a value from another field of the same object, which a
 * schema node, seeing one value, cannot know: applied alike to the desired and the live object by
 * the normalisation ({@link FieldRules}), as the server applies it to every write, so a manifest
 * holding such a value compares as the object the server stores (the live object is already in
 * that form: the rewrite changes nothing there). Values of another type than the server's (the
 * {@code true} of a last-applied field set) are left alone. From {@code SetDefaults_Service} (core/v1) and
 * {@code SetDefaults_NetworkPolicy} (networking/v1):
 *
 * <ul>
 *   <li>a Service's {@code sessionAffinityConfig} is dropped when {@code sessionAffinity} is
 *       {@code None}, empty or absent (the server sets it to nil under {@code None}, and an empty
 *       affinity is {@code None});
 *   <li>a Service port's {@code targetPort} of {@code 0} or {@code ""} is its {@code port};
 *   <li>a NetworkPolicy's empty {@code policyTypes} is {@code [Ingress]}, plus {@code Egress} when
 *       it has egress rules.
 * </ul>
 *
 * Copies the {@code spec} it changes; never mutates its input. Stateless. Not public API.
 */
final class SiblingDefaults {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SiblingDefaults() {}

  /** The {@code spec} of {@code root}, an object of {@code id}, as the server's defaulting leaves it; null when unchanged. */
  static ObjectNode spec(ResourceId id, JsonNode root) {
    if (!(root.get("spec") instanceof ObjectNode spec) || !(id.group().isEmpty() && id.kind().equals("Service")
        || id.group().equals("networking.k8s.io") && id.kind().equals("NetworkPolicy"))) {
      return null;
    }
    return id.kind().equals("Service") ? service(spec) : networkPolicy(spec);
  }

  private static ObjectNode service(ObjectNode spec) {
    ObjectNode out = null;
    JsonNode affinity = spec.get("sessionAffinity"); // a last-applied field set holds no text here: kept
    boolean none = affinity == null || affinity.isNull()
        || affinity.isTextual() && (affinity.textValue().isEmpty() || affinity.textValue().equals("None"));
    if (spec.has("sessionAffinityConfig") && none) {
      out = spec.deepCopy();
      out.remove("sessionAffinityConfig");
    }
    JsonNode ports = spec.get("ports");
    for (int i = 0; ports instanceof ArrayNode && i < ports.size(); i++) {
      JsonNode port = ports.get(i);
      JsonNode target = port.get("targetPort");
      boolean zero = target != null && (target.isIntegralNumber() && target.asLong() == 0
          || target.isTextual() && target.textValue().isEmpty());
      if (zero && port.get("port") != null && port.get("port").isIntegralNumber()) {
        out = out != null ? out : spec.deepCopy();
        ((ObjectNode) out.get("ports").get(i)).set("targetPort", port.get("port"));
      }
    }
    return out;
  }

  private static ObjectNode networkPolicy(ObjectNode spec) {
    if (!(spec.get("policyTypes") instanceof ArrayNode types) || !types.isEmpty()) {
      return null;
    }
    ArrayNode filled = NODES.arrayNode().add("Ingress");
    if (spec.get("egress") instanceof ArrayNode egress && !egress.isEmpty()) {
      filled.add("Egress");
    }
    ObjectNode out = spec.deepCopy();
    out.set("policyTypes", filled);
    return out;
  }
}
