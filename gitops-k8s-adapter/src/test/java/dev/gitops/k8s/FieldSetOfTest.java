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
              FieldSets.toFieldsV1(FieldSets.paths(FieldSetOf.object(applied, root(applied)))));
        }));
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
    assertEquals(FieldSets.paths(expected), FieldSets.paths(FieldSetOf.object(record, root(record))));
  }

  private static SchemaField root(JsonNode object) {
    String apiVersion = object.path("apiVersion").asText();
    return new SchemaSources().find(KindInfo.groupOf(apiVersion), object.path("kind").asText(), apiVersion);
  }
}
