package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ResourceId;
import java.util.Map;
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
 *       {@code [kubernetes]});
 *   <li>a ReplicationController's empty {@code selector} ({@code {}}, as a chart's {@code toYaml} of
 *       an empty value prints it) is its pod template's labels: core/v1
 *       {@code SetDefaults_ReplicationController} fills a selector of length 0, not only a nil one,
 *       on every write; left out, the same (pair 443).
 * </ul>
 *
 * The removal of a field {@code gitops} applied is judged by the same rules: {@link LeftOutDefaults}
 * asks {@link SiblingLeftOut#leftOut} what the server stores for the desired object with a zero in its place,
 * which adds the structs the defaulting allocates from a sibling when nil (a ClientIP Service's
 * {@code sessionAffinityConfig}): a field Git leaves out applies nothing, so only a removal is
 * judged by those.
 * Copies the {@code spec} it changes; never mutates its input. Stateless. Not public API.
 */
final class SiblingDefaults {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** autoscaling {@code DefaultCPUUtilization}: the target of the cpu metric an HPA without metrics gets. */
  static final int DEFAULT_CPU_UTILIZATION = 80;

  private SiblingDefaults() {}

  /** The {@code spec} of {@code root}, an object of {@code id}, as the server's defaulting leaves it; null when unchanged. */
  static ObjectNode spec(ResourceId id, JsonNode root) {
    UnaryOperator<ObjectNode> rule = rule(id);
    return rule != null && root.get("spec") instanceof ObjectNode spec ? rule.apply(spec) : null;
  }

  /** Copies each key of resource list {@code item.from} that {@code item.to} lacks into it, in the server's form (0.5: 500m). */
  static void copyLacking(ObjectNode item, String from, String to) {
    if (!(item.get(from) instanceof ObjectNode source) || source.isEmpty()) {
      return;
    }
    ObjectNode target = item.get(to) instanceof ObjectNode t ? t : item.putObject(to);
    for (Map.Entry<String, JsonNode> e : source.properties()) {
      if (lacks(target.get(e.getKey()))) {
        target.set(e.getKey(), Quantities.serverForm(e.getValue(), Defaulting.RESOURCE_LIST_SCALE));
      }
    }
  }

  /**
   * True for a value a write leaves out: absent, null, {@code ""}, or the missing node
   * {@link LeftOutDefaults} puts in the place of the field it judges.
   */
  static boolean lacks(JsonNode v) {
    return v == null || v.isNull() || v.isMissingNode() || v.isTextual() && v.textValue().isEmpty();
  }

  /** True when the server's defaulting derives a value of {@code id}'s kind from a sibling, as {@link #spec} or {@link SiblingLeftOut#leftOut} does. */
  static boolean covers(ResourceId id) {
    return rule(id) != null || leftOutOnly(id) || WorkloadDefaults.covers(id)
        || DeviceRequests.covers(id) || DefinitionNames.covers(id);
  }

  /** True for the kinds whose defaults only {@link SiblingLeftOut#leftOut} derives (no {@link #rule}). */
  private static boolean leftOutOnly(ResourceId id) {
    return switch (id.kind()) {
      case "LimitRange" -> id.group().isEmpty();
      case "RoleBinding", "ClusterRoleBinding" -> id.group().equals("rbac.authorization.k8s.io");
      default -> false;
    };
  }

  /**
   * The rewrite of a {@code spec} of {@code id}'s kind, or null when its kind has none. Asked per
   * object on the plan's path: by kind first, no "group/kind" text built.
   */
  private static UnaryOperator<ObjectNode> rule(ResourceId id) {
    String group = id.group();
    return switch (id.kind()) {
      case "Service" -> group.isEmpty() ? SiblingDefaults::service : null;
      case "Pod" -> group.isEmpty() ? SiblingDefaults::pod : null;
      case "Namespace" -> group.isEmpty() ? SiblingDefaults::namespace : null;
      case "ReplicationController" -> group.isEmpty() ? SiblingDefaults::replicationController : null;
      case "NetworkPolicy" -> group.equals("networking.k8s.io") ? SiblingDefaults::networkPolicy : null;
      case "HorizontalPodAutoscaler" -> group.equals("autoscaling") ? SiblingDefaults::autoscaler : null;
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
      boolean zero = target != null && (target.isMissingNode() || target.isIntegralNumber() && target.asLong() == 0
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
          if (host != null && (host.isMissingNode() || host.isIntegralNumber() && host.asLong() == 0)
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

  private static ObjectNode replicationController(ObjectNode spec) {
    JsonNode labels = spec.path("template").path("metadata").get("labels");
    if (!(spec.get("selector") instanceof ObjectNode selector) || !selector.isEmpty()
        || !(labels instanceof ObjectNode) || labels.isEmpty()) {
      return null;
    }
    ObjectNode out = spec.deepCopy();
    out.set("selector", labels.deepCopy());
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
        .put("type", "Utilization").put("averageUtilization", DEFAULT_CPU_UTILIZATION);
    ObjectNode out = spec.deepCopy();
    out.set("metrics", NODES.arrayNode().add(cpu));
    return out;
  }
}
