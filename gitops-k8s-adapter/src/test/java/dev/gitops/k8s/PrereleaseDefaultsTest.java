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
}
