package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.reconcile.Reconciler;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Deployment switched to the {@code Recreate} strategy, a StatefulSet to {@code OnDelete}: the
 * server defaulted a {@code rollingUpdate} under the old type, which no applier owns, so an apply
 * leaves it and the server refuses the update ("may not be specified when strategy type is
 * 'Recreate'", kubernetes/kubernetes#24198; Argo CD and Flux users hit it and write
 * {@code rollingUpdate: null} or replace the object). Against the API server stand-in, which
 * defaults and refuses as a server does: the switch is written, under either strategy, and the
 * next run plans nothing.
 */
class StrategySwitchIT {
  private static final String APP = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: web, image: nginx:1.27}]}%s
      ---
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: {name: db, namespace: shop}
      spec:
        serviceName: db
        selector: {matchLabels: {app: db}}
        template:
          metadata: {labels: {app: db}}
          spec: {containers: [{name: db, image: postgres:17}]}%s
      """;

  @AutoClose private final StandInCluster cluster;

  StrategySwitchIT(@TempDir Path repo) {
    cluster = new StandInCluster(repo);
  }

  @Test
  void underServerSideApplyTheSwitchIsWritten() throws Exception {
    switchIsWritten(ApplyStrategy.SERVER_SIDE);
  }

  @Test
  void underJsonPatchTheSwitchIsWritten() throws Exception {
    switchIsWritten(ApplyStrategy.JSON_PATCH);
  }

  private void switchIsWritten(ApplyStrategy strategy) throws Exception {
    Reconciler web = reconciler(strategy);
    cluster.write(APP.formatted("", ""));
    web.reconcile(null);
    assertEquals("25%", get("deployments/web").at("/spec/strategy/rollingUpdate/maxSurge").asText(),
        "the server defaulted the rollout");
    assertEquals(0, get("statefulsets/db").at("/spec/updateStrategy/rollingUpdate/partition").asInt(-1));

    cluster.write(APP.formatted("\n  strategy: {type: Recreate}",
        "\n  updateStrategy: {type: OnDelete}"));
    var result = web.reconcile(null);
    assertTrue(result.isSuccess(), result.toString());

    JsonNode deployment = get("deployments/web");
    assertEquals("Recreate", deployment.at("/spec/strategy/type").asText());
    assertTrue(deployment.at("/spec/strategy/rollingUpdate").isMissingNode(), deployment.toString());
    JsonNode statefulSet = get("statefulsets/db");
    assertEquals("OnDelete", statefulSet.at("/spec/updateStrategy/type").asText());
    assertTrue(statefulSet.at("/spec/updateStrategy/rollingUpdate").isMissingNode(), statefulSet.toString());
    assertTrue(web.plan(null).isEmpty(), "the next plan is empty");
  }

  private Reconciler reconciler(ApplyStrategy strategy) {
    return cluster.reconciler(strategy, false);
  }

  private JsonNode get(String path) throws Exception {
    return cluster.get("apis/apps/v1/namespaces/shop/" + path);
  }
}
