package dev.gitops.k8s;

import static dev.gitops.k8s.SiblingDefaults.lacks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ResourceId;

/**
 * What the API server's defaulting stores for an object with a field left out (or at its zero) that
 * it derives from a sibling: the rewrite of every write ({@link SiblingDefaults#spec}), then what the
 * defaulting fills only where a write leaves a field out ({@link #leftOut}), which
 * {@link LeftOutDefaults} asks when it judges the removal of a field {@code gitops} applied. Copies
 * what it changes; never mutates its input. Stateless. Not public API.
 */
final class SiblingLeftOut {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** core/v1 {@code DefaultClientIPServiceAffinitySeconds}: three hours. */
  private static final int DEFAULT_CLIENT_IP_TIMEOUT = 10800;
  /** The annotation an autoscaling/v1 HPA keeps its metrics other than a cpu target in. */
  private static final String V1_METRICS = "autoscaling.alpha.kubernetes.io/metrics";

  private SiblingLeftOut() {}

  /**
   * {@code root}, an object of {@code id} with a field left out (or at its zero), as the server's
   * defaulting stores it: {@link SiblingDefaults#spec}, then what it derives from a sibling only for a field a
   * write leaves out. {@code SetDefaults_Service}: under {@code sessionAffinity: ClientIP}, a
   * {@code sessionAffinityConfig} whose config, {@code clientIP} or {@code timeoutSeconds} is nil
   * becomes {@code {clientIP: {timeoutSeconds: 10800}}} (under {@code None} {@link SiblingDefaults#spec} drops it);
   * the traffic policies become {@code Cluster} by the Service's type ({@link #trafficPolicies}).
   * autoscaling/v2: an HPA's scaling rules take the defaults of their direction ({@link #behavior});
   * autoscaling/v1: its cpu target is 80 when no other metric is annotated ({@link #cpuTarget}).
   * {@code SetDefaults_LimitRangeItem}: in a {@code Container} item, a key of {@code max} that
   * {@code default} lacks is copied into it, then a key of {@code default}, then of {@code min},
   * that {@code defaultRequest} lacks into that. rbac/v1 {@code SetDefaults_Subject}: a User or
   * Group subject's empty {@code apiGroup} is {@code rbac.authorization.k8s.io}. A key "lacks" a
   * value as {@link SiblingDefaults#lacks} says. A workload's container pull policies and a Job's counts:
   * {@link WorkloadDefaults}. A dynamic resource allocation request's count: {@link DeviceRequests}. A
   * CustomResourceDefinition's {@code names.singular} and {@code listKind}: {@link DefinitionNames}.
   * Null when unchanged. (The rbac and LimitRange rules are not normalised into a manifest: a written {@code ""}
   * is the zero value {@link SchemaField} hides, and a key copied as written is the quantity it hides.)
   */
  static ObjectNode leftOut(ResourceId id, JsonNode root) {
    if (!(root instanceof ObjectNode object)) {
      return null;
    }
    ObjectNode spec = SiblingDefaults.spec(id, root);
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
    out.put("targetCPUUtilizationPercentage", SiblingDefaults.DEFAULT_CPU_UTILIZATION);
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
        SiblingDefaults.copyLacking(i, "max", "default");
        SiblingDefaults.copyLacking(i, "default", "defaultRequest");
        SiblingDefaults.copyLacking(i, "min", "defaultRequest");
      }
    }
    return out.equals(spec) ? null : out;
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
}
