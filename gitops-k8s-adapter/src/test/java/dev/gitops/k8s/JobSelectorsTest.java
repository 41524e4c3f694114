package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gitops.source.LoaderContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link JobSelectors} through {@link ManifestLoader}: a Job's or a CronJob's job template's
 * selector the API server refuses is a problem at its line; what it takes loads.
 */
class JobSelectorsTest {
  private static final String POD = """
        template:
          metadata: {labels: {app: migrate}}
          spec:
            restartPolicy: Never
            containers: [{name: migrate, image: ghcr.io/example/migrate:5.2.0}]
      """;

  @Test
  void selectorsTheServerRefusesAreProblemsAtTheirLine() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: batch/v1
        kind: Job
        metadata: {name: migrate, namespace: shop}
        spec:
          selector:
            matchLabels: {app: migrate}
        """ + POD + """
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: seed, namespace: shop}
        spec:
          manualSelector: true
        """ + POD + """
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: backfill, namespace: shop}
        spec:
          manualSelector: true
          selector:
            matchLabels: {app: backfill}
        """ + POD + """
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: report, namespace: shop}
        spec:
          schedule: "0 3 * * *"
          jobTemplate:
            spec:
              manualSelector: true
              selector:
                matchLabels: {app: migrate}
        """ + POD.indent(4));
    assertEquals(List.of(
        "app.yaml:6: batch/Job/shop/migrate: spec.selector: `selector` not auto-generated: without"
            + " manualSelector: true the server adds the Job's controller-uid to the selector and takes it only"
            + " when it selects nothing but the labels it generates (controller-uid, job-name); leave the"
            + " selector out, or set manualSelector: true: the API server refuses the object",
        "app.yaml:17: batch/Job/shop/seed: spec.selector: Required value: manualSelector: true asks for a selector"
            + " of your own: the API server refuses the object",
        "app.yaml:30: batch/Job/shop/backfill: spec.selector does not select the labels of"
            + " spec.template.metadata.labels: the API server refuses the object",
        "app.yaml:44: batch/CronJob/shop/report: spec.jobTemplate.spec.manualSelector: Unsupported value: true"
            + " (nil or false): the API server refuses the object",
        "app.yaml:46: batch/CronJob/shop/report: spec.jobTemplate.spec.selector: `selector` will be auto-generated:"
            + " a job template takes none: the API server refuses the object"), found);
  }

  @Test
  void selectorsTheServerTakesLoad() {
    new ManifestLoader().load(LoaderContract.snapshot("app.yaml", """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: migrate, namespace: shop}
        spec:
          manualSelector: true
          selector:
            matchLabels: {app: migrate}
        """ + POD + """
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: copied, namespace: shop}
        spec:
          selector:
            matchLabels:
              batch.kubernetes.io/controller-uid: 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c52
              job-name: copied
            matchExpressions:
            - {key: app, operator: DoesNotExist}
        """ + POD + """
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: plain, namespace: shop}
        spec:
          manualSelector: false
          selector: {}
        """ + POD + """
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: report, namespace: shop}
        spec:
          schedule: "0 3 * * *"
          jobTemplate:
            spec:
              manualSelector: false
        """ + POD.indent(4)));
  }
}
