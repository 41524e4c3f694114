package dev.gitops.k8s;

import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.ForwardingTarget;
import dev.gitops.target.Target;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;

/**
 * Test helper that plays the controllers' part on the CRUD mock, where none runs: after the target
 * writes an object, it sets the status a controller would (through the status subresource): CRDs
 * Established, workloads with all replicas updated and available, Namespaces Active, claims Bound,
 * Jobs Complete, Pods Running and Ready, load balancers with an address. (For cluster-scoped kinds
 * the mock has no status subresource, so the stand-in updates the whole object there.) Everything else, the lock
 * and deploy history included, passes through to the real {@link KubernetesTarget}.
 */
final class ControllerStandIn extends ForwardingTarget {
  private final KubernetesClient client;

  ControllerStandIn(Target target, KubernetesClient client) {
    super(target);
    this.client = client;
  }

  @Override
  public String applyWithDetail(Action action, String owner) {
    String detail = super.applyWithDetail(action, owner);
    if (action.kind() == Action.Kind.CREATE || action.kind() == Action.Kind.UPDATE
        || action.kind() == Action.Kind.ADOPT) {
      reconcileStatus(action.id());
    }
    return detail;
  }

  private void reconcileStatus(ResourceId id) {
    Object status = switch (id.kind()) {
      case "CustomResourceDefinition" -> Map.of("conditions", List.of(
          Map.of("type", "NamesAccepted", "status", "True"),
          Map.of("type", "Established", "status", "True")));
      case "Namespace" -> Map.of("phase", "Active");
      case "PersistentVolumeClaim" -> Map.of("phase", "Bound");
      case "Job" -> Map.of("conditions", List.of(Map.of("type", "Complete", "status", "True")));
      case "Pod" -> Map.of("phase", "Running",
          "conditions", List.of(Map.of("type", "Ready", "status", "True")));
      case "Deployment", "StatefulSet", "ReplicaSet", "DaemonSet", "Service" -> "workload";
      default -> null;
    };
    if (status == null) {
      return;
    }
    var op = client.genericKubernetesResources(context(id));
    GenericKubernetesResource live = id.namespace().isEmpty()
        ? op.withName(id.name()).get() : op.inNamespace(id.namespace()).withName(id.name()).get();
    if ("workload".equals(status)) {
      status = workloadStatus(id, live);
      if (status == null) {
        return;
      }
    }
    live.setAdditionalProperty("status", status);
    if (id.namespace().isEmpty()) {
      op.resource(live).update(); // the mock serves no status subresource for cluster-scoped kinds
    } else {
      op.inNamespace(id.namespace()).resource(live).updateStatus();
    }
  }

  @SuppressWarnings("unchecked")
  private static Object workloadStatus(ResourceId id, GenericKubernetesResource live) {
    Map<String, Object> spec = (Map<String, Object>) live.getAdditionalProperties().get("spec");
    long generation = live.getMetadata().getGeneration() == null ? 0 : live.getMetadata().getGeneration();
    if ("Service".equals(id.kind())) {
      return "LoadBalancer".equals(spec.get("type"))
          ? Map.of("loadBalancer", Map.of("ingress", List.of(Map.of("ip", "192.0.2.1")))) : null;
    }
    if ("DaemonSet".equals(id.kind())) {
      return Map.of("observedGeneration", generation, "desiredNumberScheduled", 1,
          "updatedNumberScheduled", 1, "numberAvailable", 1);
    }
    Object replicas = spec.getOrDefault("replicas", 1);
    return Map.of("observedGeneration", generation, "replicas", replicas, "updatedReplicas", replicas,
        "readyReplicas", replicas, "availableReplicas", replicas);
  }

  private static ResourceDefinitionContext context(ResourceId id) {
    return dev.gitops.k8s.KindResolver.context(
        dev.gitops.k8s.BuiltinKinds.find(id.group(), id.kind()).orElseThrow());
  }
}
