package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link DivisorRules} through {@link ManifestLoader}: a {@code resourceFieldRef} divisor the API
 * server refuses (422 at the write of its wave; the mock takes it), in an env var or a downward API
 * file, is a problem at its line; divisors whose canonical form the server takes load.
 */
class DivisorRulesTest {
  private static final String REFUSED = ": the API server refuses the object";

  private static String env(String resource, String divisor) {
    return "    - {name: V, valueFrom: {resourceFieldRef: {resource: " + resource + ", divisor: " + divisor + "}}}\n";
  }

  @Test
  void aDivisorTheServerRefusesIsAProblemAtItsLineAndItsCanonicalFormsLoad() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: shop}
        spec:
          containers:
          - name: app
            image: nginx
            env:
        """ + env("limits.cpu", "\"2\"") + env("requests.memory", "\"1024\"") + env("limits.cpu", "1000m")
        + env("requests.cpu", "\"0.001\"") + env("limits.memory", "\"1000\"") + env("limits.memory", "1024Ki")
        + env("limits.ephemeral-storage", "1M") + env("limits.memory", "\"0\"") + env("limits.memory", "1e3") + """
          volumes:
          - name: info
            downwardAPI:
              items:
              - {path: mem, resourceFieldRef: {containerName: app, resource: limits.memory, divisor: 500Ki}}
          - name: all
            projected:
              sources:
              - downwardAPI:
                  items:
                  - {path: cpu, resourceFieldRef: {containerName: app, resource: limits.cpu, divisor: 1Ki}}
                  - {path: mem, resourceFieldRef: {containerName: app, resource: limits.memory, divisor: 1Gi}}
        """);
    String at = "app.yaml:%d: Pod/shop/p: spec.";
    assertEquals(List.of(
        at.formatted(9) + "containers[0].env[0].valueFrom.resourceFieldRef.divisor: \"2\" is not a divisor of cpu,"
            + " which takes 1m or 1" + REFUSED,
        at.formatted(10) + "containers[0].env[1].valueFrom.resourceFieldRef.divisor: \"1024\" is not a divisor of"
            + " memory, which takes 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi or 1Ei (a power of 1024 is"
            + " written with its binary suffix, as 1Ki)" + REFUSED,
        at.formatted(22) + "volumes[0].downwardAPI.items[0].resourceFieldRef.divisor: \"500Ki\" is not a divisor of"
            + " memory, which takes 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi or 1Ei" + REFUSED,
        at.formatted(28) + "volumes[1].projected.sources[0].downwardAPI.items[0].resourceFieldRef.divisor: \"1Ki\" is"
            + " not a divisor of cpu, which takes 1m or 1" + REFUSED), found);
  }
}
