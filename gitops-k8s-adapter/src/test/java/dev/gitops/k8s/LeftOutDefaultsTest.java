package dev.gitops.k8s;

import static dev.gitops.k8s.SchemaDiffs.changes;
import static dev.gitops.k8s.SchemaDiffs.diff;
import static dev.gitops.k8s.SchemaDiffs.hidden;
import static dev.gitops.k8s.SchemaDiffs.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.diff.ResourceDiff;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A field {@code gitops} applied and Git now leaves out, which the server's defaulting fills again:
 * no change when the live value is that default, a removal when it is another value, and never
 * a claim on a field {@code gitops} did not apply.
 */
class LeftOutDefaultsTest {
  private static final String SERVICE = """
      apiVersion: v1
      kind: Service
      metadata: {name: metrics, namespace: shop}
      spec:
        ports: [{name: metrics, port: 9090%s}]
      """;
  private static final String LIVE_SERVICE = """
      apiVersion: v1
      kind: Service
      metadata:
        name: metrics
        namespace: shop
        managedFields:
        - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:ports: {'k:{"port":9090,"protocol":"TCP"}':
            {.: {}, f:name: {}, f:port: {}%s}}}}}
        - {manager: kubectl-edit, operation: Update, fieldsV1: {f:spec: {f:ports: {'k:{"port":9090,"protocol":"TCP"}':
            {%s}}}}}
      spec:
        ports: [{name: metrics, port: 9090, protocol: TCP, targetPort: %s}]
      """;

  /** The Service with {@code targetPort} owned by {@code gitops} or else by kubectl-edit. */
  private static String live(boolean applied, Object targetPort) {
    return LIVE_SERVICE.formatted(applied ? ", f:targetPort: {}" : "", applied ? "" : "f:targetPort: {}", targetPort);
  }

  @Test
  void aServicePortsTargetPortLeftOutIsItsPortAgain() {
    for (String leftOut : new String[] {"", ", targetPort: null"}) {
      ResourceDiff d = diff(SERVICE.formatted(leftOut), live(true, 9090));
      assertTrue(d.isEmpty(), show(d));
      assertEquals(Map.of("default value", 1), hidden(d), show(d));
    }
    ResourceDiff once8080 = diff(SERVICE.formatted(""), live(true, 8080));
    // stored as its port: shown as 8080 -> 9090, not as a removal the server never makes
    assertEquals(List.of("replace /spec/ports/0/targetPort"), changes(once8080), show(once8080));
    ResourceDiff named = diff(SERVICE.formatted(""), live(true, "metrics"));
    assertEquals(List.of("replace /spec/ports/0/targetPort"), changes(named), show(named));
  }

  @Test
  void aTargetPortAnotherManagerSetIsNeitherClaimedNorDefaulted() {
    for (String value : new String[] {"8080", "9090"}) {
      ResourceDiff d = diff(SERVICE.formatted(""), live(false, value));
      assertTrue(d.isEmpty(), show(d));
      assertEquals(Map.of("owned by kubectl-edit", 1), hidden(d), show(d)); // not drift, no default counted
    }
  }

  @Test
  void aHostNetworkPodsHostPortLeftOutIsItsContainerPortAgain() {
    String pod = """
        apiVersion: v1
        kind: Pod
        metadata: {name: exporter, namespace: shop}
        spec:
          hostNetwork: %s
          containers: [{name: exporter, image: exporter:1, ports: [{containerPort: 9100}]}]
        """;
    String live = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: exporter
          namespace: shop
          managedFields:
          - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:hostNetwork: {}, f:containers: {'k:{"name":"exporter"}':
              {.: {}, f:name: {}, f:image: {}, f:ports: {'k:{"containerPort":9100,"protocol":"TCP"}':
              {.: {}, f:containerPort: {}, f:hostPort: {}}}}}}}}
        spec:
          hostNetwork: true
          containers: [{name: exporter, image: exporter:1, ports: [{containerPort: 9100, hostPort: 9100, protocol: TCP}]}]
        """;
    ResourceDiff d = diff(pod.formatted("true"), live);
    assertTrue(d.isEmpty(), show(d));
    assertEquals(Map.of("default value", 1), hidden(d), show(d));
    ResourceDiff off = diff(pod.formatted("false"), live);
    assertEquals(List.of("remove /spec/containers/0/ports/0/hostPort", "replace /spec/hostNetwork"),
        changes(off).stream().sorted().toList(), show(off));
  }

  @Test
  void aProbesTimeoutLeftOutIsOneAgain() {
    String deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: web, image: web:1, readinessProbe: {tcpSocket: {port: 80}}}]
        """;
    String live = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
          managedFields:
          - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:selector: {}, f:template: {f:metadata: {f:labels: {f:app: {}}},
              f:spec: {f:containers: {'k:{"name":"web"}': {.: {}, f:name: {}, f:image: {},
              f:readinessProbe: {f:tcpSocket: {f:port: {}}, f:timeoutSeconds: {}}}}}}}}}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: web, image: web:1, readinessProbe: {tcpSocket: {port: 80}, timeoutSeconds: %d,
                periodSeconds: 10, successThreshold: 1, failureThreshold: 3}}]
        """;
    ResourceDiff d = diff(deployment, live.formatted(1));
    assertTrue(d.isEmpty(), show(d));
    assertEquals(Map.of("default value", 1), hidden(d), show(d));
    ResourceDiff once5 = diff(deployment, live.formatted(5));
    // SetDefaults_Probe stores 1 in the int32 left 0: shown as 5 -> 1
    assertEquals(List.of("replace /spec/template/spec/containers/0/readinessProbe/timeoutSeconds"), changes(once5),
        show(once5));
  }

  @Test
  void aPointerTheDefaultingSetsWhenNilLeftOutIsItsDefaultAgain() {
    String cronJob = """
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: report, namespace: shop}
        spec:
          schedule: "0 3 * * *"
          successfulJobsHistoryLimit: null
          jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: report, image: report:1}]}}}}
        """;
    String live = """
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: report
          namespace: shop
          managedFields:
          - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:schedule: {}, f:successfulJobsHistoryLimit: {},
              f:jobTemplate: {f:spec: {f:template: {f:spec: {f:restartPolicy: {},
              f:containers: {'k:{"name":"report"}': {.: {}, f:name: {}, f:image: {}}}}}}}}}}
        spec:
          schedule: "0 3 * * *"
          successfulJobsHistoryLimit: %d
          jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: report, image: report:1}]}}}}
        """;
    ResourceDiff d = diff(cronJob, live.formatted(3)); // SetDefaults_CronJob: nil -> 3
    assertTrue(d.isEmpty(), show(d));
    assertEquals(Map.of("default value", 1), hidden(d), show(d));
    ResourceDiff once5 = diff(cronJob, live.formatted(5));
    // the removal stores the default: shown as it, not as a removal (SchemaField.storedWhenLeftOut)
    assertEquals(List.of("replace /spec/successfulJobsHistoryLimit"), changes(once5), show(once5));
  }

  /** A Service with {@code sessionAffinity} (first) and a line for its config (second). */
  private static final String STICKY = """
      apiVersion: v1
      kind: Service
      metadata: {name: sticky, namespace: shop}
      spec:
        sessionAffinity: %s
        %s
        ports: [{port: 80}]
      """;
  /** The ClientIP Service live, {@code gitops} owning what of the config (first) and its timeout (second). */
  private static final String LIVE_STICKY = """
      apiVersion: v1
      kind: Service
      metadata:
        name: sticky
        namespace: shop
        managedFields:
        - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:sessionAffinity: {}, f:sessionAffinityConfig: {%s},
            f:ports: {'k:{"port":80,"protocol":"TCP"}': {.: {}, f:port: {}}}}}}
      spec:
        sessionAffinity: ClientIP
        sessionAffinityConfig: {clientIP: {timeoutSeconds: %d}}
        ports: [{port: 80, protocol: TCP, targetPort: 80}]
      """;
  private static final String OWNED_TIMEOUT = "f:clientIP: {f:timeoutSeconds: {}}";

  @Test
  void aClientIpTimeoutLeftOutIsTenThousandEightHundredAgain() {
    for (String leftOut : new String[] {"sessionAffinityConfig: {clientIP: {timeoutSeconds: null}}",
        "sessionAffinityConfig: {clientIP: null}", "sessionAffinityConfig: {}"}) {
      String desired = STICKY.formatted("ClientIP", leftOut);
      ResourceDiff d = diff(desired, LIVE_STICKY.formatted(OWNED_TIMEOUT, 10800)); // SetDefaults_Service
      assertTrue(d.isEmpty(), leftOut + show(d));
      assertEquals(Map.of("default value", 1), hidden(d), leftOut + show(d));
      ResourceDiff once300 = diff(desired, LIVE_STICKY.formatted(OWNED_TIMEOUT, 300));
      // the removal stores 10800 under ClientIP: shown as it (SchemaField.storedWhenLeftOut)
      assertEquals(List.of("replace /spec/sessionAffinityConfig/clientIP/timeoutSeconds"), changes(once300),
          leftOut + show(once300));
    }
  }

  @Test
  void aClientIpServicesWholeAffinityConfigLeftOutIsAllocatedAgainByTheSiblingAffinity() {
    String ownedNull = LIVE_STICKY.formatted("", 10800);
    for (String leftOut : new String[] {"", "sessionAffinityConfig: null"}) {
      ResourceDiff d = diff(STICKY.formatted("ClientIP", leftOut), ownedNull); // SetDefaults_Service: nil -> 10800
      assertTrue(d.isEmpty(), leftOut + show(d));
      assertEquals(Map.of("default value", 1), hidden(d), leftOut + show(d));
    }
    ResourceDiff once300 = diff(STICKY.formatted("ClientIP", ""), LIVE_STICKY.formatted(OWNED_TIMEOUT, 300));
    // under ClientIP the config left out is allocated with 10800: shown as 300 -> 10800
    assertEquals(List.of("replace /spec/sessionAffinityConfig/clientIP/timeoutSeconds"), changes(once300), show(once300));
    ResourceDiff none = diff(STICKY.formatted("None", ""), ownedNull); // None: the server drops the config
    assertEquals(List.of("remove /spec/sessionAffinityConfig", "replace /spec/sessionAffinity"),
        changes(none).stream().sorted().toList(), show(none));
  }
}
