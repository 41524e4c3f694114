package dev.gitops.k8s;

import static dev.gitops.k8s.StandInCluster.APP;
import static dev.gitops.k8s.StandInCluster.DEPLOYMENT;
import static dev.gitops.k8s.StandInCluster.changes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.plan.Plan;
import java.nio.file.Path;
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
  private static final String PROBE = "\n        readinessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 5}";
  private static final String CONTAINER = "/spec/template/spec/containers/0";
  private static final String PROBE_FIELD = ".spec.template.spec.containers[name=\"web\"].readinessProbe";

  @AutoClose private final StandInCluster cluster;

  EmptiedOneOfIT(@TempDir Path repo) {
    cluster = new StandInCluster(repo);
  }

  @Test
  void aProbeDroppedFromGitWhileKubectlEditKeepsItsTimeoutIsAConflictAndForceRemovesIt() {
    droppedWhileEdited(ApplyStrategy.SERVER_SIDE);
  }

  @Test
  void underJsonPatchTheDroppedProbeGoesWholeUnderForce() {
    droppedWhileEdited(ApplyStrategy.JSON_PATCH);
  }

  private void droppedWhileEdited(ApplyStrategy strategy) {
    cluster.write(APP.formatted(PROBE));
    cluster.reconciled(strategy);
    cluster.patch("kubectl-edit", "[{\"op\":\"replace\",\"path\":\"" + CONTAINER
        + "/readinessProbe/timeoutSeconds\",\"value\":5}]");
    cluster.write(APP.formatted(""));

    Plan plan = cluster.reconciler(strategy, false).plan(null);
    assertEquals(List.of("REMOVE " + CONTAINER + "/readinessProbe"), changes(plan), plan.render());
    cluster.refusedWithoutForce(strategy, DEPLOYMENT, List.of(PROBE_FIELD + " (manager kubectl-edit)"));

    var forced = cluster.reconciler(strategy, true).reconcile(null);
    assertTrue(forced.isSuccess(), forced.toString());
    assertTrue(get().at(CONTAINER + "/readinessProbe").isMissingNode(), get().at(CONTAINER).toString());
    Plan next = cluster.reconciler(strategy, false).plan(null);
    assertTrue(next.isEmpty(), next.render() + "\n" + get());
  }

  @Test
  void aProbeWhoseHandlerKubectlEditOwnsStaysValidAndIsNoSuchConflict() {
    cluster.write(APP.formatted(PROBE));
    cluster.reconciled(ApplyStrategy.SERVER_SIDE);
    cluster.patch("kubectl-edit", "[{\"op\":\"replace\",\"path\":\"" + CONTAINER
        + "/readinessProbe/httpGet/port\",\"value\":8081}]");
    cluster.write(APP.formatted(""));

    cluster.reconciled(ApplyStrategy.SERVER_SIDE);
    assertEquals(8081, get().at(CONTAINER + "/readinessProbe/httpGet/port").asInt(), get().at(CONTAINER).toString());
  }

  private JsonNode get() {
    return cluster.get(DEPLOYMENT);
  }
}
