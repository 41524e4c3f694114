package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.Suppressed;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.testing.k8s.MockKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content a mutating webhook adds inside an atomic value {@code gitops} owns by server-side apply
 * (a toleration, a nodeSelector key) during every apply is no drift: one server-side dry run of the
 * apply shows the server puts it back, and no write follows, on this reconcile or the next; where
 * Git dropped a key and no webhook puts it back, the dry run's answer differs and the removal is
 * applied once. Under {@link ApplyStrategy#JSON_PATCH} alike, the dry run being the update's own JSON
 * Patch (it used to patch a webhook's toleration or pull policy on every reconcile). The fabric8 mock
 * runs no webhooks and does not honour {@code dryRun}: the {@link ApiServerStandIn} answers
 * server-side apply and JSON Patch, dry runs included, and its {@link ApiServerStandIn#admitting}
 * plays the webhook on every write, dry runs too.
 */
class AdmissionKeptIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEPLOYMENT = "/apis/apps/v1/namespaces/shop/deployments/web";
  @TempDir Path repo;
  private StandInCluster cluster;
  private ClusterCache cache;

  @AfterEach
  void close() {
    if (cache != null) {
      cache.close();
    }
    cluster.close();
  }

  /** A webhook appending a spot toleration to a Deployment's pod template unless it has one. */
  private static final Consumer<ObjectNode> SPOT_TOLERATION = object -> {
    if (object.path("kind").asText().equals("Deployment")) {
      ObjectNode pod = (ObjectNode) object.with("spec").with("template").with("spec");
      ArrayNode tolerations = pod.withArray("tolerations");
      boolean has = false;
      for (JsonNode t : tolerations) {
        has |= t.path("key").asText().equals("spot");
      }
      if (!has) {
        tolerations.addObject().put("key", "spot").put("operator", "Exists").put("effect", "NoSchedule");
      }
    }
  };

  /** A webhook setting a project's node selector key on a Deployment's pod template, as OpenShift's plugin does. */
  private static final Consumer<ObjectNode> PROJECT_NODE_SELECTOR = object -> {
    if (object.path("kind").asText().equals("Deployment")) {
      object.with("spec").with("template").with("spec").with("nodeSelector").put("region", "primary");
    }
  };

  /**
   * A webhook setting every container of a Deployment's pod template to pull always, as Kyverno's
   * {@code always-pull-images} policy does (its rules generated for pod controllers).
   */
  private static final Consumer<ObjectNode> ALWAYS_PULL = object -> {
    if (object.path("kind").asText().equals("Deployment")) {
      for (JsonNode c : object.at("/spec/template/spec/containers")) {
        ((ObjectNode) c).put("imagePullPolicy", "Always");
      }
    }
  };

  /** A Deployment {@code web} in {@code shop} with {@code podSpec} in its pod template's spec. */
  private static String deployment(String podSpec) {
    return AtomicRemovalsTest.deployment(podSpec);
  }

  private Reconciler start(ApiServerStandIn server, ApplyStrategy strategy, boolean cached) {
    cluster = new StandInCluster(repo, server);
    KubernetesTarget.Options options = KubernetesTarget.Options.defaults().withStrategy(strategy);
    if (cached) {
      cache = ClusterCache.of(cluster.client());
    }
    KubernetesTarget target = cached ? KubernetesTarget.of(cache, options) : KubernetesTarget.of(cluster.client(), options);
    return cluster.builder(target).prune(true).build(); // plans with target.planDefaults(), as the wrapper forwards them
  }

  @Test
  void aTolerationAWebhookAddsIsKeptWithoutAWriteAndTheNextReconcileSendsNoDryRun() throws Exception {
    write(deployment("tolerations: [{key: gpu, operator: Exists}]"));
    Reconciler web = start(new ApiServerStandIn().admitting(SPOT_TOLERATION), ApplyStrategy.SERVER_SIDE, false);
    ok(web.reconcile(null));
    assertEquals(2, live().at("/spec/template/spec/tolerations").size(), "the webhook added its toleration");
    cluster.requests();

    ReconcileResult second = ok(web.reconcile(null));
    assertTrue(second.plan().isEmpty(), second.plan().render());
    assertEquals(List.of("1 hidden by kept by admission"), hidden(second.plan()));
    assertEquals(1, dryRuns(cluster.requests()), "one dry run of the apply, and no write");

    ReconcileResult third = ok(web.reconcile(null));
    assertTrue(third.plan().isEmpty(), third.plan().render());
    assertEquals(0, dryRuns(cluster.requests()), "the verdict is kept for the object's version");
  }

  @Test
  void aNodeSelectorKeyAWebhookAddsIsKeptAndACachedNoOpSendsNothing() throws Exception {
    write(deployment("nodeSelector: {disktype: ssd}"));
    Reconciler web = start(new ApiServerStandIn().admitting(PROJECT_NODE_SELECTOR), ApplyStrategy.SERVER_SIDE, true);
    ok(web.reconcile(null));
    assertEquals("primary", live().at("/spec/template/spec/nodeSelector/region").asText());
    Fixtures.await(() -> { // the cache may plan against the version before the controller's status: a 409, once
      Plan plan = web.reconcile(null).plan();
      return plan.isEmpty() && hidden(plan).equals(List.of("1 hidden by kept by admission"));
    }, "a plan that reads the object and keeps the webhook's key");
    awaitWatchesOpen();

    ReconcileResult noop = ok(web.reconcile(null));
    assertTrue(noop.plan().isEmpty(), noop.plan().render());
    assertEquals(List.of(), cluster.requests(), "a cached no-op sends no request, no dry run");
  }

  @Test
  void aNodeSelectorKeyOrTolerationGitDropsIsRemovedOnceThenInSync() throws Exception {
    write(deployment("nodeSelector: {disktype: ssd, zone: eu-a}\ntolerations: [{key: gpu, operator: Exists}, "
        + "{key: spot, operator: Exists}]"));
    Reconciler web = start(new ApiServerStandIn(), ApplyStrategy.SERVER_SIDE, false);
    ok(web.reconcile(null));
    write(deployment("nodeSelector: {disktype: ssd}\ntolerations: [{key: gpu, operator: Exists}]"));
    cluster.requests();

    ReconcileResult removal = ok(web.reconcile(null));
    assertEquals(List.of("remove /spec/template/spec/nodeSelector/zone", "remove /spec/template/spec/tolerations/1"),
        changes(removal.plan()), removal.plan().render());
    List<String> requests = cluster.requests();
    assertEquals(1, dryRuns(requests), "the dry run's answer lacks them: " + requests);
    assertEquals(1, requests.stream().filter(r -> r.startsWith("PATCH ") && !r.contains("dryRun")).count(), requests.toString());
    assertEquals(JSON.readTree("{\"disktype\":\"ssd\"}"), live().at("/spec/template/spec/nodeSelector"));
    assertEquals(1, live().at("/spec/template/spec/tolerations").size());

    ReconcileResult after = ok(web.reconcile(null));
    assertTrue(after.plan().isEmpty(), after.plan().render());
    assertEquals(List.of(), MockKubernetes.writes(cluster.requests()), "in sync: no dry run, no write");
  }

  @Test
  void aPullPolicyAWebhookOverridesIsKeptWithoutAWriteAndAGitChangeBesideItIsApplied() throws Exception {
    write(deployment("").replace("image: w:1}", "image: w:1, imagePullPolicy: IfNotPresent}"));
    Reconciler web = start(new ApiServerStandIn().admitting(ALWAYS_PULL), ApplyStrategy.SERVER_SIDE, false);
    ok(web.reconcile(null));
    assertEquals("Always", live().at("/spec/template/spec/containers/0/imagePullPolicy").asText());
    cluster.requests();

    ReconcileResult second = ok(web.reconcile(null));
    assertTrue(second.plan().isEmpty(), second.plan().render());
    assertEquals(List.of("1 hidden by kept by admission"), hidden(second.plan()));
    List<String> requests = cluster.requests();
    assertEquals(1, dryRuns(requests), "one dry run of the apply: " + requests);
    assertEquals(0, applies(requests), "and no write: " + requests);
    assertTrue(ok(web.reconcile(null)).plan().isEmpty());
    assertEquals(0, dryRuns(cluster.requests()), "the verdict is kept for the object's version");

    write(deployment("").replace("image: w:1}", "image: w:2, imagePullPolicy: IfNotPresent}"));
    ReconcileResult bump = ok(web.reconcile(null));
    assertEquals(List.of("replace /spec/template/spec/containers/0/image"), changes(bump.plan()), bump.plan().render());
    requests = cluster.requests();
    assertEquals(1, applies(requests), requests.toString());
    assertEquals("w:2", live().at("/spec/template/spec/containers/0/image").asText());
    assertTrue(ok(web.reconcile(null)).plan().isEmpty(), "in sync after the image change");
  }

  @Test
  void aPullPolicyGitChangesWithoutAWebhookIsAppliedWithoutADryRun() throws Exception {
    write(deployment("").replace("image: w:1}", "image: w:1, imagePullPolicy: IfNotPresent}"));
    Reconciler web = start(new ApiServerStandIn(), ApplyStrategy.SERVER_SIDE, false);
    ok(web.reconcile(null));
    write(deployment("").replace("image: w:1}", "image: w:1, imagePullPolicy: Always}"));
    cluster.requests();

    ReconcileResult change = ok(web.reconcile(null));
    assertEquals(List.of("replace /spec/template/spec/containers/0/imagePullPolicy"), changes(change.plan()));
    List<String> requests = cluster.requests();
    assertEquals(0, dryRuns(requests), "an ordinary change of Git asks for no dry run: " + requests);
    assertEquals(1, applies(requests), requests.toString());
    assertTrue(ok(web.reconcile(null)).plan().isEmpty());
  }

  @Test
  void aRefusedDryRunLeavesTheRemovalPlannedAndIsAskedOncePerVersion() throws Exception {
    write(deployment("tolerations: [{key: gpu, operator: Exists}]"));
    Reconciler web = start(new ApiServerStandIn().admitting(SPOT_TOLERATION).refusingDryRuns(),
        ApplyStrategy.SERVER_SIDE, false);
    ok(web.reconcile(null));
    cluster.requests();

    ReconcileResult refused = ok(web.reconcile(null));
    assertEquals(List.of("remove /spec/template/spec/tolerations/1"), changes(refused.plan()), refused.plan().render());
    assertEquals(1, dryRuns(cluster.requests()));
    ReconcileResult again = ok(web.reconcile(null));
    assertEquals(List.of("remove /spec/template/spec/tolerations/1"), changes(again.plan()), again.plan().render());
    assertEquals(0, dryRuns(cluster.requests()), "the webhook put it back: same version, no second dry run");
  }

  @Test
  void underJsonPatchANodeSelectorKeyAWebhookAddsWasNeverApplied() throws Exception {
    write(deployment("nodeSelector: {disktype: ssd}"));
    Reconciler web = start(new ApiServerStandIn().admitting(PROJECT_NODE_SELECTOR), ApplyStrategy.JSON_PATCH, false);
    ok(web.reconcile(null));
    assertEquals("primary", live().at("/spec/template/spec/nodeSelector/region").asText());
    cluster.requests();

    ReconcileResult second = ok(web.reconcile(null));
    assertTrue(second.plan().isEmpty(), second.plan().render());
    assertEquals(List.of(), MockKubernetes.writes(cluster.requests()), "no dry run, no write");
  }

  @Test
  void underJsonPatchATolerationAWebhookAddsIsKeptByADryRunOfThePatchAndNoWriteFollows() throws Exception {
    write(deployment("tolerations: [{key: gpu, operator: Exists}]"));
    ApiServerStandIn server = new ApiServerStandIn().admitting(SPOT_TOLERATION);
    Reconciler web = start(server, ApplyStrategy.JSON_PATCH, false);
    ok(web.reconcile(null));
    assertEquals(2, live().at("/spec/template/spec/tolerations").size(), "the webhook added its toleration");
    cluster.requests();

    ReconcileResult second = ok(web.reconcile(null)); // it used to patch the toleration away on every run
    assertTrue(second.plan().isEmpty(), second.plan().render());
    assertEquals(List.of("1 hidden by kept by admission"), hidden(second.plan()));
    List<String> requests = cluster.requests();
    assertEquals(1, dryRuns(requests), "one dry run of the patch: " + requests);
    assertEquals(0, applies(requests), "and no write: " + requests);
    assertEquals(List.of("application/json-patch+json"), server.dryRunPatchTypes(), "the writer's JSON patch");
    assertFalse(requests.contains("GET " + DEPLOYMENT), "patched from the object as read: " + requests);

    ReconcileResult third = ok(web.reconcile(null));
    assertTrue(third.plan().isEmpty(), third.plan().render());
    assertEquals(List.of(), MockKubernetes.writes(cluster.requests()), "the verdict is kept: no dry run, no write");
  }

  @Test
  void underJsonPatchAPullPolicyAWebhookOverridesIsKeptAndAGitChangeBesideItIsWritten() throws Exception {
    write(deployment("").replace("image: w:1}", "image: w:1, imagePullPolicy: IfNotPresent}"));
    Reconciler web = start(new ApiServerStandIn().admitting(ALWAYS_PULL), ApplyStrategy.JSON_PATCH, false);
    ok(web.reconcile(null));
    assertEquals("Always", live().at("/spec/template/spec/containers/0/imagePullPolicy").asText());
    cluster.requests();

    ReconcileResult second = ok(web.reconcile(null));
    assertTrue(second.plan().isEmpty(), second.plan().render());
    assertEquals(List.of("1 hidden by kept by admission"), hidden(second.plan()));
    List<String> requests = cluster.requests();
    assertEquals(1, dryRuns(requests), "one dry run of the patch: " + requests);
    assertEquals(0, applies(requests), "and no write: " + requests);
    assertTrue(ok(web.reconcile(null)).plan().isEmpty());
    assertEquals(List.of(), MockKubernetes.writes(cluster.requests()), "the verdict is kept for the object's version");

    write(deployment("").replace("image: w:1}", "image: w:2, imagePullPolicy: IfNotPresent}"));
    ReconcileResult bump = ok(web.reconcile(null));
    assertEquals(List.of("replace /spec/template/spec/containers/0/image"), changes(bump.plan()), bump.plan().render());
    assertEquals(1, applies(cluster.requests()));
    assertEquals("w:2", live().at("/spec/template/spec/containers/0/image").asText());
  }

  @Test
  void underJsonPatchAGitChangeWithoutAWebhookSendsNoDryRunAndIsWritten() throws Exception {
    write(deployment("tolerations: [{key: gpu, operator: Exists}]")
        .replace("image: w:1}", "image: w:1, imagePullPolicy: IfNotPresent}"));
    Reconciler web = start(new ApiServerStandIn(), ApplyStrategy.JSON_PATCH, false);
    ok(web.reconcile(null));
    write(deployment("tolerations: [{key: gpu, operator: Exists}]")
        .replace("image: w:1}", "image: w:1, imagePullPolicy: Always}"));
    cluster.requests();

    ReconcileResult change = ok(web.reconcile(null));
    assertEquals(List.of("replace /spec/template/spec/containers/0/imagePullPolicy"), changes(change.plan()));
    List<String> requests = cluster.requests();
    assertEquals(0, dryRuns(requests), "an ordinary change of Git asks for no dry run: " + requests);
    assertEquals(1, applies(requests), requests.toString());
    assertEquals("Always", live().at("/spec/template/spec/containers/0/imagePullPolicy").asText());
    assertTrue(ok(web.reconcile(null)).plan().isEmpty());
    assertEquals(List.of(), MockKubernetes.writes(cluster.requests()), "in sync: no dry run, no write");
  }

  @Test
  void underJsonPatchARefusedDryRunLeavesTheRemovalPlannedAndIsAskedOncePerVersion() throws Exception {
    write(deployment("tolerations: [{key: gpu, operator: Exists}]"));
    Reconciler web = start(new ApiServerStandIn().admitting(SPOT_TOLERATION).refusingDryRuns(),
        ApplyStrategy.JSON_PATCH, false);
    ok(web.reconcile(null));
    cluster.requests();

    ReconcileResult refused = ok(web.reconcile(null));
    assertEquals(List.of("remove /spec/template/spec/tolerations/1"), changes(refused.plan()), refused.plan().render());
    assertEquals(1, dryRuns(cluster.requests()));
    ok(web.reconcile(null));
    assertEquals(0, dryRuns(cluster.requests()), "the webhook put it back: same version, no second dry run");
  }

  /**
   * A refused dry run is logged at WARN with the server's message, and a webhook's denial may quote
   * what it was sent: a Secret's value, plain or as its {@code data} holds it (base64). It used to be
   * logged as the server wrote it; masked now as the plan masks it ({@code Plan.masker()}).
   */
  @Test
  void aRefusedDryRunOfASecretIsLoggedWithItsValuesMasked() throws Exception {
    String plain = "hunter2-db-pass";
    String base64 = java.util.Base64.getEncoder().encodeToString(plain.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    write("""
        apiVersion: v1
        kind: Secret
        metadata: {name: db, namespace: shop}
        data: {password: %s}
        """.formatted(base64));
    Consumer<ObjectNode> rotate = object -> { // a vault injector's webhook, rewriting the value on every write
      if (object.path("kind").asText().equals("Secret")) {
        object.with("data").put("password", "cm90YXRlZA==");
      }
    };
    Reconciler web = start(new ApiServerStandIn().admitting(rotate).refusingDryRuns("admission webhook"
        + " \"vault.example.com\" denied the request: data.password " + base64 + " (" + plain + ") is not"
        + " from the vault\u202e"), ApplyStrategy.SERVER_SIDE, false);
    ok(web.reconcile(null));
    cluster.requests();

    String logged = DropsCluster.logged(() -> ok(web.reconcile(null)));
    assertEquals(1, dryRuns(cluster.requests()), "the rewritten value is judged by a dry run");
    assertTrue(logged.contains("denied the request: data.password *** (***) is not from the vault\\u202e; the change"
        + " stays planned"), logged);
    assertFalse(logged.contains(plain) || logged.contains(base64) || logged.contains("\u202e"), logged);
  }

  private static ReconcileResult ok(ReconcileResult result) {
    return Fixtures.ok(result);
  }

  private static long dryRuns(List<String> requests) {
    return requests.stream().filter(r -> r.startsWith("PATCH ") && r.contains("dryRun=All")).count();
  }

  private static long applies(List<String> requests) {
    return requests.stream().filter(r -> r.startsWith("PATCH ") && !r.contains("dryRun")).count();
  }

  private static List<String> changes(Plan plan) {
    return DropsCluster.changes(plan);
  }

  private static List<String> hidden(Plan plan) {
    List<String> out = new ArrayList<>();
    for (Action a : plan.actions()) {
      if (a instanceof Action.NoOp n) {
        n.diff().suppressed().stream().map(Suppressed::toString).filter(s -> s.contains("admission")).forEach(out::add);
      }
    }
    return out;
  }

  private void write(String yaml) throws Exception {
    Files.writeString(repo.resolve("app.yaml"), yaml);
  }

  private JsonNode live() throws Exception {
    return JSON.readTree(cluster.client().raw(cluster.client().getMasterUrl().toString().replaceAll("/+$", "") + DEPLOYMENT));
  }

  /**
   * Waits until every informer that listed a kind has asked for its watch too (an informer asks
   * after its LIST has answered, on its own thread, so under load the WATCH can arrive later than
   * the first cached read: it is the cache's request, not the reconcile's), and drains the log.
   */
  private void awaitWatchesOpen() {
    List<String> seen = new ArrayList<>();
    Fixtures.await(() -> {
      seen.addAll(cluster.requests());
      return seen.stream().filter(r -> r.startsWith("GET ") && r.contains("?") && !r.contains("watch=true"))
          .map(r -> r.substring(0, r.indexOf('?')))
          .allMatch(list -> seen.stream().anyMatch(r -> r.startsWith(list + "?") && r.contains("watch=true")));
    }, "every informer's watch asked for");
  }
}
