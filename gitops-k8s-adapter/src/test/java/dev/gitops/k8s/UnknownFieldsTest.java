package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gitops.source.LoaderContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A field that a built-in kind's schema (at the manifest's very apiVersion) does not declare is a
 * problem at its line: kubectl and Helm refuse such a typo or misplaced line, and the API server,
 * written to without strict field validation, drops it, so every plan would show it again.
 */
class UnknownFieldsTest {
  private static final String UNKNOWN = ": " + DecodedValues.UNKNOWN;

  @Test
  void aTypoOrALineUnderTheWrongParentIsAProblemAtItsLine() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop, lables: {app: web}}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web
                image: nginx
                imagePullPolice: Always
              ports:
              - containerPort: 80
        ---
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w, namespace: shop, annotation: {a: b}}
        spec: {anything: goes}
        """);
    assertEquals(List.of(
        "app.yaml:3: apps/Deployment/shop/web: metadata.lables" + UNKNOWN,
        "app.yaml:12: apps/Deployment/shop/web: spec.template.spec.containers[0].imagePullPolice" + UNKNOWN,
        "app.yaml:14: apps/Deployment/shop/web: spec.template.spec.ports" + UNKNOWN,
        "app.yaml:18: example.com/Widget/shop/w: metadata.annotation" + UNKNOWN), found);
  }

  @Test
  void aLoaderAllowingUndeclaredFieldsTakesThemForANewerCluster() {
    var loaded = new ManifestLoader().allowingUndeclaredFields().load(LoaderContract.snapshot("app.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: next, namespace: shop}
        spec:
          containers: [{name: app, image: nginx, aFieldOfKubernetes2: true}]
        """)).resources();
    assertEquals(1, loaded.size());
    assertEquals("true", ((dev.gitops.model.Content.Tree) loaded.iterator().next().content()).node()
        .at("/spec/containers/0/aFieldOfKubernetes2").toString(), "written as in Git");
  }

  @Test
  void statusEveryFieldOfTheNamedVersionAndKindsOfNoKnownVersionLoad() {
    var loaded = new ManifestLoader().load(LoaderContract.snapshot("app.yaml", """
        apiVersion: autoscaling/v1
        kind: HorizontalPodAutoscaler
        metadata: {name: web, namespace: shop, creationTimestamp: null}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          maxReplicas: 3
          targetCPUUtilizationPercentage: 80
        status: {currentReplicas: 1, whatever: the server ignores it}
        ---
        apiVersion: autoscaling/v9
        kind: HorizontalPodAutoscaler
        metadata: {name: next, namespace: shop}
        spec: {scaleTargetRef: {kind: Deployment, name: web}, maxReplicas: 3, aFieldOfV9: true}
        """)).resources();
    assertEquals(2, loaded.size(), "a v1 field in a v1 autoscaler, a status, a version the table lacks");
  }
}
