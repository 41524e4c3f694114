package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.apply.Applier;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.target.StaleResourceException;
import dev.gitops.testing.k8s.MockKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target switched from {@link ApplyStrategy#JSON_PATCH} to server-side apply: what it wrote by
 * JSON Patch is owned by an {@code Update} entry of the manager {@code gitops}, which the server
 * counts as another manager than the {@code Apply} entry of the same name. The first apply after
 * the switch was a conflict on every value Git changed since (the plan showed none), and what left
 * Git stayed, co-owned by the old entry. As kubectl's {@code csaupgrade.UpgradeManagedFields} does
 * for {@code kubectl apply --server-side} after client-side applies, the writer folds the old entry
 * into the Apply entry before the apply: no conflict, the removal made, the next plan empty.
 * Against the API server stand-in ({@link ApiServerStandIn}), which records a JSON Patch as an
 * Update by the request's field manager.
 */
class JsonPatchToServerSideIT {
  private static final String CONFIG = """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: web, namespace: shop, labels: %s}
      data: %s
      """;

  @TempDir Path repo;
  /** Each object the stand-in is about to store, dry runs too. */
  private final java.util.List<JsonNode> admitted = new java.util.ArrayList<>();
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud(new ApiServerStandIn()
      .admitting(o -> admitted.add(o.deepCopy())));

  @Test
  void theFirstServerSideApplyAfterJsonPatchesConflictsWithNothingAndPrunes() throws Exception {
    Files.writeString(repo.resolve("app.yaml"), CONFIG.formatted("{app: web, tier: front}", "{a: '1', b: '2'}"));
    assertTrue(reconciler(ApplyStrategy.JSON_PATCH).reconcile(null).isSuccess());
    Files.writeString(repo.resolve("app.yaml"), CONFIG.formatted("{app: web, tier: front}", "{a: '1', b: '3'}"));
    assertTrue(reconciler(ApplyStrategy.JSON_PATCH).reconcile(null).isSuccess(), "an update by JSON Patch");
    assertTrue(entry("Update") != null && entry("Apply") == null, get().toString());

    Files.writeString(repo.resolve("app.yaml"), CONFIG.formatted("{app: web}", "{a: '10', b: '3'}"));
    ReconcileResult dry = reconciler(ApplyStrategy.SERVER_SIDE, true).reconcile(null);
    assertTrue(dry.isSuccess(), "a dry run meets the Update entry the upgrade would take over: " + dry);
    assertTrue(entry("Update") != null && "1".equals(get().at("/data/a").asText()), "a dry run writes nothing: " + get());
    Reconciler web = reconciler(ApplyStrategy.SERVER_SIDE);
    ReconcileResult switched = web.reconcile(null);
    assertTrue(switched.isSuccess(), switched.toString());
    assertTrue(switched.plan().render().contains("tier"), "the removal is planned:\n" + switched.plan().render());
    JsonNode live = get();
    assertEquals("10", live.at("/data/a").asText(), live.toString());
    assertFalse(live.path("metadata").path("labels").has("tier"), "what left Git left the cluster: " + live);
    assertEquals(null, entry("Update"), "the Update entry of gitops is taken over: " + live);
    assertTrue(entry("Apply") != null, live.toString());
    assertTrue(web.plan(null).isEmpty(), web.plan(null).render());

    Files.writeString(repo.resolve("app.yaml"), CONFIG.formatted("{app: web}", "{a: '10'}"));
    assertTrue(web.reconcile(null).isSuccess());
    assertFalse(get().path("data").has("b"), "a key written by JSON Patch and left out later is pruned: " + get());
  }

  /**
   * A plan made by one target instance, its step applied by another that never read the object
   * (a {@link dev.gitops.target.Target#apply} called without the {@link Applier}, whose re-read
   * before each wave fills the cache): the apply met the Update entry of {@code gitops} and failed
   * with a conflict on every changed value. Now its conflicts naming that entry make the writer read
   * the object, upgrade it on the planned version and apply again; a dry-run target says so too,
   * writing nothing.
   */
  @Test
  void aStepAppliedByAnotherTargetInstanceTakesOverTheUpdateEntryToo() throws Exception {
    Files.writeString(repo.resolve("app.yaml"), CONFIG.formatted("{app: web, tier: front}", "{a: '1', b: '2'}"));
    assertTrue(reconciler(ApplyStrategy.JSON_PATCH).reconcile(null).isSuccess());
    Files.writeString(repo.resolve("app.yaml"), CONFIG.formatted("{app: web}", "{a: '10', b: '2'}"));
    Plan plan = reconciler(ApplyStrategy.SERVER_SIDE).plan(null);
    assertTrue(plan.render().contains("tier"), plan.render());
    Action step = plan.changes().get(0);

    target(ApplyStrategy.SERVER_SIDE, true).apply(step, "web");
    assertTrue(entry("Update") != null && "1".equals(get().at("/data/a").asText()), "a dry run writes nothing: " + get());
    target(ApplyStrategy.SERVER_SIDE, false).apply(step, "web");

    JsonNode live = get();
    assertEquals("10", live.at("/data/a").asText(), live.toString());
    assertFalse(live.path("metadata").path("labels").has("tier"), "what left Git left the cluster: " + live);
    assertEquals(null, entry("Update"), "the Update entry of gitops is taken over: " + live);
    assertTrue(reconciler(ApplyStrategy.SERVER_SIDE).plan(null).isEmpty());
  }

  /**
   * The same step applied by a forced target instance that never read the object: force takes over
   * the values the Update entry of {@code gitops} owns, so no 409 asked for the upgrade, and what
   * left Git stayed, owned by that entry, until a later run found it in the cache. Now the apply's
   * answer still showing the entry makes the writer upgrade it on the version just written and apply
   * again: one run is enough; a dry run says what that run stores.
   */
  @Test
  void aForcedStepAppliedByAnotherTargetInstanceRemovesWhatLeftGitInOneRun() throws Exception {
    Files.writeString(repo.resolve("app.yaml"), CONFIG.formatted("{app: web, tier: front}", "{a: '1', b: '2'}"));
    assertTrue(reconciler(ApplyStrategy.JSON_PATCH).reconcile(null).isSuccess());
    Files.writeString(repo.resolve("app.yaml"), CONFIG.formatted("{app: web}", "{a: '10', b: '2'}"));
    Action step = reconciler(ApplyStrategy.SERVER_SIDE).plan(null).changes().get(0);

    JsonNode before = get();
    forced(true).apply(step, "web");
    assertEquals(before, get(), "a dry run writes nothing");
    JsonNode dry = admitted.get(admitted.size() - 1);
    assertFalse(dry.path("metadata").path("labels").has("tier"), "the dry run judged what the run stores: " + dry);
    forced(false).apply(step, "web");

    JsonNode live = get();
    assertEquals("10", live.at("/data/a").asText(), live.toString());
    assertFalse(live.path("metadata").path("labels").has("tier"), "what left Git left the cluster in one run: " + live);
    assertEquals(null, entry("Update"), "the Update entry of gitops is taken over: " + live);
    assertTrue(reconciler(ApplyStrategy.SERVER_SIDE).plan(null).isEmpty());

    Files.writeString(repo.resolve("app.yaml"), CONFIG.formatted("{app: web}", "{a: '11', b: '2'}"));
    Action next = reconciler(ApplyStrategy.SERVER_SIDE).plan(null).changes().get(0);
    cluster.requests();
    forced(false).apply(next, "web");
    assertEquals(1, MockKubernetes.writes(cluster.requests()).size(), "no Update entry left: the apply alone");
    assertEquals("11", get().at("/data/a").asText());
  }

  private KubernetesTarget forced(boolean dryRun) {
    return KubernetesTarget.of(cluster.client(), KubernetesTarget.Options.defaults()
        .withStrategy(ApplyStrategy.SERVER_SIDE).withForce(true).withDryRun(dryRun));
  }

  /**
   * An object {@code gitops} wrote by JSON Patch whose ownership labels were then removed by hand,
   * adopted by a server-side target: the hand-over took kubectl's entries but not the Update entry of
   * {@code gitops}, so the adoption's apply failed on a 409 naming it (the retry after such a 409
   * covered updates only), and what left Git was not planned. Now the hand-over upgrades that entry
   * too: one patch, no conflict, the removal planned and made, the next plan empty.
   */
  @Test
  void anAdoptionOfAnObjectGitopsWroteByJsonPatchTakesOverItsUpdateEntry() throws Exception {
    Files.writeString(repo.resolve("app.yaml"), CONFIG.formatted("{app: web, tier: front}", "{a: '1', b: '2'}"));
    assertTrue(reconciler(ApplyStrategy.JSON_PATCH).reconcile(null).isSuccess());
    cluster.client().configMaps().inNamespace("shop").withName("web").patch(new io.fabric8.kubernetes.client.dsl.base
        .PatchContext.Builder().withPatchType(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON)
        .withFieldManager("kubectl-label").build(), "[{\"op\":\"remove\",\"path\":\"/metadata/labels/gitops.dev~1owner\"},"
        + "{\"op\":\"remove\",\"path\":\"/metadata/labels/app.kubernetes.io~1managed-by\"}]");
    assertTrue(entry("Update") != null && LiveObservation.adoptable(get()), get().toString());
    Files.writeString(repo.resolve("app.yaml"), CONFIG.formatted("{app: web}", "{a: '10', b: '2'}"));

    ReconcileResult dry = reconciler(ApplyStrategy.SERVER_SIDE, true).reconcile(null);
    assertTrue(dry.isSuccess(), dry.toString());
    assertTrue(entry("Update") != null && "1".equals(get().at("/data/a").asText()), "a dry run writes nothing: " + get());
    Reconciler web = reconciler(ApplyStrategy.SERVER_SIDE);
    ReconcileResult adopted = web.reconcile(null);
    assertTrue(adopted.isSuccess(), adopted.toString());
    assertEquals(Action.Kind.ADOPT, adopted.plan().changes().get(0).kind(), adopted.plan().render());
    assertTrue(adopted.plan().render().contains("tier"), "the removal is planned:\n" + adopted.plan().render());
    JsonNode live = get();
    assertEquals("10", live.at("/data/a").asText(), live.toString());
    assertFalse(live.path("metadata").path("labels").has("tier"), "what left Git left the cluster: " + live);
    assertEquals(null, entry("Update"), "the Update entry of gitops is taken over: " + live);
    assertTrue(web.plan(null).isEmpty(), web.plan(null).render());
  }

  /** The same step when the object moved since the plan: stale, and the upgrade is not written either. */
  @Test
  void aStepAppliedByAnotherTargetInstanceToAMovedObjectIsStale() throws Exception {
    Files.writeString(repo.resolve("app.yaml"), CONFIG.formatted("{app: web, tier: front}", "{a: '1', b: '2'}"));
    assertTrue(reconciler(ApplyStrategy.JSON_PATCH).reconcile(null).isSuccess());
    Files.writeString(repo.resolve("app.yaml"), CONFIG.formatted("{app: web}", "{a: '10', b: '2'}"));
    Action step = reconciler(ApplyStrategy.SERVER_SIDE).plan(null).changes().get(0);
    cluster.client().configMaps().inNamespace("shop").withName("web").edit(cm -> {
      cm.getData().put("c", "by-hand");
      return cm;
    });

    assertThrows(StaleResourceException.class, () -> target(ApplyStrategy.SERVER_SIDE, false).apply(step, "web"));
    assertTrue(entry("Update") != null && "1".equals(get().at("/data/a").asText()), get().toString());
  }

  private Reconciler reconciler(ApplyStrategy strategy) {
    return reconciler(strategy, false);
  }

  private Reconciler reconciler(ApplyStrategy strategy, boolean dryRun) {
    KubernetesTarget k8s = target(strategy, dryRun);
    return Reconciler.builder().name("web").source(DirectorySource.of(repo)).loader(new ManifestLoader())
        .target(k8s)
        .planOptions(k8s.planDefaults().withAdoption(dev.gitops.plan.PlanOptions.Adoption.ADOPT))
        .applyOptions(ApplyOptions.defaults().withSleeper(d -> { })).prune(true).build();
  }

  private KubernetesTarget target(ApplyStrategy strategy, boolean dryRun) {
    return KubernetesTarget.of(cluster.client(), KubernetesTarget.Options.defaults()
        .withStrategy(strategy).withDryRun(dryRun));
  }

  /** The entry of the manager {@code gitops} with {@code operation}, or null. */
  private JsonNode entry(String operation) throws Exception {
    for (JsonNode e : get().path("metadata").path("managedFields")) {
      if (e.path("manager").asText().equals("gitops") && e.path("operation").asText().equals(operation)) {
        return e;
      }
    }
    return null;
  }

  private JsonNode get() throws Exception {
    return Json.parse(cluster.client().raw(cluster.client().getMasterUrl() + "api/v1/namespaces/shop/configmaps/web"));
  }
}
