package dev.gitops.k8s;

import static dev.gitops.k8s.Fixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Problem;
import dev.gitops.reconcile.Reconciler;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chart's Deployment that sets one env var twice and lists one port under two names: the API
 * server takes it from a create or a client-side apply, and refuses a server-side apply of it
 * ("duplicate entries for key", kubernetes/kubernetes#113482) at the write of its wave, after the
 * ConfigMap's wave was written. Against the API server stand-in, which refuses such an apply as a
 * server does: under server-side apply the target refuses it before anything is written, naming
 * both lists; under JSON Patch it is written, as kubectl apply writes it, and settles.
 */
class DuplicateKeysIT {
  private static final String APP = """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings, namespace: shop}
      data: {MODE: fast}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - name: web
              image: nginx:1.27
              env:
              - {name: MODE, value: fast}
              - {name: MODE, value: fast}
              ports:
              - {name: http, containerPort: 8080}
              - {name: metrics, containerPort: 8080, protocol: TCP}
      """;

  @AutoClose private final StandInCluster cluster;

  DuplicateKeysIT(@TempDir Path repo) {
    cluster = new StandInCluster(repo);
  }

  private Reconciler reconciler(ApplyStrategy strategy) throws Exception {
    cluster.write(APP);
    return cluster.reconciler(strategy, false);
  }

  @Test
  void underServerSideApplyTheyAreRefusedBeforeAnyWrite() throws Exception {
    Reconciler web = reconciler(ApplyStrategy.SERVER_SIDE);
    cluster.requests();
    var e = assertThrows(InvalidDesiredStateException.class, () -> web.reconcile(null));

    assertEquals(List.of(
        "app.yaml:6: apps/Deployment/shop/web: spec.template.spec.containers[0].env[0] and"
            + " spec.template.spec.containers[0].env[1] share the key [name=\"MODE\"]",
        "app.yaml:6: apps/Deployment/shop/web: spec.template.spec.containers[0].ports[0] and"
            + " spec.template.spec.containers[0].ports[1] share the key [containerPort=8080,protocol=\"TCP\"]"),
        e.problems().stream().map(Problem::toString).map(p -> p.substring(0, p.indexOf("]:") + 1)).toList());
    assertTrue(cluster.requests().stream().noneMatch(r -> r.startsWith("PATCH ") || r.startsWith("POST ")),
        "nothing written");
    assertNull(cluster.client().configMaps().inNamespace("shop").withName("settings").get(), "not even the earlier wave");
  }

  @Test
  void underJsonPatchTheyAreWrittenAsKubectlApplyWritesThemAndSettle() throws Exception {
    Reconciler web = reconciler(ApplyStrategy.JSON_PATCH);
    ok(web.reconcile(null));
    JsonNode container = new ObjectMapper().readTree(cluster.client().raw("/apis/apps/v1/namespaces/shop/deployments/web"))
        .path("spec").path("template").path("spec").path("containers").path(0);
    assertEquals(2, container.path("env").size(), container.toString());
    assertEquals(2, container.path("ports").size(), container.toString());
    assertTrue(web.plan(null).isEmpty(), "the next plan is empty");
  }
}
