package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.plan.PlanOptions;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Full pull cycles under {@link ApplyStrategy#SERVER_SIDE} (the default) against the mock with the
 * API server stand-in ({@link ApiServerStandIn}: defaults, zero values dropped, server-side apply,
 * managedFields): a field an autoscaler owns is left alone, or reported as a conflict when Git sets
 * it. "Left alone" is counted: no write request at all.
 */
class ServerSideApplyPullCycleIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @AutoClose private final StandInCluster cluster;

  ServerSideApplyPullCycleIT(@TempDir Path repo) {
    cluster = new StandInCluster(repo);
  }

  private Reconciler reconciler() {
    KubernetesTarget target = KubernetesTarget.of(cluster.client());
    return cluster.builder(target)
        .planOptions(PlanOptions.defaults().withDiff(KubernetesDiff.options()).withKindOrder(KubernetesKinds.order()))
        .prune(true).build();
  }

  @Test
  void replicasAnAutoscalerOwnsAreLeftAloneAndSettingThemIsAConflict() throws Exception {
    write("app.yaml", ServerSideApplyFixtures.REMOVALS_AFTER);
    Reconciler web = reconciler();
    assertTrue(web.reconcile(null).report().isSuccess());
    cluster.client().apps().deployments().inNamespace("shop").withName("web")
        .patch(new PatchContext.Builder().withPatchType(PatchType.JSON).withFieldManager("kube-controller-manager")
            .build(), "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":5}]");
    cluster.requests();

    ReconcileResult silent = web.reconcile(null);
    assertTrue(silent.plan().isEmpty(), silent.plan().render());
    assertEquals(List.of(), MockKubernetes.writes(cluster.requests()));

    write("app.yaml", ServerSideApplyFixtures.REMOVALS_AFTER.replace("spec:\n  selector:", "spec:\n  replicas: 2\n  selector:"));
    ReconcileResult conflict = web.reconcile(null);
    assertFalse(conflict.report().isSuccess(), conflict.report().toString());
    String report = conflict.report().toString();
    assertTrue(report.contains("kube-controller-manager") && report.contains("replicas"), report);
    assertEquals(5, get("/apis/apps/v1/namespaces/shop/deployments/web").path("spec").path("replicas").asInt());
  }

  private void write(String name, String text) throws Exception {
    cluster.write(name, text);
  }

  private JsonNode get(String path) throws Exception {
    String body = cluster.client().raw(cluster.client().getMasterUrl().toString().replaceAll("/+$", "") + path);
    assertNotNull(body, path);
    return JSON.readTree(body);
  }
}
