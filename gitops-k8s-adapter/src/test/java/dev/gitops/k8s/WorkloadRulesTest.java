package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gitops.model.DesiredState;
import dev.gitops.source.LoaderContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link WorkloadRules} through {@link ManifestLoader}: counts, schedules, Ingress paths and pod
 * settings the API server refuses (422 at the write of their wave; the mock takes them) are
 * problems at their own line, and their neighbours the server takes load.
 */
class WorkloadRulesTest {
  private static final String REFUSED = ": the API server refuses the object";

  @Test
  void negativeCountsAndALivenessProbeThatSucceedsTwiceAreProblemsAtTheirLine() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          replicas: -1
          revisionHistoryLimit: -2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web
                image: nginx
                livenessProbe:
                  httpGet: {path: /healthz, port: 8080}
                  successThreshold: 3
                  periodSeconds: -10
                readinessProbe:
                  httpGet: {path: /ready, port: 8080}
                  successThreshold: 3
                startupProbe:
                  tcpSocket: {port: 8080}
                  successThreshold: 0
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: report, namespace: shop}
        spec:
          schedule: "0 2 * * *"
          startingDeadlineSeconds: -5
          successfulJobsHistoryLimit: 0
          jobTemplate:
            spec:
              backoffLimit: -1
              ttlSecondsAfterFinished: 0
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: report, image: busybox}]
        """);
    assertEquals(List.of(
        "app.yaml:5: apps/Deployment/shop/web: spec.replicas: -1 is negative" + REFUSED,
        "app.yaml:6: apps/Deployment/shop/web: spec.revisionHistoryLimit: -2 is negative" + REFUSED,
        "app.yaml:16: apps/Deployment/shop/web: spec.template.spec.containers[0].livenessProbe.successThreshold: 3"
            + " where a liveness probe takes 1" + REFUSED,
        "app.yaml:17: apps/Deployment/shop/web: spec.template.spec.containers[0].livenessProbe.periodSeconds: -10 is"
            + " negative" + REFUSED,
        "app.yaml:30: batch/CronJob/shop/report: spec.startingDeadlineSeconds: -5 is negative" + REFUSED,
        "app.yaml:34: batch/CronJob/shop/report: spec.jobTemplate.spec.backoffLimit: -1 is negative" + REFUSED),
        found);
  }

  @Test
  void schedulesThatAreNeitherFiveFieldsNorADescriptorAreProblemsAtTheirLine() {
    List<String> found = Fixtures.loadProblems(cronJob("four", "\"0 2 * *\"") + "---\n"
        + cronJob("six", "\"0 */5 * * * *\"") + "---\n"
        + cronJob("weekdays", "\"@weekdays\"") + "---\n"
        + cronJob("paris", "\"CRON_TZ=Europe/Paris 0 3 * * *\"\n  timeZone: Europe/Paris"));
    assertEquals(List.of(
        "app.yaml:5: batch/CronJob/shop/four: spec.schedule: \"0 2 * *\" has 4 fields where a schedule has 5"
            + " (minute, hour, day of month, month, day of week) or is a descriptor such as @hourly" + REFUSED,
        "app.yaml:19: batch/CronJob/shop/six: spec.schedule: \"0 */5 * * * *\" has 6 fields where a schedule has 5"
            + " (minute, hour, day of month, month, day of week) or is a descriptor such as @hourly" + REFUSED,
        "app.yaml:33: batch/CronJob/shop/weekdays: spec.schedule: \"@weekdays\" is not a descriptor (@yearly,"
            + " @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every and a duration)" + REFUSED,
        "app.yaml:47: batch/CronJob/shop/paris: spec.schedule: \"CRON_TZ=Europe/Paris 0 3 * * *\" names a time zone"
            + " (TZ or CRON_TZ) beside spec.timeZone" + REFUSED),
        found);
  }

  @Test
  void ingressPathsTheServerRefusesAreProblemsAtTheirLine() {
    List<String> found = Fixtures.loadProblems(ingress("""
              - {path: api, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
              - {path: /a//b, pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}
              - {path: /static/., pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
              - {path: "(/|$)(.*)", pathType: ImplementationSpecific, backend: {service: {name: web, port: {number: 80}}}}
              - pathType: Prefix
                backend: {service: {name: web, port: {number: 80}}}
        """));
    String at = "networking.k8s.io/Ingress/shop/web: spec.rules[0].http.paths[";
    assertEquals(List.of(
        "app.yaml:9: " + at + "0].path: \"api\" is not an absolute path where pathType is Prefix" + REFUSED,
        "app.yaml:10: " + at + "1].path: \"/a//b\" contains // where pathType is Exact" + REFUSED,
        "app.yaml:11: " + at + "2].path: \"/static/.\" ends in /. where pathType is Prefix" + REFUSED,
        "app.yaml:12: " + at + "3].path: \"(/|$)(.*)\" is not an absolute path where pathType is"
            + " ImplementationSpecific" + REFUSED,
        "app.yaml:13: " + at + "4].path: left out, so \"\", is not an absolute path where pathType is Prefix"
            + REFUSED),
        found);
  }

  @Test
  void spreadPrivilegeAndTolerationsTheServerRefusesAreProblemsAtTheirLine() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: shop}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              containers:
              - name: agent
                image: busybox
                securityContext: {privileged: true, allowPrivilegeEscalation: false}
              - name: mount
                image: busybox
                securityContext:
                  allowPrivilegeEscalation: false
                  capabilities: {add: [CAP_SYS_ADMIN]}
              topologySpreadConstraints:
              - {maxSkew: 0, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}
              - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}
              tolerations:
              - {key: dedicated, operator: Exists, value: agents}
        """);
    String at = "app.yaml:%d: apps/DaemonSet/shop/agent: spec.template.spec.";
    assertEquals(List.of(
        at.formatted(12) + "containers[0].securityContext.allowPrivilegeEscalation: false where the container is"
            + " privileged, which escalates" + REFUSED,
        at.formatted(16) + "containers[1].securityContext.allowPrivilegeEscalation: false where the container adds"
            + " CAP_SYS_ADMIN, which escalates" + REFUSED,
        at.formatted(19) + "topologySpreadConstraints[0].maxSkew: 0 is not more than 0" + REFUSED,
        at.formatted(20) + "topologySpreadConstraints[1]: \"{zone, DoNotSchedule}\" repeats element 0: a pod spreads"
            + " once per topologyKey and whenUnsatisfiable" + REFUSED,
        at.formatted(22) + "tolerations[0].value: \"agents\" where the operator is Exists, which takes no value"
            + REFUSED),
        found);
  }

  @Test
  void theNeighboursTheServerTakesLoad() {
    DesiredState d = new ManifestLoader().load(LoaderContract.snapshot("app.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          replicas: 0
          revisionHistoryLimit: 0
          minReadySeconds: 0
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web
                image: nginx
                securityContext: {privileged: true}
                livenessProbe: {httpGet: {path: /healthz, port: 8080}, successThreshold: 1, initialDelaySeconds: 0}
                startupProbe: {tcpSocket: {port: 8080}, successThreshold: 0}
                readinessProbe: {tcpSocket: {port: 8080}, successThreshold: 2}
              - name: side
                image: busybox
                securityContext: {allowPrivilegeEscalation: false, capabilities: {add: [NET_ADMIN]}}
              topologySpreadConstraints:
              - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}
              - {maxSkew: 2, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway}
              tolerations:
              - {key: dedicated, operator: Exists}
              - {key: dedicated, operator: Equal, value: web}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, namespace: shop}
        spec:
          rules:
          - http:
              paths:
              - {path: /api, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
              - {path: /, pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}
              - {path: "/api(/|$)(.*)", pathType: ImplementationSpecific, backend: {service: {name: web, port: {number: 80}}}}
              - {pathType: ImplementationSpecific, backend: {service: {name: web, port: {number: 80}}}}
        ---
        """ + cronJob("hourly", "\"@hourly\"") + "---\n" + cronJob("nightly", "\"0 2 * * *\"") + "---\n"
        + cronJob("every", "\"@every 1h30m\"") + "---\n" + cronJob("legacy", "\"TZ=UTC 0 2 * * *\"") + "---\n"
        + cronJob("spaced", "\"0  2 * *\\t*\"")));
    assertEquals(7, d.size());
  }

  /** A CronJob named {@code name} whose schedule (line 5) is {@code schedule}, 14 lines long. */
  private static String cronJob(String name, String schedule) {
    return """
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: %s, namespace: shop}
        spec:
          schedule: %s
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - name: job
                    image: busybox
        """.formatted(name, schedule);
  }

  /** An Ingress whose one rule's paths (from line 9) are {@code paths}. */
  private static String ingress(String paths) {
    return """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, namespace: shop}
        spec:
          rules:
          - host: shop.example.com
            http:
              paths:
        """ + paths;
  }
}
