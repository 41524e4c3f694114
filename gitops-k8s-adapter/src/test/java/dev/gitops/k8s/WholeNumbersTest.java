package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.model.Content;
import dev.gitops.source.LoaderContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link WholeNumbers} through {@link ManifestLoader}: a whole number written {@code 3.0} or
 * {@code 1e3} in a built-in kind's integer or int-or-string field is sent as kubectl sends it (the
 * integer 3 or 1000, which the API server takes where it refuses {@code 3.0}); a fraction or a
 * number the field's Go type cannot hold is a problem at its line, as the server refuses it.
 */
class WholeNumbersTest {
  @Test
  void aWholeNumberWithAFractionOrExponentIsSentAsTheIntegerKubectlSends() {
    JsonNode deployment = only("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          replicas: 3.0
          progressDeadlineSeconds: 6e2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              terminationGracePeriodSeconds: 1.0e10
              securityContext: {supplementalGroups: [1000.0, 2000]}
              containers:
              - name: web
                image: nginx
                ports: [{containerPort: 8080.0}]
                readinessProbe: {httpGet: {port: 8080.00}}
                resources: {limits: {cpu: 1.5}}
        """);
    assertEquals("3", deployment.at("/spec/replicas").toString());
    assertEquals("600", deployment.at("/spec/progressDeadlineSeconds").toString());
    JsonNode pod = deployment.at("/spec/template/spec");
    assertEquals("10000000000", pod.at("/terminationGracePeriodSeconds").toString()); // an int64 field
    assertEquals("[1000,2000]", pod.at("/securityContext/supplementalGroups").toString());
    assertEquals("8080", pod.at("/containers/0/ports/0/containerPort").toString());
    assertEquals("8080", pod.at("/containers/0/readinessProbe/httpGet/port").toString()); // int-or-string
    assertEquals("1.5", pod.at("/containers/0/resources/limits/cpu").toString()); // a quantity: as written
    assertTrue(pod.at("/containers/0/ports/0/containerPort").isInt());
  }

  @Test
  void aFractionOrANumberItsGoTypeCannotHoldIsAProblemAtItsLine() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          replicas: 2.5
          revisionHistoryLimit: 99999999999999999999
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              terminationGracePeriodSeconds: 9223372036854775808
              containers:
              - name: web
                image: nginx
                ports: [{containerPort: 80}]
                livenessProbe: {tcpSocket: {port: 80.5}, periodSeconds: 2147483648}
        """);
    String id = "apps/Deployment/shop/web: ";
    String int32 = "a number out of the range of Go's int32 (-2147483648 to 2147483647) where the API server takes one";
    assertEquals(List.of(
        "app.yaml:5: " + id + "spec.replicas: a fraction where the API server takes a whole number",
        "app.yaml:6: " + id + "spec.revisionHistoryLimit: " + int32,
        "app.yaml:11: " + id + "spec.template.spec.terminationGracePeriodSeconds: a number out of the range of"
            + " Go's int64 (-9223372036854775808 to 9223372036854775807) where the API server takes one",
        "app.yaml:16: " + id + "spec.template.spec.containers[0].livenessProbe.periodSeconds: " + int32,
        "app.yaml:16: " + id + "spec.template.spec.containers[0].livenessProbe.tcpSocket.port: a fraction where"
            + " the API server takes a whole number"), found);
  }

  @Test
  void aCustomResourcesNumbersAreLeftAsWritten() {
    JsonNode widget = only("""
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w, namespace: shop}
        spec: {replicas: 3.0, ratio: 2.5}
        """);
    assertEquals("{\"replicas\":3.0,\"ratio\":2.5}", widget.get("spec").toString());
  }

  private static JsonNode only(String yaml) {
    var resources = new ManifestLoader().load(LoaderContract.snapshot("app.yaml", yaml)).resources();
    assertEquals(1, resources.size());
    return ((Content.Tree) resources.iterator().next().content()).node();
  }
}
