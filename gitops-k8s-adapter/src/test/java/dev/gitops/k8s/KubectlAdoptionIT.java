package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.plan.PlanOptions;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.testing.k8s.MockKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adopting, by server-side apply, an object that {@code kubectl apply} (client-side) wrote: its
 * fields are the manager {@code kubectl-client-side-apply}'s. The adoption takes them over, so
 * what Git no longer has (a label, a ConfigMap key, kubectl's last-applied annotation) is planned
 * as removals and leaves the cluster, and the next run writes nothing. Left co-owned by kubectl,
 * those fields would stay forever, unseen by any plan. Against the mock with the API server
 * stand-in ({@link ApiServerStandIn}: managedFields as a server writes them).
 */
class KubectlAdoptionIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CM = "/api/v1/namespaces/shop/configmaps/settings";

  @TempDir Path repo;
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud(new ApiServerStandIn());

  private Reconciler reconciler() throws Exception {
    Files.writeString(repo.resolve("app.yaml"), """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
          namespace: shop
          labels: {app: web}
        data: {A: "2"}
        """);
    KubernetesTarget target = KubernetesTarget.of(cluster.client(), KubernetesTarget.Options.defaults());
    return Reconciler.builder().name("web").source(DirectorySource.of(repo)).loader(new ManifestLoader())
        .target(target).planOptions(target.planDefaults().withAdoption(PlanOptions.Adoption.ADOPT))
        .applyOptions(ApplyOptions.defaults().withSleeper(d -> { })).prune(true).build();
  }

  @Test
  void whatKubectlAppliedIsTakenOverSoThatWhatLeftGitLeavesTheCluster() throws Exception {
    kubectlApplied();
    assertEquals(List.of("kubectl-client-side-apply"), managers(get()));
    adoptedAndSettled();
  }

  /**
   * The same object with no {@code managedFields} at all (written before 1.18, or stripped by a
   * restore): the server's first apply would make {@code before-first-apply} own every field, so
   * the adoption was a conflict on {@code data.A} and nothing that left Git would ever leave. The
   * adoption takes over what kubectl's last-applied record holds instead.
   */
  @Test
  void anObjectWithoutManagedFieldsIsAdoptedByKubectlsRecord() throws Exception {
    kubectlApplied();
    cluster.client().configMaps().inNamespace("shop").withName("settings").patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
        "[{\"op\":\"replace\",\"path\":\"/metadata/managedFields\",\"value\":[]}]");
    assertEquals(List.of(), managers(get()));
    adoptedAndSettled();
  }

  /**
   * What Helm wrote (manager {@code helm}, Update) is not taken over: a key Git leaves out stays
   * Helm's. Its {@code app.kubernetes.io/managed-by: Helm} label is: the adoption's apply writes
   * {@code gitops} there, which was a conflict with {@code helm} on every adoption from Helm.
   */
  @Test
  void whatHelmWroteIsAdoptedWithItsManagedByLabelAndItsOtherKeysKept() throws Exception {
    var body = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
    var meta = body.putObject("metadata").put("name", "settings").put("namespace", "shop");
    meta.putObject("labels").put("app", "web").put("app.kubernetes.io/managed-by", "Helm");
    body.putObject("data").put("A", "2").put("B", "helm");
    cluster.client().raw(cluster.client().getMasterUrl() + "api/v1/namespaces/shop/configmaps?fieldManager=helm",
        "POST", JSON.writeValueAsString(body));

    Reconciler web = reconciler();
    ReconcileResult adopted = web.reconcile(null);
    assertTrue(adopted.report().isSuccess(), adopted.report().toString());
    JsonNode live = get();
    assertEquals("gitops", live.path("metadata").path("labels").path("app.kubernetes.io/managed-by").asText(),
        live.toString());
    assertEquals("helm", live.path("data").path("B").asText(), "Helm's key stays: " + live);
    ReconcileResult second = web.reconcile(null);
    assertTrue(second.plan().isEmpty(), second.plan().render());
  }

  private void kubectlApplied() throws Exception {
    String applied = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"settings\","
        + "\"namespace\":\"shop\",\"labels\":{\"app\":\"web\",\"legacy\":\"yes\"}},\"data\":{\"A\":\"1\",\"OLD\":\"x\"}}";
    var body = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
    var meta = body.putObject("metadata").put("name", "settings").put("namespace", "shop");
    meta.putObject("labels").put("app", "web").put("legacy", "yes");
    meta.putObject("annotations").put("kubectl.kubernetes.io/last-applied-configuration", applied);
    body.putObject("data").put("A", "1").put("OLD", "x");
    cluster.client().raw(cluster.client().getMasterUrl() + "api/v1/namespaces/shop/configmaps"
        + "?fieldManager=kubectl-client-side-apply", "POST", JSON.writeValueAsString(body));
  }

  /** Adopted: what left Git left the cluster, gitops alone owns it, and the next run writes nothing. */
  private void adoptedAndSettled() throws Exception {
    Reconciler web = reconciler();
    ReconcileResult adopted = web.reconcile(null);
    assertTrue(adopted.report().isSuccess(), adopted.report().toString());
    String plan = adopted.plan().render();
    assertTrue(plan.contains("OLD") && plan.contains("legacy"), "the removals are planned:\n" + plan);

    JsonNode live = get();
    assertEquals("2", live.path("data").path("A").asText(), live.toString());
    assertFalse(live.path("data").has("OLD"), "a key that left Git left the cluster: " + live);
    assertFalse(live.path("metadata").path("labels").has("legacy"), live.toString());
    assertFalse(live.path("metadata").path("annotations").has("kubectl.kubernetes.io/last-applied-configuration"),
        live.toString());
    assertEquals(List.of("gitops"), managers(live), "kubectl's fields are gitops' now");

    cluster.requests();
    ReconcileResult second = web.reconcile(null);
    assertTrue(second.plan().isEmpty(), second.plan().render());
    assertEquals(List.of(), MockKubernetes.writes(cluster.requests()));
  }

  private JsonNode get() throws Exception {
    return JSON.readTree(cluster.client().raw(cluster.client().getMasterUrl() + CM.substring(1)));
  }

  private static List<String> managers(JsonNode live) {
    List<String> out = new ArrayList<>();
    live.path("metadata").path("managedFields").forEach(e -> out.add(e.path("manager").asText()));
    return out;
  }
}
