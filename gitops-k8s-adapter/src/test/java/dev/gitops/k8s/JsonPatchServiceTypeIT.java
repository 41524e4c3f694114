package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.reconcile.Reconciler;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under {@link ApplyStrategy#JSON_PATCH}, against the API server stand-in answering a Service's
 * update as the Service strategy and validation do ({@link ServiceStrategy}): Git turns a NodePort
 * Service, and a Local LoadBalancer, into a ClusterIP one (corpus pairs 331 to 333 as a running
 * cluster). The plan shows what the strategy drops, the patch is accepted, the Service holds none
 * of it, and the next plan is empty: no loop.
 */
class JsonPatchServiceTypeIT {
  private static final String SERVICE = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n"
      + "spec: {type: %s, selector: {app: web}, ports: [{name: http, port: 80, targetPort: 8080}]}\n";
  private static final ResourceId WEB = ResourceId.of("Service", "shop", "web");

  @AutoClose private final StandInCluster cluster;

  JsonPatchServiceTypeIT(@TempDir Path repo) {
    cluster = new StandInCluster(repo);
  }

  @Test
  void aNodePortServiceTurnedClusterIpLosesItsNodePortAndPolicyAndStaysInSync() throws Exception {
    typeChanged("NodePort", List.of("REMOVE /spec/externalTrafficPolicy", "REMOVE /spec/ports/0/nodePort",
        "REPLACE /spec/type"));
  }

  @Test
  void aLocalLoadBalancerTurnedClusterIpLosesWhatOnlyALoadBalancerHasAndStaysInSync() throws Exception {
    typeChanged("LoadBalancer, externalTrafficPolicy: Local", List.of("REMOVE /spec/allocateLoadBalancerNodePorts",
        "REMOVE /spec/externalTrafficPolicy", "REMOVE /spec/healthCheckNodePort", "REMOVE /spec/ports/0/nodePort",
        "REPLACE /spec/type"));
  }

  private void typeChanged(String type, List<String> planned) throws Exception {
    cluster.write("svc.yaml", SERVICE.formatted(type));
    Reconciler web = reconciler();
    var created = web.reconcile(null);
    assertTrue(created.isSuccess(), created.toString());
    if (type.startsWith("LoadBalancer")) { // the registry allocates it for a Local LoadBalancer
      cluster.client().services().inNamespace("shop").withName("web").edit(s -> {
        s.getSpec().setHealthCheckNodePort(32118);
        s.getSpec().setAllocateLoadBalancerNodePorts(true);
        return s;
      });
    }
    assertTrue(get().at("/spec/ports/0/nodePort").asInt() > 0, get().toString());

    cluster.write("svc.yaml", SERVICE.formatted("ClusterIP"));
    Action action = web.plan(null).action(WEB).orElseThrow();
    assertTrue(action instanceof Action.Update, action.toString());
    assertEquals(planned, ((Action.Update) action).diff().changes().stream().map(c -> c.op() + " " + c.path())
        .sorted().toList());
    var changed = web.reconcile(null);
    assertTrue(changed.isSuccess(), changed.toString());

    JsonNode spec = get().path("spec");
    assertEquals("ClusterIP", spec.path("type").asText(), spec.toString());
    for (String gone : List.of("/ports/0/nodePort", "/externalTrafficPolicy", "/healthCheckNodePort",
        "/allocateLoadBalancerNodePorts")) {
      assertTrue(spec.at(gone).isMissingNode(), gone + " stays: " + spec);
    }
    assertTrue(web.plan(null).isEmpty(), "the next plan is empty");
  }

  private Reconciler reconciler() {
    return cluster.reconciler(ApplyStrategy.JSON_PATCH, false);
  }

  private JsonNode get() throws Exception {
    return cluster.get("api/v1/namespaces/shop/services/web");
  }
}
