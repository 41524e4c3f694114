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
 * Under {@link ApplyStrategy#JSON_PATCH}, against the API server stand-in (which records
 * {@code managedFields} for JSON Patch writes, operation Update, as a server does): Git drops the
 * pod template annotation {@code gitops} applied, beside the {@code restartedAt} that
 * {@code kubectl rollout restart} wrote; the patch removes the one key the plan shows and keeps
 * {@code restartedAt} (it used to remove the whole map), and the next plan is empty.
 */
class JsonPatchLeftOutIT {
  private static final String APP = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n"
      + "spec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}%s},"
      + " spec: {containers: [{name: web, image: nginx:1.27}]}}}\n";
  private static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

  @AutoClose private final StandInCluster cluster;

  JsonPatchLeftOutIT(@TempDir Path repo) {
    cluster = new StandInCluster(repo);
  }

  @Test
  void aPodTemplateAnnotationLeftOutGoesAndTheRestartStays() throws Exception {
    Reconciler web = cluster.reconciler(ApplyStrategy.JSON_PATCH, false);
    cluster.write(APP.formatted(", annotations: {checksum/config: 5f1c0a9e}"));
    assertTrue(web.reconcile(null).isSuccess());
    cluster.patch("kubectl-rollout", // kubectl rollout restart
        "[{\"op\":\"add\",\"path\":\"/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt\","
            + "\"value\":\"2025-03-06T16:42:10Z\"}]");

    cluster.write(APP.formatted(""));
    var result = web.reconcile(null);
    assertTrue(result.isSuccess(), result.toString());

    JsonNode annotations = get().at("/spec/template/metadata/annotations");
    assertEquals("2025-03-06T16:42:10Z", annotations.path(RESTARTED_AT).asText(), annotations.toString());
    assertTrue(annotations.path("checksum/config").isMissingNode(), annotations.toString());
    assertTrue(web.plan(null).isEmpty(), "the next plan is empty");
  }

  private JsonNode get() throws Exception {
    return cluster.get(StandInCluster.DEPLOYMENT);
  }
}
