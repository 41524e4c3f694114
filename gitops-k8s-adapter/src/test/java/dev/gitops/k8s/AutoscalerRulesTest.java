package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gitops.source.LoaderContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link AutoscalerRules} through {@link ManifestLoader}: the replica bounds and the scaling
 * behavior the API server refuses (422 at the write of its wave; the mock takes it) are problems at
 * their lines; the bounds themselves, defaults and scaling to zero on an External metric load.
 */
class AutoscalerRulesTest {
  private static final String REFUSED = ": the API server refuses the object";
  private static final String HPA = """
      apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata: {name: web, namespace: shop}
      spec:
        scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
      """;

  @Test
  void behaviorOutsideTheServersBoundsIsAProblemAtItsLine() {
    List<String> found = Fixtures.loadProblems(HPA + """
          minReplicas: 0
          maxReplicas: 4
          behavior:
            scaleUp:
              stabilizationWindowSeconds: 3601
              policies:
              - {type: Pods, value: 0, periodSeconds: 1801}
              - {type: Percent, periodSeconds: 60}
            scaleDown:
              stabilizationWindowSeconds: -1
              policies: []
        """);
    String at = "app.yaml:%d: autoscaling/HorizontalPodAutoscaler/shop/web: spec.";
    assertEquals(List.of(
        at.formatted(6) + "minReplicas: 0 is less than 1 (scaling to zero takes an Object or External metric and the"
            + " alpha feature gate HPAScaleToZero)" + REFUSED,
        at.formatted(10) + "behavior.scaleUp.stabilizationWindowSeconds: 3601 is not 0 to 3600 seconds" + REFUSED,
        at.formatted(12) + "behavior.scaleUp.policies[0].periodSeconds: 1801 is not 1 to 1800 seconds" + REFUSED,
        at.formatted(12) + "behavior.scaleUp.policies[0].value: 0 is not above 0" + REFUSED,
        at.formatted(13) + "behavior.scaleUp.policies[1]: value left out, which is 0 where a policy's value is above 0"
            + REFUSED,
        at.formatted(15) + "behavior.scaleDown.stabilizationWindowSeconds: -1 is not 0 to 3600 seconds" + REFUSED,
        at.formatted(16) + "behavior.scaleDown.policies: empty, where a scaling rule holds at least one policy (leave"
            + " policies out for the defaults)" + REFUSED), found);
  }

  @Test
  void theBoundsThemselvesDefaultsAndScalingToZeroOnAnExternalMetricLoad() {
    new ManifestLoader().load(LoaderContract.snapshot("app.yaml", HPA + """
          minReplicas: 1
          maxReplicas: 4
          behavior:
            scaleUp:
              stabilizationWindowSeconds: 3600
              selectPolicy: Disabled
              policies: [{type: Pods, value: 1, periodSeconds: 1800}]
            scaleDown: {stabilizationWindowSeconds: 0, policies: null}
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: queue, namespace: shop}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: queue}
          minReplicas: 0
          maxReplicas: 4
          metrics:
          - type: External
            external: {metric: {name: queue_depth}, target: {type: AverageValue, averageValue: "30"}}
          behavior: {scaleUp: {}}
        """));
  }
}
