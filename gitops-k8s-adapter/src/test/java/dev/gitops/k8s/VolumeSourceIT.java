package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the API server stand-in (which defaults a volume without a source to {@code emptyDir: {}},
 * as {@code SetDefaults_Volume} does, and refuses a volume of two sources, as
 * {@code validateVolumeSource} does: "may not specify more than 1 volume type"): Git drops a
 * volume's source, so the server stores the {@code emptyDir} nobody owns, and later gives the
 * volume another source. Server-side apply keeps a field nobody applied (structured-merge-diff
 * {@code merge/update.go} prunes only what the applier owned), so an apply of the new source alone
 * leaves two and is refused on every run; the writer removes the unowned {@code emptyDir}, forced
 * or not (no manager to take it from), and the plan shows that removal.
 */
class VolumeSourceIT {
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
            - {name: web, image: "nginx:1.27", volumeMounts: [{name: conf, mountPath: /etc/web}]}
            volumes:
            - {name: conf%s}
      """;
  private static final String VOLUME = "/spec/template/spec/volumes/0";

  @AutoClose private final StandInCluster cluster;

  VolumeSourceIT(@TempDir Path repo) {
    cluster = new StandInCluster(repo);
  }

  @Test
  void aVolumeGivenASecretAfterTheDefaultedEmptyDirIsWrittenWithoutForceUnderServerSideApply() {
    givenASecretAfterTheEmptyDir(ApplyStrategy.SERVER_SIDE);
  }

  @Test
  void aVolumeGivenASecretAfterTheDefaultedEmptyDirIsWrittenUnderJsonPatch() {
    givenASecretAfterTheEmptyDir(ApplyStrategy.JSON_PATCH);
  }

  private void givenASecretAfterTheEmptyDir(ApplyStrategy strategy) {
    cluster.write(APP.formatted(", configMap: {name: web-conf}"));
    cluster.reconciled(strategy);
    cluster.write(APP.formatted(""));
    cluster.reconciled(strategy);
    assertEquals("{}", get().at(VOLUME + "/emptyDir").toString(), get().at(VOLUME).toString());
    assertTrue(cluster.reconciler(strategy, false).plan(null).isEmpty(), "the emptyDir is no change");

    cluster.write(APP.formatted(", secret: {secretName: web-conf}"));
    assertEquals(List.of("ADD " + VOLUME + "/secret", "REMOVE " + VOLUME + "/emptyDir"),
        StandInCluster.changes(cluster.reconciler(strategy, false).plan(null)).stream().sorted().toList());
    var result = cluster.reconciler(strategy, false).reconcile(null);
    assertTrue(result.isSuccess(), result.toString());
    JsonNode volume = get().at(VOLUME);
    assertEquals("web-conf", volume.at("/secret/secretName").asText(), volume.toString());
    assertFalse(volume.has("emptyDir"), volume.toString());
    assertTrue(cluster.reconciler(strategy, false).plan(null).isEmpty(), "the next plan is empty");
  }

  private JsonNode get() {
    return cluster.get(StandInCluster.DEPLOYMENT);
  }
}
