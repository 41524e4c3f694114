package dev.gitops.samples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.model.Content;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.ForwardingTarget;
import dev.gitops.target.Target;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plays the controllers' part on fabric8's mock API server, where none run: after each write of a
 * workload or a CRD it sets the status a controller would (replicas available, CRD established, a
 * LoadBalancer Service's ingress address, as a cloud's load-balancer controller or MetalLB gives),
 * so health checks pass (workloads available, CRDs established, Namespaces active, claims bound,
 * load balancers addressed). Addresses come from 192.0.2.0/24 (TEST-NET-1, never routed), one per
 * Service in the order they are first written.
 * Everything else, the target's lock and deploy history included, passes through. Used only by the
 * {@code k8s-mock} target, which says so when it starts.
 */
final class MockControllers extends ForwardingTarget {
  private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet");
  private final KubernetesClient client;
  private final Map<ResourceId, String> addresses = new java.util.HashMap<>();

  MockControllers(Target delegate, KubernetesClient client) {
    super(delegate);
    this.client = client;
  }

  @Override
  public String applyWithDetail(Action action, String owner) {
    String detail = super.applyWithDetail(action, owner);
    if (action instanceof Action.Create c) {
      settle(c.id(), c.desired().content());
    } else if (action instanceof Action.Update u) {
      settle(u.id(), u.desired().content());
    } else if (action instanceof Action.Adopt a) {
      settle(a.id(), a.desired().content());
    }
    return detail;
  }

  /** The address of load balancer {@code id}: the same for the same Service while this process runs. */
  private synchronized String address(ResourceId id) {
    return addresses.computeIfAbsent(id, i -> "192.0.2." + (1 + addresses.size() % 254));
  }

  private void settle(ResourceId id, Content content) {
    if (!(content instanceof Content.Tree tree)) {
      return;
    }
    Map<String, Object> status;
    if (WORKLOADS.contains(id.kind())) {
      int replicas = tree.node().path("spec").path("replicas").asInt(1);
      status = Map.of("replicas", replicas, "updatedReplicas", replicas, "readyReplicas", replicas,
          "availableReplicas", replicas, "currentNumberScheduled", replicas, "desiredNumberScheduled", replicas,
          "numberAvailable", replicas, "updatedNumberScheduled", replicas,
          "conditions", List.of(Map.of("type", "Available", "status", "True")));
    } else if (id.kind().equals("CustomResourceDefinition")) {
      status = Map.of("conditions", List.of(Map.of("type", "Established", "status", "True"),
          Map.of("type", "NamesAccepted", "status", "True")));
    } else if (id.kind().equals("Job")) {
      status = Map.of("conditions", List.of(Map.of("type", "Complete", "status", "True")));
    } else if (id.kind().equals("Namespace")) {
      status = Map.of("phase", "Active");
    } else if (id.kind().equals("PersistentVolumeClaim")) {
      status = Map.of("phase", "Bound");
    } else if (id.kind().equals("Service") && id.group().isEmpty()
        && "LoadBalancer".equals(tree.node().path("spec").path("type").asText())) {
      status = Map.of("loadBalancer", Map.of("ingress", List.of(Map.of("ip", address(id)))));
    } else {
      return;
    }
    JsonNode api = tree.node().path("apiVersion");
    var resources = client.genericKubernetesResources(api.asText(), id.kind());
    var named = id.namespace().isEmpty() ? resources.withName(id.name())
        : resources.inNamespace(id.namespace()).withName(id.name());
    GenericKubernetesResource live = named.get();
    if (live == null) {
      return;
    }
    Map<String, Object> withGeneration = new java.util.HashMap<>(status);
    Long generation = live.getMetadata().getGeneration();
    withGeneration.put("observedGeneration", generation == null ? 1L : generation);
    live.setAdditionalProperty("status", withGeneration);
    if (id.namespace().isEmpty()) {
      resources.resource(live).update(); // the mock serves no status subresource for cluster-scoped kinds
    } else {
      resources.inNamespace(id.namespace()).resource(live).updateStatus();
    }
  }
}
