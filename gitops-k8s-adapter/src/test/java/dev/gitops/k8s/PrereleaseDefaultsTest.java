package dev.gitops.k8s;

import static dev.gitops.k8s.SchemaDiffs.changes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.diff.ResourceDiff;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A built-in kind applied at a prerelease version a 1.30 to 1.34 server still serves, read with
 * the server's own OpenAPI document for that version (as {@link LiveOpenApi} learns it), whose
 * type names carry the version ({@code io.k8s.api.flowcontrol.v1beta3.QueuingConfiguration}):
 * the server's defaulting of those types is the stable version's (flowcontrol v1beta3's
 * {@code SetDefaults_QueuingConfiguration}, admissionregistration v1beta1's
 * {@code SetDefaults_MatchResources}), so what it stores is no drift. The documents are the 1.35
 * stable ones with the version renamed, as a 1.31 server serves v1beta3 and a 1.33 one
 * admissionregistration v1beta1 (the same shapes).
 */
class PrereleaseDefaultsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The stable document of {@code file}, its type names and group versions renamed to {@code version}. */
  private static KubernetesSchema served(String file, String typePrefix, String version) throws IOException {
    String text = Files.readString(Fixtures.shared("k8s-openapi/v3/" + file))
        .replace(typePrefix + ".v1.", typePrefix + "." + version + ".")
        .replace("\"version\":\"v1\"", "\"version\":\"" + version + "\"");
    SchemaSources sources = new SchemaSources();
    sources.learnDocument(JSON.readTree(text), true);
    return KubernetesSchema.learning(sources);
  }

  private static ResourceDiff diff(KubernetesSchema schema, String manifest, String live) {
    return SchemaDiffs.diff(KubernetesDiff.options(schema), SchemaDiffs.yaml(manifest), SchemaDiffs.yaml(live));
  }

  @Test
  void aV1beta3QueuingZeroIsTheDefaultTheServerStores() throws IOException {
    KubernetesSchema schema = served("apis__flowcontrol.apiserver.k8s.io__v1_openapi.json",
        "io.k8s.api.flowcontrol", "v1beta3");
    String git = """
        apiVersion: flowcontrol.apiserver.k8s.io/v1beta3
        kind: PriorityLevelConfiguration
        metadata: {name: batch}
        spec:
          type: Limited
          limited:
            nominalConcurrencyShares: 10
            limitResponse: {type: Queue, queuing: {queues: 0, handSize: 0, queueLengthLimit: 100}}
        """;
    String live = """
        apiVersion: flowcontrol.apiserver.k8s.io/v1beta3
        kind: PriorityLevelConfiguration
        metadata:
          name: batch
          labels: {gitops.dev/owner: web}
          managedFields:
          - manager: gitops
            operation: Apply
            fieldsV1:
              f:spec:
                f:type: {}
                f:limited:
                  f:nominalConcurrencyShares: {}
                  f:limitResponse: {f:type: {}, f:queuing: {f:queues: {}, f:handSize: {}, f:queueLengthLimit: {}}}
        spec:
          type: Limited
          limited:
            nominalConcurrencyShares: 10
            lendablePercent: 0
            limitResponse: {type: Queue, queuing: {queues: 64, handSize: 8, queueLengthLimit: 100}}
        """;
    ResourceDiff d = diff(schema, git, live);
    assertTrue(d.isEmpty(), d.toString());
    ResourceDiff changed = diff(schema, git.replace("queueLengthLimit: 100", "queueLengthLimit: 80"), live);
    assertEquals(List.of("replace /spec/limited/limitResponse/queuing/queueLengthLimit"), changes(changed));
  }

  @Test
  void aV1beta1PolicysMatchConstraintsDefaultsAreTheServers() throws IOException {
    KubernetesSchema schema = served("apis__admissionregistration.k8s.io__v1_openapi.json",
        "io.k8s.api.admissionregistration", "v1beta1");
    String git = """
        apiVersion: admissionregistration.k8s.io/v1beta1
        kind: ValidatingAdmissionPolicy
        metadata: {name: replicas-limit}
        spec:
          matchConstraints:
            resourceRules:
            - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
          validations:
          - expression: object.spec.replicas <= 5
        """;
    String live = """
        apiVersion: admissionregistration.k8s.io/v1beta1
        kind: ValidatingAdmissionPolicy
        metadata:
          name: replicas-limit
          labels: {gitops.dev/owner: web}
          managedFields:
          - manager: gitops
            operation: Apply
            fieldsV1:
              f:spec:
                f:matchConstraints: {}
                f:validations: {}
        spec:
          failurePolicy: Fail
          matchConstraints:
            matchPolicy: Equivalent
            namespaceSelector: {}
            objectSelector: {}
            resourceRules:
            - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments], scope: '*'}
          validations:
          - expression: object.spec.replicas <= 5
        """;
    ResourceDiff d = diff(schema, git, live);
    assertTrue(d.isEmpty(), d.toString());
    ResourceDiff changed = diff(schema, git.replace("[CREATE, UPDATE]", "[CREATE]"), live);
    assertEquals(1, changed.changes().size(), changed.toString());
  }

  /**
   * A 1.32 or 1.33 server's resource.k8s.io/v1beta1 document, built from the 1.35 v1 one: v1beta1's
   * {@code DeviceRequest} holds inline what v1 moved into {@code ExactDeviceRequest} ({@code deviceClassName},
   * {@code selectors}, {@code allocationMode}, {@code count}, ...) beside {@code name} and {@code firstAvailable}.
   */
  private static KubernetesSchema resourceV1beta1() throws IOException {
    String text = Files.readString(Fixtures.shared("k8s-openapi/v3/apis__resource.k8s.io__v1_openapi.json"))
        .replace("io.k8s.api.resource.v1.", "io.k8s.api.resource.v1beta1.")
        .replace("\"version\":\"v1\"", "\"version\":\"v1beta1\"");
    JsonNode doc = JSON.readTree(text);
    com.fasterxml.jackson.databind.node.ObjectNode schemas =
        (com.fasterxml.jackson.databind.node.ObjectNode) doc.path("components").path("schemas");
    com.fasterxml.jackson.databind.node.ObjectNode request = schemas.get("io.k8s.api.resource.v1beta1.ExactDeviceRequest").deepCopy();
    com.fasterxml.jackson.databind.node.ObjectNode properties = (com.fasterxml.jackson.databind.node.ObjectNode) request.get("properties");
    JsonNode v1 = schemas.get("io.k8s.api.resource.v1beta1.DeviceRequest").get("properties");
    properties.set("name", v1.get("name"));
    properties.set("firstAvailable", v1.get("firstAvailable"));
    request.putArray("required").add("name");
    schemas.set("io.k8s.api.resource.v1beta1.DeviceRequest", request);
    SchemaSources sources = new SchemaSources();
    sources.learnDocument(doc, true);
    return KubernetesSchema.learning(sources);
  }

  @Test
  void aV1beta1DeviceRequestsModeAndCountAreTheServersDefaults() throws IOException { // failed: v1 defaulted only `exactly`
    KubernetesSchema schema = resourceV1beta1();
    String git = """
        apiVersion: resource.k8s.io/v1beta1
        kind: ResourceClaimTemplate
        metadata: {name: gpu, namespace: shop}
        spec:
          spec:
            devices:
              requests:
              - {name: gpu, deviceClassName: gpu.example.com}
              - name: fallback
                firstAvailable: [{name: large, deviceClassName: gpu.example.com}]
        """;
    String live = """
        apiVersion: resource.k8s.io/v1beta1
        kind: ResourceClaimTemplate
        metadata:
          name: gpu
          namespace: shop
          labels: {gitops.dev/owner: web}
          managedFields:
          - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:spec: {f:devices: {f:requests: {}}}}}}
        spec:
          spec:
            devices:
              requests:
              - {name: gpu, deviceClassName: gpu.example.com, allocationMode: ExactCount, count: %d}
              - name: fallback
                firstAvailable: [{name: large, deviceClassName: gpu.example.com, allocationMode: ExactCount, count: 1}]
        """;
    // SetDefaults_DeviceRequest (pkg/apis/resource/v1beta1/defaults.go): a request naming a class gets ExactCount
    // and count 1; SetDefaults_DeviceSubRequest the same for each subrequest
    ResourceDiff d = diff(schema, git, live.formatted(1));
    assertTrue(d.isEmpty(), d.toString());
    ResourceDiff two = diff(schema, git.replace("deviceClassName: gpu.example.com}\n", "deviceClassName: gpu.example.com, count: 2}\n"),
        live.formatted(2)); // a count written, the mode left out: ExactCount all the same
    assertTrue(two.isEmpty(), two.toString());
    // Git dropped a count of 2: the server stores 1, a change the plan has to show
    ResourceDiff changed = diff(schema, git, live.formatted(2));
    assertEquals(List.of("replace /spec/spec/devices/requests/0/count"), changes(changed)); // 2 -> 1, not a removal
  }
}
