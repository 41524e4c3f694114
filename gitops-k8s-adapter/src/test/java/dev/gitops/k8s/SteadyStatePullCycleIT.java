package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.diff.Change;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanOptions;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.testing.k8s.MockKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's steady state, in full pull cycles under {@link ApplyStrategy#SERVER_SIDE} (the
 * default) against the mock with the API server stand-in ({@link ApiServerStandIn}: defaults, zero
 * values dropped, canonical quantities, Pod admission additions, managedFields): manifests that
 * spell out zero values, that the server appends to, or that lose fields in Git converge, and the
 * next reconcile sends no write request at all.
 */
class SteadyStatePullCycleIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path repo;
  @AutoClose private final StandInCluster cluster;

  SteadyStatePullCycleIT(@TempDir Path repo) {
    this.repo = repo;
    cluster = new StandInCluster(repo);
  }

  private Reconciler reconciler() {
    return reconciler(ApplyStrategy.SERVER_SIDE);
  }

  private Reconciler reconciler(ApplyStrategy strategy) {
    KubernetesTarget target = KubernetesTarget.of(cluster.client(),
        KubernetesTarget.Options.defaults().withStrategy(strategy));
    return cluster.builder(target)
        .planOptions(PlanOptions.defaults().withDiff(KubernetesDiff.options(target.schema()))
            .withKindOrder(KubernetesKinds.order()))
        .prune(true).build();
  }

  @Test
  void tektonStyleManifestsSettleAndTheSecondReconcileWritesNothing() throws Exception {
    tektonStyleManifestsSettle(ApplyStrategy.SERVER_SIDE);
  }

  @Test
  void tektonStyleManifestsSettleUnderJsonPatchToo() throws Exception {
    tektonStyleManifestsSettle(ApplyStrategy.JSON_PATCH);
  }

  private void tektonStyleManifestsSettle(ApplyStrategy strategy) throws Exception {
    write(ServerSideApplyFixtures.TEKTON_STYLE);
    Reconciler web = reconciler(strategy);
    ReconcileResult cold = web.reconcile(null);
    assertTrue(cold.report().isSuccess(), cold.report().toString());
    JsonNode container = get("/apis/apps/v1/namespaces/shop/deployments/remote-resolvers")
        .path("spec").path("template").path("spec").path("containers").path(0);
    assertFalse(container.has("args") || container.has("command"), "the stand-in drops args: [] as the server does: "
        + container);
    assertFalse(container.path("env").path(2).has("value"), "and value: \"\": " + container);
    assertEquals("1", container.path("resources").path("limits").path("cpu").asText(), container.toString());
    cluster.requests();

    ReconcileResult second = web.reconcile(null);
    assertTrue(second.plan().isEmpty(), second.plan().summary() + "\n" + second.plan().render());
    assertEquals(List.of(), MockKubernetes.writes(cluster.requests()));
  }

  @Test
  void entriesTheServerAppendsAreNoDriftAndTheSecondReconcileWritesNothing() throws Exception {
    write(ServerSideApplyFixtures.POD_AND_SERVICE);
    Reconciler web = reconciler();
    ReconcileResult cold = web.reconcile(null);
    assertTrue(cold.report().isSuccess(), cold.report().toString());
    JsonNode pod = get("/api/v1/namespaces/shop/pods/runner");
    assertEquals(3, pod.path("spec").path("tolerations").size(), "the stand-in appends tolerations: " + pod);
    assertEquals("builder-registry", pod.path("spec").path("imagePullSecrets").path(0).path("name").asText(),
        "and the service account's pull secret: " + pod);
    assertTrue(pod.path("spec").path("volumes").path(1).path("name").asText().startsWith("kube-api-access-"),
        "and the token volume: " + pod);
    cluster.requests();

    ReconcileResult second = web.reconcile(null);
    assertTrue(second.plan().isEmpty(), second.plan().summary() + "\n" + second.plan().render());
    assertEquals(List.of(), MockKubernetes.writes(cluster.requests()));
  }

  @Test
  void fieldsThatLeftGitArePlannedAsRemovalsLeaveTheClusterAndThenNothingIsWritten() throws Exception {
    write(ServerSideApplyFixtures.REMOVALS_BEFORE);
    Reconciler web = reconciler();
    assertTrue(web.reconcile(null).report().isSuccess());

    write(ServerSideApplyFixtures.REMOVALS_AFTER);
    cluster.requests();
    ReconcileResult removal = web.reconcile(null);
    List<String> writes = MockKubernetes.writes(cluster.requests());
    assertEquals(List.of("PATCH /api/v1/namespaces/shop/configmaps/settings?fieldManager=gitops",
        "PATCH /apis/apps/v1/namespaces/shop/deployments/web?fieldManager=gitops"),
        writes.stream().filter(w -> w.startsWith("PATCH ")).sorted().toList(), writes.toString());
    assertTrue(removal.report().isSuccess(), removal.report().toString());
    assertEquals(new TreeSet<>(List.of("ConfigMap/shop/settings remove /data/B",
            "ConfigMap/shop/settings remove /metadata/labels/tier",
            "apps/Deployment/shop/web remove /spec/template/spec/containers/0/ports/1")),
        changes(removal.plan()), removal.plan().render());
    JsonNode settings = get("/api/v1/namespaces/shop/configmaps/settings");
    assertFalse(settings.path("data").has("B"), settings.toString());
    assertFalse(settings.path("metadata").path("labels").has("tier"), settings.toString());
    JsonNode ports = get("/apis/apps/v1/namespaces/shop/deployments/web")
        .path("spec").path("template").path("spec").path("containers").path(0).path("ports");
    assertEquals(1, ports.size(), ports.toString());
    cluster.requests();

    ReconcileResult third = web.reconcile(null);
    assertTrue(third.plan().isEmpty(), third.plan().render());
    assertEquals(List.of(), MockKubernetes.writes(cluster.requests()));
  }

  @Test
  void podinfoFromItsRepositorySettlesUnderServerSideApply() throws Exception {
    copy(Fixtures.k8s().resolve("podinfo/deploy/webapp"));
    Reconciler web = reconciler();
    ReconcileResult cold = web.reconcile(null);
    assertTrue(cold.report().isSuccess(), cold.report().toString());
    assertEquals(11, cold.plan().changes().size(), cold.plan().summary());
    cluster.requests();

    ReconcileResult second = web.reconcile(null);
    assertTrue(second.plan().isEmpty(), second.plan().summary() + "\n" + second.plan().render());
    assertEquals(List.of(), MockKubernetes.writes(cluster.requests()));
  }

  @Test
  void aCopyOfALiveObjectAppliesAndSettles() throws Exception {
    write("""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: copied
          namespace: shop
          resourceVersion: "48211"
          uid: 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c99
          creationTimestamp: "2025-03-04T10:14:00Z"
          managedFields:
          - {manager: kubectl-client-side-apply, operation: Update, apiVersion: v1, fieldsType: FieldsV1,
             fieldsV1: {f:data: {f:MODE: {}}}}
        data: {MODE: fast}
        """);
    Reconciler web = reconciler();
    ReconcileResult cold = web.reconcile(null);
    assertTrue(cold.report().isSuccess(), cold.report().toString());
    JsonNode live = get("/api/v1/namespaces/shop/configmaps/copied");
    // the server's own uid, not the copy's (the mock numbers uids: one of them may end in 3c99 too)
    assertNotEquals("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c99", live.path("metadata").path("uid").asText(), live.toString());
    cluster.requests();

    ReconcileResult second = web.reconcile(null);
    assertTrue(second.plan().isEmpty(), second.plan().render());
    assertEquals(List.of(), MockKubernetes.writes(cluster.requests()));
  }

  private static TreeSet<String> changes(Plan plan) {
    TreeSet<String> out = new TreeSet<>();
    for (Action a : plan.changes()) {
      assertTrue(a instanceof Action.Update, a.toString());
      for (Change c : ((Action.Update) a).diff().changes()) {
        out.add(a.id() + " " + c.op().name().toLowerCase(Locale.ROOT) + " " + c.path());
      }
    }
    return out;
  }

  private void copy(Path from) throws java.io.IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(from)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        Path to = repo.resolve(from.relativize(p).toString());
        Files.createDirectories(to.getParent());
        Files.copy(p, to);
      }
    }
  }

  private void write(String text) throws Exception {
    Files.writeString(repo.resolve("app.yaml"), text);
  }

  private JsonNode get(String path) throws Exception {
    String body = cluster.client().raw(cluster.client().getMasterUrl().toString().replaceAll("/+$", "") + path);
    assertNotNull(body, path);
    return JSON.readTree(body);
  }
}
