package dev.gitops.testing.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Plays the controllers' part on fabric8's mock API server, where none run: {@link #settle} gives an
 * object just written the status its controller would, so that health checks pass: CRDs established,
 * workloads with every replica updated and available, Namespaces active, claims bound, Jobs complete,
 * Pods running and ready, LoadBalancer Services an address from 192.0.2.0/24 (TEST-NET-1, never
 * routed), one per Service in the order they are first settled. A target wrapper calls it after each
 * create, update and adoption. Thread-safe.
 */
public final class ControllerStandIn {
  private static final Map<String, String> GROUPS = Map.of("Deployment", "apps", "StatefulSet", "apps",
      "ReplicaSet", "apps", "DaemonSet", "apps", "Job", "batch", "CustomResourceDefinition",
      "apiextensions.k8s.io", "Namespace", "", "PersistentVolumeClaim", "", "Pod", "", "Service", "");
  private final KubernetesClient client;
  private final Map<String, String> addresses = new HashMap<>();

  /** @param client a client of the mock server */
  public ControllerStandIn(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Sets the status of an object as its controller would; does nothing for any other kind or an object
   * that is gone. The mock serves no status subresource for cluster-scoped kinds: those are updated whole.
   *
   * @param group the object's API group, "" for the core group
   * @param kind its kind
   * @param namespace its namespace, "" when cluster-scoped
   * @param name its name
   */
  @SuppressWarnings("unchecked")
  public void settle(String group, String kind, String namespace, String name) {
    if (!group.equals(GROUPS.get(kind))) {
      return;
    }
    var all = client.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup(group)
        .withVersion("v1").withKind(kind).withPlural(kind.toLowerCase(Locale.ROOT) + "s")
        .withNamespaced(!namespace.isEmpty()).build());
    var op = namespace.isEmpty() ? all : all.inNamespace(namespace);
    GenericKubernetesResource live = op.withName(name).get();
    Object spec = live == null ? null : live.getAdditionalProperties().get("spec");
    Map<String, Object> status = live == null ? null
        : status(kind, namespace + "/" + name, spec instanceof Map ? (Map<String, Object>) spec : Map.of());
    if (status == null) {
      return;
    }
    Long generation = live.getMetadata().getGeneration();
    status.put("observedGeneration", generation == null ? 1L : generation);
    live.setAdditionalProperty("status", status);
    if (namespace.isEmpty()) {
      op.resource(live).update();
    } else {
      op.resource(live).updateStatus();
    }
  }

  private Map<String, Object> status(String kind, String service, Map<String, Object> spec) {
    Object n = spec.getOrDefault("replicas", 1);
    Map<String, Object> status = switch (kind) {
      case "CustomResourceDefinition" -> Map.of("conditions", conditions("NamesAccepted", "Established"));
      case "Namespace" -> Map.of("phase", "Active");
      case "PersistentVolumeClaim" -> Map.of("phase", "Bound");
      case "Job" -> Map.of("conditions", conditions("Complete"));
      case "Pod" -> Map.of("phase", "Running", "conditions", conditions("Ready"));
      case "Service" -> "LoadBalancer".equals(spec.get("type"))
          ? Map.of("loadBalancer", Map.of("ingress", List.of(Map.of("ip", address(service))))) : null;
      default -> Map.of("replicas", n, "updatedReplicas", n, "readyReplicas", n, "availableReplicas", n,
          "currentNumberScheduled", n, "desiredNumberScheduled", n, "numberAvailable", n,
          "updatedNumberScheduled", n, "conditions", conditions("Available"));
    };
    return status == null ? null : new HashMap<>(status);
  }

  private static List<Map<String, String>> conditions(String... types) {
    return List.of(types).stream().map(t -> Map.of("type", t, "status", "True")).toList();
  }

  private synchronized String address(String service) {
    return addresses.computeIfAbsent(service, s -> "192.0.2." + (1 + addresses.size() % 254));
  }
}
