package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Set;

/**
 * What the API server's Service strategy does to an update, for {@link ApiServerStandIn}: written
 * for the tests from {@code pkg/registry/core/service/strategy.go} {@code dropTypeDependentFields}
 * (a field the old type needed and the new one does not take is wiped when the write left it as it
 * was) and the checks of {@code pkg/apis/core/validation/validation.go} that then refuse what a
 * type does not take (a node port on a ClusterIP Service, a traffic policy on a Service that is not
 * externally accessible, a health check port beyond a Local LoadBalancer). ExternalName and
 * {@code loadBalancerClass} are left out.
 */
final class ServiceStrategy {
  private ServiceStrategy() {}

  /** Wipes from the spec of {@code svc}, updating {@code old}, what its new type does not take and the write left alone. */
  static void dropTypeDependentFields(JsonNode old, ObjectNode svc) {
    JsonNode was = old.path("spec");
    if (!(svc.get("spec") instanceof ObjectNode spec)) {
      return;
    }
    if (nodePorts(was) && !nodePorts(spec) && nodePortSet(was).containsAll(nodePortSet(spec))) {
      spec.path("ports").forEach(p -> ((ObjectNode) p).remove("nodePort"));
    }
    if (healthCheck(was) && !healthCheck(spec) && was.path("healthCheckNodePort").equals(spec.path("healthCheckNodePort"))) {
      spec.remove("healthCheckNodePort");
    }
    if (type(was).equals("LoadBalancer") && !type(spec).equals("LoadBalancer")
        && was.path("allocateLoadBalancerNodePorts").equals(spec.path("allocateLoadBalancerNodePorts"))) {
      spec.remove("allocateLoadBalancerNodePorts");
    }
    if (external(was) && !external(spec) && was.path("externalTrafficPolicy").equals(spec.path("externalTrafficPolicy"))) {
      spec.remove("externalTrafficPolicy");
    }
  }

  /** The validation error of the spec of {@code svc}, or null when valid. */
  static String invalid(JsonNode svc) {
    JsonNode spec = svc.path("spec");
    for (int i = 0; i < spec.path("ports").size(); i++) {
      if (!nodePorts(spec) && spec.path("ports").path(i).path("nodePort").asInt(0) != 0) {
        return "spec.ports[" + i + "].nodePort: Forbidden: may not be used when `type` is '" + type(spec) + "'";
      }
    }
    if (!external(spec) && !spec.path("externalTrafficPolicy").asText("").isEmpty()) {
      return "spec.externalTrafficPolicy: Invalid value: may only be set for externally-accessible services";
    }
    if (!healthCheck(spec) && spec.path("healthCheckNodePort").asInt(0) != 0) {
      return "spec.healthCheckNodePort: Invalid value: may only be set when `type` is 'LoadBalancer' and"
          + " `externalTrafficPolicy` is 'Local'";
    }
    return null;
  }

  private static Set<Integer> nodePortSet(JsonNode spec) {
    Set<Integer> out = new HashSet<>();
    spec.path("ports").forEach(p -> {
      if (p.path("nodePort").asInt(0) != 0) {
        out.add(p.path("nodePort").asInt());
      }
    });
    return out;
  }

  private static String type(JsonNode spec) {
    return spec.path("type").asText("ClusterIP");
  }

  private static boolean nodePorts(JsonNode spec) {
    return type(spec).equals("NodePort") || type(spec).equals("LoadBalancer");
  }

  private static boolean healthCheck(JsonNode spec) {
    return type(spec).equals("LoadBalancer") && spec.path("externalTrafficPolicy").asText().equals("Local");
  }

  private static boolean external(JsonNode spec) {
    return nodePorts(spec) || type(spec).equals("ClusterIP") && !spec.path("externalIPs").isEmpty();
  }
}
