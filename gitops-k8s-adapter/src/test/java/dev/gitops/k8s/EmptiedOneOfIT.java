package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the API server stand-in (which refuses a probe without a handler as
 * {@code validateHandler} does, {@link UnionValidation}): Git drops a readiness probe while
 * {@code kubectl-edit} (an Update) owns its {@code timeoutSeconds}. Server-side apply prunes Git's
 * handler and keeps that field with the defaults beside it (structured-merge-diff
 * {@code merge/update.go} {@code prune}), so the merged probe has no handler and every apply is
 * refused (422, "must specify a handler type"). The plan shows the probe's removal as a conflict with
 * {@code kubectl-edit}; without force the writer sends nothing; with force the probe goes whole and
 * the next plan is empty. Under JSON Patch the patch removes the probe whole, which the server takes.
 */
class EmptiedOneOfIT {
  private static final String APP = """
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
              image: nginx:1.27%s
      """;
  private static final String PROBE = "\n        readinessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 5}";
  private static final String CONTAINER = "/spec/template/spec/containers/0";
  private static final String PROBE_FIELD = ".spec.template.spec.containers[name=\"web\"].readinessProbe";

  @TempDir Path repo;
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud(new ApiServerStandIn());

  @Test
  void aProbeDroppedFromGitWhileKubectlEditKeepsItsTimeoutIsAConflictAndForceRemovesIt() throws Exception {
    editedThenDropped(ApplyStrategy.SERVER_SIDE);

    Plan plan = reconciler(ApplyStrategy.SERVER_SIDE, false).plan(null);
    List<String> changes = changes(plan);
    assertEquals(List.of("REMOVE " + CONTAINER + "/readinessProbe"), changes, plan.render());

    String version = get().at("/metadata/resourceVersion").asText();
    var refused = reconciler(ApplyStrategy.SERVER_SIDE, false).reconcile(null);
    assertFalse(refused.isSuccess(), refused.toString());
    var cause = refused.report().failures().get(0).cause();
    assertTrue(cause instanceof FieldConflictException, String.valueOf(cause));
    assertEquals(List.of(PROBE_FIELD + " (manager kubectl-edit)"), ((FieldConflictException) cause).conflicts());
    assertEquals(version, get().at("/metadata/resourceVersion").asText(), "nothing written");

    var forced = reconciler(ApplyStrategy.SERVER_SIDE, true).reconcile(null);
    assertTrue(forced.isSuccess(), forced.toString());
    assertTrue(get().at(CONTAINER + "/readinessProbe").isMissingNode(), get().at(CONTAINER).toString());
    Plan next = reconciler(ApplyStrategy.SERVER_SIDE, false).plan(null);
    assertTrue(next.isEmpty(), next.render() + "\n" + get());
  }

  @Test
  void underJsonPatchTheDroppedProbeGoesWholeUnderForce() throws Exception {
    editedThenDropped(ApplyStrategy.JSON_PATCH);

    Plan plan = reconciler(ApplyStrategy.JSON_PATCH, false).plan(null);
    assertEquals(List.of("REMOVE " + CONTAINER + "/readinessProbe"), changes(plan), plan.render());
    var refused = reconciler(ApplyStrategy.JSON_PATCH, false).reconcile(null);
    assertFalse(refused.isSuccess(), refused.toString());
    assertEquals(List.of(PROBE_FIELD + " (manager kubectl-edit)"),
        ((FieldConflictException) refused.report().failures().get(0).cause()).conflicts());

    var forced = reconciler(ApplyStrategy.JSON_PATCH, true).reconcile(null);
    assertTrue(forced.isSuccess(), forced.toString());
    assertTrue(get().at(CONTAINER + "/readinessProbe").isMissingNode(), get().at(CONTAINER).toString());
    Plan next = reconciler(ApplyStrategy.JSON_PATCH, false).plan(null);
    assertTrue(next.isEmpty(), next.render() + "\n" + get());
  }

  @Test
  void aProbeWhoseHandlerKubectlEditOwnsStaysValidAndIsNoSuchConflict() throws Exception {
    Files.writeString(repo.resolve("app.yaml"), APP.formatted(PROBE));
    assertTrue(reconciler(ApplyStrategy.SERVER_SIDE, false).reconcile(null).isSuccess());
    patch("[{\"op\":\"replace\",\"path\":\"" + CONTAINER + "/readinessProbe/httpGet/port\",\"value\":8081}]");
    Files.writeString(repo.resolve("app.yaml"), APP.formatted(""));

    var applied = reconciler(ApplyStrategy.SERVER_SIDE, false).reconcile(null);
    assertTrue(applied.isSuccess(), applied.toString());
    assertEquals(8081, get().at(CONTAINER + "/readinessProbe/httpGet/port").asInt(), get().at(CONTAINER).toString());
  }

  /** Git's probe applied, {@code timeoutSeconds} bumped by {@code kubectl-edit}, the probe dropped from Git. */
  private void editedThenDropped(ApplyStrategy strategy) throws Exception {
    Files.writeString(repo.resolve("app.yaml"), APP.formatted(PROBE));
    var first = reconciler(strategy, false).reconcile(null);
    assertTrue(first.isSuccess(), first.toString());
    patch("[{\"op\":\"replace\",\"path\":\"" + CONTAINER + "/readinessProbe/timeoutSeconds\",\"value\":5}]");
    Files.writeString(repo.resolve("app.yaml"), APP.formatted(""));
  }

  private static List<String> changes(Plan plan) {
    List<Action> updates = plan.actions().stream().filter(a -> a instanceof Action.Update).toList();
    assertEquals(1, updates.size(), plan.render());
    return ((Action.Update) updates.get(0)).diff().changes().stream().map(c -> c.op() + " " + c.path()).toList();
  }

  private void patch(String ops) {
    cluster.client().apps().deployments().inNamespace("shop").withName("web")
        .patch(new PatchContext.Builder().withPatchType(PatchType.JSON).withFieldManager("kubectl-edit").build(), ops);
  }

  private Reconciler reconciler(ApplyStrategy strategy, boolean force) {
    KubernetesTarget k8s = KubernetesTarget.of(cluster.client(), KubernetesTarget.Options.defaults()
        .withStrategy(strategy).withForce(force));
    return Reconciler.builder().name("web").source(DirectorySource.of(repo)).loader(new ManifestLoader())
        .target(Fixtures.withControllers(k8s, cluster.client())).planOptions(k8s.planDefaults())
        .applyOptions(ApplyOptions.defaults().withHealthWait(Duration.ofSeconds(30), Duration.ofMillis(1))
            .withSleeper(d -> { })).build();
  }

  private JsonNode get() throws Exception {
    return Json.parse(cluster.client().raw(cluster.client().getMasterUrl()
        + "apis/apps/v1/namespaces/shop/deployments/web"));
  }
}
