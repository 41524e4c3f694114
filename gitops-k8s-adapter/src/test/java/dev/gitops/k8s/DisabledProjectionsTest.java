package dev.gitops.k8s;

import static dev.gitops.k8s.SchemaDiffs.changes;
import static dev.gitops.k8s.SchemaDiffs.diff;
import static dev.gitops.k8s.SchemaDiffs.hidden;
import static dev.gitops.k8s.SchemaDiffs.show;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gitops.diff.ResourceDiff;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A projected source whose one projection a disabled gate guards, stored as {@code {}}
 * ({@link DisabledProjections}; corpus pairs 468 and 469): in a CronJob's template too; and the
 * negative controls, where the live source at that position is another one or Git's source holds
 * more than the gated projection: changes, as before.
 */
class DisabledProjectionsTest {
  private static final String CRON_JOB = """
      apiVersion: batch/v1
      kind: CronJob
      metadata: {name: rotate, namespace: shop}
      spec:
        schedule: "0 * * * *"
        jobTemplate:
          spec:
            template:
              spec:
                restartPolicy: Never
                containers: [{name: rotate, image: "rotate:1.0"}]
                volumes:
                - name: trust
                  projected:
                    sources: [%s, {configMap: {name: rotate}}]
      """;
  private static final String BUNDLE = "{clusterTrustBundle: {signerName: example.com/internal, path: ca.pem}}";

  private static ResourceDiff cronJob(String git, String live) {
    return diff(CRON_JOB.formatted(git), CRON_JOB.formatted(live));
  }

  @Test
  void aGatedProjectionStoredAsAnEmptySourceIsDroppedInATemplateToo() {
    ResourceDiff d = cronJob(BUNDLE, "{}");
    assertEquals(List.of(), changes(d), show(d));
    assertEquals(Map.of(SchemaField.DROPPED, 1), hidden(d), show(d));
    ResourceDiff certificate = cronJob("{podCertificate: {signerName: example.com/w, keyType: ED25519}}", "{}");
    assertEquals(List.of(), changes(certificate), show(certificate));
  }

  @Test
  void anotherSourceThereOrMoreThanTheGatedProjectionStayChanges() {
    ResourceDiff other = cronJob(BUNDLE, "{secret: {name: ca}}");
    assertEquals(List.of("add /spec/jobTemplate/spec/template/spec/volumes/0/projected/sources/0/clusterTrustBundle"),
        changes(other), show(other));
    ResourceDiff more = cronJob("{clusterTrustBundle: {signerName: example.com/internal, path: ca.pem},"
        + " secret: {name: ca}}", "{}");
    assertEquals(2, changes(more).size(), show(more));
  }

  /**
   * Only the API server's own kinds with a pod spec drop a disabled projection ({@code dropDisabledFields}
   * runs in the Pod strategy and the workloads' template strategies): a custom resource's template, an
   * Argo Rollout's, stores what it is given, so Git's projection where the live source is empty is a change.
   */
  @Test
  void aCustomResourcesTemplateKeepsWhatItIsGivenSoAnEmptySourceThereIsAChange() {
    String rollout = """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: web, namespace: shop}
        spec:
          template:
            spec:
              containers: [{name: web, image: "web:1.0"}]
              volumes:
              - name: trust
                projected:
                  sources: [%s]
        """;
    ResourceDiff d = diff(rollout.formatted(BUNDLE), rollout.formatted("{}"));
    assertEquals(List.of("add /spec/template/spec/volumes/0/projected/sources/0/clusterTrustBundle"), changes(d), show(d));
  }
}
