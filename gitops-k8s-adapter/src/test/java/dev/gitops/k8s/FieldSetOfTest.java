package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link FieldSetOf}, the field set an adoption of an object without {@code managedFields} writes
 * for kubectl's last-applied record, against the tests' own encoder ({@link FieldSets}, written
 * from structured-merge-diff and checked against every pair's live {@code managedFields}), and
 * against a set as a real server writes it.
 */
class FieldSetOfTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  @TestFactory
  Stream<DynamicTest> everyBuiltInManifestOfTheCorpusGetsTheSetTheTestsEncoderMakes() {
    return ServerObjects.all().stream().filter(p -> p.crd() == null && !p.adopted())
        .map(p -> DynamicTest.dynamicTest(p.file(), () -> {
          ObjectNode applied = ServerObjectsTest.applied(p);
          assertEquals(FieldSets.toFieldsV1(FieldSets.of(applied, ServerObjectsTest.schema(p))),
              FieldSets.toFieldsV1(FieldSets.paths(FieldSetOf.object(applied, root(applied, null)))));
        }));
  }

  /**
   * A custom resource's map of objects and free-form values: every entry is a member ({@code .}
   * beside its fields, a leaf when it holds none), at any depth of a free-form value, as
   * {@code typed/tofieldset.go} inserts every key a map's type does not name; a struct's named
   * fields are not ({@code host}, {@code chart.spec}).
   */
  @Test
  void aCustomResourcesMapEntriesAreMembersAtAnyDepthOfAFreeFormValue() throws Exception {
    JsonNode routes = YAML.readTree("""
        apiVersion: example.com/v1
        kind: TrafficRoute
        metadata: {name: checkout, namespace: shop}
        spec: {host: h, backends: {stable: {url: u, weight: 100}, spare: {}}}
        """);
    assertEquals(FieldSets.paths(YAML.readTree("""
        f:spec:
          f:host: {}
          f:backends:
            f:spare: {}
            f:stable: {.: {}, f:url: {}, f:weight: {}}
        """)), FieldSets.paths(FieldSetOf.object(routes, root(routes, crd("280-")))));
    JsonNode release = YAML.readTree("""
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata: {name: podinfo, namespace: shop}
        spec: {interval: 10m, chart: {spec: {chart: podinfo}}, values: {replicaCount: 2, resources: {limits: {cpu: 1}}}}
        """);
    assertEquals(FieldSets.paths(YAML.readTree("""
        f:spec:
          f:interval: {}
          f:chart: {f:spec: {f:chart: {}}}
          f:values:
            f:replicaCount: {}
            f:resources: {.: {}, f:limits: {.: {}, f:cpu: {}}}
        """)), FieldSets.paths(FieldSetOf.object(release, root(release, crd("282-")))));
  }

  /** The CRD of the corpus pair whose file name starts with {@code prefix}. */
  private static JsonNode crd(String prefix) {
    return ServerObjects.all().stream().filter(p -> p.file().startsWith(prefix)).findFirst().orElseThrow().crd();
  }

  /** Keyed lists by sorted keys (a left-out protocol as its default), a set, atomic values, empty structs. */
  @Test
  void aDeploymentRecordIsEncodedAsTheServerRecordsIt() throws Exception {
    JsonNode record = YAML.readTree("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop, labels: {app: web}, finalizers: [example.com/keep]}
        spec:
          selector: {matchLabels: {app: web}}
          template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: "nginx:1.27",
            args: [--port, "8080"], ports: [{containerPort: 8080}], resources: {}}]}}
        status: {replicas: 1}
        """);
    JsonNode expected = YAML.readTree("""
        f:metadata:
          f:finalizers:
            v:"example.com/keep": {}
          f:labels:
            f:app: {}
        f:spec:
          f:selector: {}
          f:template:
            f:metadata:
              f:labels:
                f:app: {}
            f:spec:
              f:containers:
                k:{"name":"web"}:
                  .: {}
                  f:args: {}
                  f:image: {}
                  f:name: {}
                  f:ports:
                    k:{"containerPort":8080,"protocol":"TCP"}:
                      .: {}
                      f:containerPort: {}
        """);
    assertEquals(FieldSets.paths(expected), FieldSets.paths(FieldSetOf.object(record, root(record, null))));
  }

  private static SchemaField root(JsonNode object, JsonNode crd) {
    String apiVersion = object.path("apiVersion").asText();
    SchemaSources sources = new SchemaSources();
    if (crd != null) {
      sources.learnCrd(crd);
    }
    return sources.find(KindInfo.groupOf(apiVersion), object.path("kind").asText(), apiVersion);
  }
}
