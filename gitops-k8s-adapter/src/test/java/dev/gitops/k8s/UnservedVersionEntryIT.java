package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * This library's managedFields entry at an API version the server no longer serves (an HPA applied
 * at {@code autoscaling/v2beta2} before the cluster went past 1.26): every write drops such an
 * entry unused, so an apply removed nothing that had left Git, though the plan said it would, and
 * the next plan, reading the new entry, no longer saw it. The writer moves the entry to the version
 * it applies first. Against the mock with the API server stand-in ({@link ApiServerStandIn}).
 */
class UnservedVersionEntryIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HPA = "apis/autoscaling/v2/namespaces/shop/horizontalpodautoscalers/web";

  @TempDir Path repo;
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud(new ApiServerStandIn());

  private void git(String labels) throws Exception {
    Files.writeString(repo.resolve("hpa.yaml"), """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          name: web
          namespace: shop
          labels: %s
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 1
          maxReplicas: 3
        """.formatted(labels));
  }

  @Test
  void whatLeftGitLeavesTheClusterThoughOurEntryWasAtAnUnservedVersion() throws Exception {
    git("{app: web, tier: frontend}");
    KubernetesTarget target = KubernetesTarget.of(cluster.client(), KubernetesTarget.Options.defaults());
    Reconciler web = Reconciler.builder().name("web").source(DirectorySource.of(repo)).loader(new ManifestLoader())
        .target(target).planOptions(target.planDefaults())
        .applyOptions(ApplyOptions.defaults().withSleeper(d -> { })).prune(true).build();
    assertTrue(web.reconcile(null).report().isSuccess());
    JsonNode entries = get().path("metadata").path("managedFields");
    int ours = -1;
    for (int i = 0; i < entries.size(); i++) {
      ours = entries.get(i).path("manager").asText().equals("gitops") ? i : ours;
    }
    cluster.client().genericKubernetesResources("autoscaling/v2", "HorizontalPodAutoscaler").inNamespace("shop")
        .withName("web").patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"replace\",\"path\":\"/metadata/managedFields/"
            + ours + "/apiVersion\",\"value\":\"autoscaling/v2beta2\"}]");
    assertEquals("autoscaling/v2beta2", get().path("metadata").path("managedFields").get(ours).path("apiVersion").asText());

    git("{app: web}");
    ReconcileResult dropped = web.reconcile(null);
    assertTrue(dropped.report().isSuccess(), dropped.report().toString());
    assertTrue(dropped.plan().render().contains("tier"), "the removal is planned:\n" + dropped.plan().render());
    JsonNode live = get();
    assertFalse(live.path("metadata").path("labels").has("tier"), "what left Git left the cluster: " + live);
    ReconcileResult second = web.reconcile(null);
    assertTrue(second.plan().isEmpty(), second.plan().render());
  }

  private JsonNode get() throws Exception {
    return JSON.readTree(cluster.client().raw(cluster.client().getMasterUrl() + HPA));
  }
}
