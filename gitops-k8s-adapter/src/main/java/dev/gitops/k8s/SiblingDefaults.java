package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ResourceId;
import java.util.function.UnaryOperator;

/**
 * What the API server's defaulting makes of a value from another field of the same object, or of
 * an empty list it fills or keeps, which a schema node, seeing one value (and, in a list, one
 * element), cannot know: applied alike to the desired and the live object by
 * the normalisation ({@link FieldRules}), as the server applies it to every write, so a manifest
 * holding such a value compares as the object the server stores (the live object is already in
 * that form: the rewrite changes nothing there). Values of another type than the server's (the
 * {@code true} of a last-applied field set) are left alone. From {@code SetDefaults_Service},
 * {@code SetDefaults_Pod} (core/v1), {@code SetDefaults_NetworkPolicy} (networking/v1),
 * {@code SetDefaults_HorizontalPodAutoscaler} (autoscaling/v2) and the Service and Namespace
 * registries:
 *
 * <ul>
 *   <li>a Service's {@code sessionAffinityConfig} is dropped when {@code sessionAffinity} is
 *       {@code None}, empty or absent (the server sets it to nil under {@code None}, and an empty
 *       affinity is {@code None});
 *   <li>a Service port's {@code targetPort} of {@code 0} or {@code ""} is its {@code port};
 *   <li>a Service's empty {@code clusterIPs} and {@code ipFamilies} are left out: the registry
 *       copies the allocated clusterIPs into a write that leaves them empty
 *       ({@code patchAllocatedValues}) and infers the families from them, so they keep their value
 *       ({@link Defaulting#ALLOCATED});
 *   <li>in a Pod (not a template: since 1.28 only {@code SetDefaults_Pod} does this) with
 *       {@code hostNetwork: true}, a container or init container port's {@code hostPort} of
 *       {@code 0} is its {@code containerPort};
 *   <li>a NetworkPolicy's empty {@code policyTypes} is {@code [Ingress]}, plus {@code Egress} when
 *       it has egress rules;
 *   <li>an autoscaling/v2 HorizontalPodAutoscaler's empty {@code metrics} is one cpu Resource metric
 *       at 80% average utilization ({@code len(Metrics) == 0}: empty as missing);
 *   <li>a Namespace's {@code spec.finalizers} is left out: the Namespace registry's
 *       {@code PrepareForCreate} appends {@code kubernetes} to a list that lacks it and its
 *       {@code PrepareForUpdate} keeps the stored list on every update (only the {@code finalize}
 *       subresource changes it), so no apply changes it ({@code finalizers: []} reads back as
 *       {@code [kubernetes]}).
 * </ul>
 *
 * The removal of a field {@code gitops} applied is judged by the same rules: {@link LeftOutDefaults}
 * asks {@link #leftOut} what the server stores for the desired object with a zero in its place,
 * which adds the structs the defaulting allocates from a sibling when nil (a ClientIP Service's
 * {@code sessionAffinityConfig}): a field Git leaves out applies nothing, so only a removal is
 * judged by those.
 * Copies the {@code spec} it changes; never mutates its input. Stateless. Not public API.
 */
final class SiblingDefaults {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** core/v1 {@code DefaultClientIPServiceAffinitySeconds}: three hours. */
  private static final int DEFAULT_CLIENT_IP_TIMEOUT = 10800;

  private SiblingDefaults() {}

  /** The {@code spec} of {@code root}, an object of {@code id}, as the server's defaulting leaves it; null when unchanged. */
  static ObjectNode spec(ResourceId id, JsonNode root) {
    UnaryOperator<ObjectNode> rule = rule(id);
    return rule != null && root.get("spec") instanceof ObjectNode spec ? rule.apply(spec) : null;
  }

  /**
   * The {@code spec} of {@code root}, an object of {@code id} with a field left out (or at its zero),
   * as the server's defaulting stores it: {@link #spec}, then what it allocates from a sibling when
   * nil. {@code SetDefaults_Service}: under {@code sessionAffinity: ClientIP}, a
   * {@code sessionAffinityConfig} whose config, {@code clientIP} or {@code timeoutSeconds} is nil
   * becomes {@code {clientIP: {timeoutSeconds: 10800}}} (under {@code None} {@link #spec} drops it).
   * Null when unchanged.
   */
  static ObjectNode leftOut(ResourceId id, JsonNode root) {
    ObjectNode spec = spec(id, root);
    ObjectNode from = spec != null ? spec : root.get("spec") instanceof ObjectNode s ? s : null;
    if (from == null || !"/Service".equals(id.group() + "/" + id.kind())
        || !"ClientIP".equals(from.path("sessionAffinity").asText(null))) {
      return spec;
    }
    JsonNode timeout = from.path("sessionAffinityConfig").path("clientIP").get("timeoutSeconds");
    if (timeout != null && !timeout.isNull()) {
      return spec;
    }
    ObjectNode out = spec != null ? spec : from.deepCopy();
    out.putObject("sessionAffinityConfig").putObject("clientIP")
        .put("timeoutSeconds", DEFAULT_CLIENT_IP_TIMEOUT);
    return out;
  }

  /** True when the server's defaulting derives a value of {@code id}'s kind from a sibling, as {@link #spec} does. */
  static boolean covers(ResourceId id) {
    return rule(id) != null;
  }

  /** The rewrite of a {@code spec} of {@code id}'s kind, or null when its kind has none. */
  private static UnaryOperator<ObjectNode> rule(ResourceId id) {
    return switch (id.group() + "/" + id.kind()) {
      case "/Service" -> SiblingDefaults::service;
      case "/Pod" -> SiblingDefaults::pod;
      case "/Namespace" -> SiblingDefaults::namespace;
      case "networking.k8s.io/NetworkPolicy" -> SiblingDefaults::networkPolicy;
      case "autoscaling/HorizontalPodAutoscaler" -> SiblingDefaults::autoscaler;
      default -> null;
    };
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
    for (String kept : new String[] {"clusterIPs", "ipFamilies"}) {
      if (spec.get(kept) instanceof ArrayNode list && list.isEmpty()) {
        out = out != null ? out : spec.deepCopy();
        out.remove(kept);
      }
    }
    return out;
  }

  private static ObjectNode pod(ObjectNode spec) {
    JsonNode hostNetwork = spec.get("hostNetwork");
    if (hostNetwork == null || !hostNetwork.isBoolean() || !hostNetwork.booleanValue()) {
      return null;
    }
    ObjectNode out = null;
    for (String list : new String[] {"containers", "initContainers"}) {
      JsonNode containers = spec.get(list);
      for (int c = 0; containers instanceof ArrayNode && c < containers.size(); c++) {
        JsonNode ports = containers.get(c).get("ports");
        for (int i = 0; ports instanceof ArrayNode && i < ports.size(); i++) {
          JsonNode host = ports.get(i).get("hostPort");
          JsonNode container = ports.get(i).get("containerPort");
          if (host != null && host.isIntegralNumber() && host.asLong() == 0
              && container != null && container.isIntegralNumber()) {
            out = out != null ? out : spec.deepCopy();
            ((ObjectNode) out.get(list).get(c).get("ports").get(i)).set("hostPort", container);
          }
        }
      }
    }
    return out;
  }

  private static ObjectNode namespace(ObjectNode spec) {
    if (!spec.has("finalizers")) {
      return null;
    }
    ObjectNode out = spec.deepCopy();
    out.remove("finalizers");
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

  private static ObjectNode autoscaler(ObjectNode spec) {
    if (!(spec.get("metrics") instanceof ArrayNode metrics) || !metrics.isEmpty()) {
      return null;
    }
    ObjectNode cpu = NODES.objectNode().put("type", "Resource");
    cpu.putObject("resource").put("name", "cpu").putObject("target")
        .put("type", "Utilization").put("averageUtilization", 80);
    ObjectNode out = spec.deepCopy();
    out.set("metrics", NODES.arrayNode().add(cpu));
    return out;
  }
}
