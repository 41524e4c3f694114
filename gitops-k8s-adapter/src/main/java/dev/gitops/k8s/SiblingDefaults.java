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
  /** autoscaling {@code DefaultCPUUtilization}: the target of the cpu metric an HPA without metrics gets. */
  private static final int DEFAULT_CPU_UTILIZATION = 80;
  /** The annotation an autoscaling/v1 HPA keeps its metrics other than a cpu target in. */
  private static final String V1_METRICS = "autoscaling.alpha.kubernetes.io/metrics";
  /** Kinds whose sibling defaults {@link #leftOut} alone derives. */

  private SiblingDefaults() {}

  /** The {@code spec} of {@code root}, an object of {@code id}, as the server's defaulting leaves it; null when unchanged. */
  static ObjectNode spec(ResourceId id, JsonNode root) {
    UnaryOperator<ObjectNode> rule = rule(id);
    return rule != null && root.get("spec") instanceof ObjectNode spec ? rule.apply(spec) : null;
  }

  /**
   * {@code root}, an object of {@code id} with a field left out (or at its zero), as the server's
   * defaulting stores it: {@link #spec}, then what it derives from a sibling only for a field a
   * write leaves out. {@code SetDefaults_Service}: under {@code sessionAffinity: ClientIP}, a
   * {@code sessionAffinityConfig} whose config, {@code clientIP} or {@code timeoutSeconds} is nil
   * becomes {@code {clientIP: {timeoutSeconds: 10800}}} (under {@code None} {@link #spec} drops it);
   * the traffic policies become {@code Cluster} by the Service's type ({@link #trafficPolicies}).
   * autoscaling/v2: an HPA's scaling rules take the defaults of their direction ({@link #behavior});
   * autoscaling/v1: its cpu target is 80 when no other metric is annotated ({@link #cpuTarget}).
   * {@code SetDefaults_LimitRangeItem}: in a {@code Container} item, a key of {@code max} that
   * {@code default} lacks is copied into it, then a key of {@code default}, then of {@code min},
   * that {@code defaultRequest} lacks into that. rbac/v1 {@code SetDefaults_Subject}: a User or
   * Group subject's empty {@code apiGroup} is {@code rbac.authorization.k8s.io}. A key "lacks" a
   * value as {@link #lacks} says. A workload's container pull policies and a Job's counts:
   * {@link WorkloadDefaults}. A dynamic resource allocation request's count: {@link DeviceRequests}. A
   * CustomResourceDefinition's {@code names.singular} and {@code listKind}: {@link DefinitionNames}.
   * Null when unchanged. (The rbac and LimitRange rules are not normalised into a manifest: a written {@code ""}
   * is the zero value {@link SchemaField} hides, and a key copied as written is the quantity it hides.)
   */
  static ObjectNode leftOut(ResourceId id, JsonNode root) {
    if (!(root instanceof ObjectNode object)) {
      return null;
    }
    ObjectNode spec = spec(id, root);
    ObjectNode from = spec != null ? spec : root.get("spec") instanceof ObjectNode s ? s : null;
    String kind = id.group() + "/" + id.kind();
    if (from != null && kind.equals("/Service")) {
      spec = trafficPolicies(clientIpConfig(from, spec), from);
    } else if (from != null && kind.equals("/LimitRange")) {
      spec = limitRange(from);
    } else if (from != null && kind.equals("autoscaling/HorizontalPodAutoscaler")) {
      spec = cpuTarget(object, from, behavior(from, spec));
    } else if (kind.equals("rbac.authorization.k8s.io/RoleBinding")
        || kind.equals("rbac.authorization.k8s.io/ClusterRoleBinding")) {
      return subjects(object);
    }
    ObjectNode out = spec == null ? null : replaced(object, "spec", spec);
    if (DeviceRequests.covers(id)) {
      return DeviceRequests.leftOut(id, object);
    }
    if (DefinitionNames.covers(id)) {
      return DefinitionNames.leftOut(id, object);
    }
    ObjectNode named = NamespaceLabel.leftOut(id, out != null ? out : object);
    ObjectNode workload = WorkloadDefaults.leftOut(id, named != null ? named : out != null ? out : object);
    return workload != null ? workload : named != null ? named : out;
  }

  /**
   * {@code SetDefaults_Service}'s traffic policies, set when a write leaves them out: an external
   * one of {@code Cluster} on an externally accessible Service (NodePort, LoadBalancer, or a
   * ClusterIP one with {@code externalIPs}), an internal one of {@code Cluster} on a ClusterIP,
   * NodePort or LoadBalancer Service (an ExternalName one gets neither); a left-out type is
   * ClusterIP. {@code allocateLoadBalancerNodePorts} is set to true on a LoadBalancer only, so on
   * another type the field a write leaves out stays out (dropped here, whatever its fixed default:
   * pair 458).
   */
  private static ObjectNode trafficPolicies(ObjectNode spec, ObjectNode from) {
    String type = lacks(from.get("type")) ? "ClusterIP" : from.path("type").asText();
    boolean external = type.equals("NodePort") || type.equals("LoadBalancer")
        || type.equals("ClusterIP") && from.get("externalIPs") instanceof ArrayNode ips && !ips.isEmpty();
    boolean internal = external || type.equals("ClusterIP");
    ObjectNode out = spec;
    for (String field : new String[] {"externalTrafficPolicy", "internalTrafficPolicy"}) {
      if ((field.startsWith("external") ? external : internal) && lacks(from.get(field))) {
        out = out != null ? out : from.deepCopy();
        out.put(field, "Cluster");
      }
    }
    if (!type.equals("LoadBalancer") && from.has("allocateLoadBalancerNodePorts")
        && lacks(from.get("allocateLoadBalancerNodePorts"))) {
      out = out != null ? out : from.deepCopy();
      out.remove("allocateLoadBalancerNodePorts");
    }
    return out;
  }

  /**
   * autoscaling/v2 {@code SetDefaults_HorizontalPodAutoscalerBehavior}: under a {@code behavior}, a
   * nil {@code scaleUp} or {@code scaleDown} (or a nil field of one) takes the default rules'
   * ({@code GenerateHPAScaleUpRules}: no stabilization window, {@code Max}, 4 pods or 100% per 15 s;
   * {@code GenerateHPAScaleDownRules}: {@code Max}, 100% per 15 s, and no window: the controller's
   * flag decides it). An empty {@code policies} counts as nil: the server refuses it. A nil
   * {@code behavior} gets nothing; an empty one is the nil {@link LeftOutDefaults} puts in place of a
   * behavior left out whole (whatever is judged below a written one holds a field).
   */
  private static ObjectNode behavior(ObjectNode from, ObjectNode spec) {
    if (!(from.get("behavior") instanceof ObjectNode b) || b.isEmpty()) {
      return spec;
    }
    ObjectNode out = spec != null ? spec : from.deepCopy();
    ObjectNode behavior = (ObjectNode) out.get("behavior");
    ArrayNode up = NODES.arrayNode().add(policy("Pods", 4)).add(policy("Percent", 100));
    scalingRules(behavior, "scaleUp", up);
    scalingRules(behavior, "scaleDown", NODES.arrayNode().add(policy("Percent", 100)));
    return out;
  }

  /** Fills what {@code behavior.name} lacks of the default rules: {@code policies}, and a scale-up window of 0. */
  private static void scalingRules(ObjectNode behavior, String name, ArrayNode policies) {
    ObjectNode rules = behavior.get(name) instanceof ObjectNode r ? r : behavior.putObject(name);
    if (name.equals("scaleUp") && lacks(rules.get("stabilizationWindowSeconds"))) {
      rules.put("stabilizationWindowSeconds", 0);
    }
    if (lacks(rules.get("selectPolicy"))) {
      rules.put("selectPolicy", "Max");
    }
    if (lacks(rules.get("policies")) || rules.get("policies") instanceof ArrayNode p && p.isEmpty()) {
      rules.set("policies", policies);
    }
  }

  /**
   * autoscaling/v1: a nil {@code targetCPUUtilizationPercentage} becomes no metric in the
   * v1-to-internal conversion, which then stores a cpu metric at 80% utilization when no metric is
   * left, the {@code autoscaling.alpha.kubernetes.io/metrics} annotation's included
   * ({@code Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler}); a v1 GET
   * shows that metric as the target.
   */
  private static ObjectNode cpuTarget(ObjectNode root, ObjectNode from, ObjectNode spec) {
    String others = root.path("metadata").path("annotations").path(V1_METRICS).asText("").trim();
    if (!"autoscaling/v1".equals(root.path("apiVersion").asText(null))
        || !lacks(from.get("targetCPUUtilizationPercentage")) || !(others.isEmpty() || others.equals("[]"))) {
      return spec;
    }
    ObjectNode out = spec != null ? spec : from.deepCopy();
    out.put("targetCPUUtilizationPercentage", DEFAULT_CPU_UTILIZATION);
    return out;
  }

  private static ObjectNode policy(String type, int value) {
    return NODES.objectNode().put("periodSeconds", 15).put("type", type).put("value", value);
  }

  private static ObjectNode clientIpConfig(ObjectNode from, ObjectNode spec) {
    if (!"ClientIP".equals(from.path("sessionAffinity").asText(null))) {
      return spec;
    }
    if (!lacks(from.path("sessionAffinityConfig").path("clientIP").get("timeoutSeconds"))) {
      return spec;
    }
    ObjectNode out = spec != null ? spec : from.deepCopy();
    out.putObject("sessionAffinityConfig").putObject("clientIP")
        .put("timeoutSeconds", DEFAULT_CLIENT_IP_TIMEOUT);
    return out;
  }

  private static ObjectNode limitRange(ObjectNode spec) {
    if (!(spec.get("limits") instanceof ArrayNode)) {
      return null;
    }
    ObjectNode out = spec.deepCopy();
    for (JsonNode item : out.get("limits")) {
      if (item instanceof ObjectNode i && "Container".equals(i.path("type").asText(null))) {
        copyLacking(i, "max", "default");
        copyLacking(i, "default", "defaultRequest");
        copyLacking(i, "min", "defaultRequest");
      }
    }
    return out.equals(spec) ? null : out;
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

  private static ObjectNode subjects(ObjectNode root) {
    if (!(root.get("subjects") instanceof ArrayNode subjects)) {
      return null;
    }
    ArrayNode out = subjects.deepCopy();
    for (JsonNode subject : out) {
      String kind = subject.path("kind").asText("");
      if (subject instanceof ObjectNode s && lacks(s.get("apiGroup")) && (kind.equals("User") || kind.equals("Group"))) {
        s.put("apiGroup", "rbac.authorization.k8s.io");
      }
    }
    return out.equals(subjects) ? null : replaced(root, "subjects", out);
  }

  /** A shallow copy of {@code root} with {@code field} set to {@code value}. */
  private static ObjectNode replaced(ObjectNode root, String field, JsonNode value) {
    ObjectNode copy = NODES.objectNode();
    copy.setAll(root);
    copy.set(field, value);
    return copy;
  }

  /**
   * True for a value a write leaves out: absent, null, {@code ""}, or the missing node
   * {@link LeftOutDefaults} puts in the place of the field it judges.
   */
  static boolean lacks(JsonNode v) {
    return v == null || v.isNull() || v.isMissingNode() || v.isTextual() && v.textValue().isEmpty();
  }

  /** True when the server's defaulting derives a value of {@code id}'s kind from a sibling, as {@link #spec} or {@link #leftOut} does. */
  static boolean covers(ResourceId id) {
    return rule(id) != null || leftOutOnly(id) || WorkloadDefaults.covers(id)
        || DeviceRequests.covers(id) || DefinitionNames.covers(id);
  }

  /** True for the kinds whose defaults only {@link #leftOut} derives (no {@link #rule}). */
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
