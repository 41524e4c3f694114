package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A bare Pod is judged by its kind's schema as every other built-in kind: its diff schema carries
 * what admission adds to a pod, a wrapper the loader's judgement once took for no built-in type, so
 * a typo, a wrong shape or a null in a Pod's own spec and containers passed unjudged (sent, and the
 * server refuses the field or the object, or drops it).
 */
class PodJudgedTest {
  private static final String UNKNOWN = ": " + DecodedValues.UNKNOWN;

  @Test
  void aPodsSpecAndContainersAreJudgedAsADeploymentsTemplateIs() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: shop}
        spec:
          nodeSelecter: {disk: ssd}
          containers:
          - name: web
            image: nginx
            imagePullPolice: Always
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: listed, namespace: shop}
        spec: [1]
        """);
    assertEquals(List.of(
        "app.yaml:5: Pod/shop/web: spec.nodeSelecter" + UNKNOWN,
        "app.yaml:9: Pod/shop/web: spec.containers[0].imagePullPolice" + UNKNOWN,
        "app.yaml:14: Pod/shop/listed: spec: a list where the API server takes a mapping"), found);
  }
}
