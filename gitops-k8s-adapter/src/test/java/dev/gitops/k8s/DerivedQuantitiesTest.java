package dev.gitops.k8s;

import static dev.gitops.k8s.SchemaDiffs.diff;
import static dev.gitops.k8s.SchemaDiffs.show;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gitops.diff.ResourceDiff;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A quantity the server's defaulting copies from a sibling is shown as the server prints the copy
 * ({@code resource.Quantity} {@code String()}), not as Git wrote the value copied: core/v1
 * {@code SetDefaults_Pod} copies a container's limits into the requests it lacks, and
 * {@code SetDefaults_LimitRangeItem} a Container item's {@code max} into {@code default}, {@code default}
 * into {@code defaultRequest}. Pod-level requests: {@link PodLevelRequestsTest}.
 */
class DerivedQuantitiesTest {
  /** Each change's path and the value it shows. */
  private static Map<String, String> after(ResourceDiff d) {
    Map<String, String> out = new TreeMap<>();
    d.changes().forEach(c -> out.put(c.path(), String.valueOf(c.after())));
    return out;
  }

  @Test
  void aContainersRequestsLeftOutAreShownAsTheLimitsInTheServersForm() {
    String pod = """
        apiVersion: v1
        kind: Pod
        metadata: {name: job, namespace: shop}
        spec:
          containers: [{name: job, image: job:1.0, resources: {limits: {cpu: "0.5", memory: 1024Mi}}}]
        """;
    String live = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: job
          namespace: shop
          managedFields:
          - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:containers: {'k:{"name":"job"}': {.: {},
              f:name: {}, f:image: {}, f:resources: {f:limits: {f:cpu: {}, f:memory: {}}, f:requests: {f:cpu: {}, f:memory: {}}}}}}}}
        spec:
          containers: [{name: job, image: job:1.0, imagePullPolicy: IfNotPresent,
            resources: {limits: {cpu: 500m, memory: 1Gi}, requests: {cpu: 250m, memory: 512Mi}}}]
        """;
    ResourceDiff d = diff(pod, live);
    assertEquals(Map.of("/spec/containers/0/resources/requests/cpu", "\"500m\"",
        "/spec/containers/0/resources/requests/memory", "\"1Gi\""), after(d), show(d));
  }

  @Test
  void aLimitRangesDefaultsLeftOutAreShownAsTheMaxInTheServersForm() {
    String manifest = """
        apiVersion: v1
        kind: LimitRange
        metadata: {name: lr, namespace: shop}
        spec:
          limits: [{type: Container, max: {memory: 2048Mi, cpu: "1.5"}}]
        """;
    String live = """
        apiVersion: v1
        kind: LimitRange
        metadata:
          name: lr
          namespace: shop
          labels: {app.kubernetes.io/managed-by: gitops, gitops.dev/owner: web}
          managedFields:
          - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:limits: {}}}}
        spec:
          limits: [{type: Container, max: {memory: 2Gi, cpu: 1500m}, default: {memory: 1Gi, cpu: 1500m},
            defaultRequest: {memory: 1Gi, cpu: 1500m}}]
        """;
    ResourceDiff d = diff(manifest, live); // Git once said 1Gi: the server now copies max (2048Mi, printed 2Gi)
    assertEquals(Map.of("/spec/limits/0/default/memory", "\"2Gi\"", "/spec/limits/0/defaultRequest/memory", "\"2Gi\""),
        after(d), show(d));
  }
}
