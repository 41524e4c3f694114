package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.model.ResourceId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An element of any keyed list of any built-in kind, outside the one-of roots too, that Git dropped
 * and another manager keeps without a field its schema lists as {@code required} is refused whole
 * ({@link RequiredFields}): structured-merge-diff's {@code merge/update.go} {@code prune} keeps it with
 * that manager's fields, and validation refuses what is left on every apply: a ValidatingAdmissionPolicy's
 * {@code matchConditions} (admissionregistration {@code validateMatchCondition}: "expression: Required
 * value"). An element of an atomic type (a policy's {@code variables}, an owner reference:
 * {@code x-kubernetes-map-type: atomic}) is one leaf of the field set, kept whole, so never so refused.
 */
class RequiredFieldsTest {
  private static final ResourceId POLICY =
      new ResourceId("admissionregistration.k8s.io", "ValidatingAdmissionPolicy", "", "replicas");
  private static final ResourceId CONFIG = new ResourceId("", "ConfigMap", "shop", "web");

  private static final String POLICY_LIVE = """
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicy
      metadata:
        name: replicas
        managedFields: [{manager: hotfix, operation: Apply, fieldsV1: %s}]
      spec:
        failurePolicy: Fail
        matchConstraints: {resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]}
        matchConditions:
        - {name: not-system, expression: "!request.namespace.startsWith('kube-')"}
        - {name: labelled, expression: "has(object.metadata.labels)"}
        variables:
        - {name: replicas, expression: object.spec.replicas}
        - {name: limit, expression: "5"}
        validations: [{expression: "variables.replicas <= variables.limit"}]
      """;
  private static final String POLICY_APPLIED = """
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingAdmissionPolicy
      metadata: {name: replicas}
      spec:
        matchConstraints: {resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]}
        matchConditions:
        - {name: not-system, expression: "!request.namespace.startsWith('kube-')"}
        - {name: labelled, expression: "has(object.metadata.labels)"}
        variables:
        - {name: replicas, expression: object.spec.replicas}
        - {name: limit, expression: "5"}
        validations: [{expression: "variables.replicas <= variables.limit"}]
      """;
  /** Git drops the {@code labelled} condition and the {@code limit} variable (the validation now says 5). */
  private static final String POLICY_DESIRED = POLICY_APPLIED
      .replace("  - {name: labelled, expression: \"has(object.metadata.labels)\"}\n", "")
      .replace("  - {name: limit, expression: \"5\"}\n", "").replace("variables.limit", "5");

  @Test
  void aPolicysMatchConditionKeptByItsNameAloneIsRefusedWholeButAVariableIsKeptWhole() {
    // hotfix applied both by name (to keep them, say): the prune keeps the condition without an expression; a
    // variable is atomic, one leaf hotfix owns whole ('k:{"name":"limit"}': {}), so it stays with its expression
    String byName = "{f:spec: {f:matchConditions: {'k:{\"name\":\"labelled\"}': {.: {}, f:name: {}}},"
        + " f:variables: {'k:{\"name\":\"limit\"}': {}}}}";
    JsonNode live = SchemaDiffs.yaml(POLICY_LIVE.formatted(byName));
    JsonNode marks = OneOfFields.refused(POLICY, live, SchemaDiffs.yaml(POLICY_DESIRED), SchemaDiffs.yaml(POLICY_APPLIED),
        schema(POLICY, live));
    assertEquals(List.of(".spec.matchConditions[name=\"labelled\"] (manager hotfix)"),
        OneOfFields.conflicts(marks, live, schema(POLICY, live)));
  }

  @Test
  void aPolicysMatchConditionACoOwnerKeepsWithItsExpressionStaysValid() {
    String coOwned = "{f:spec: {f:matchConditions: {'k:{\"name\":\"labelled\"}': {.: {}, f:name: {}, f:expression: {}}}}}";
    JsonNode live = SchemaDiffs.yaml(POLICY_LIVE.formatted(coOwned));
    assertNull(OneOfFields.refused(POLICY, live, SchemaDiffs.yaml(POLICY_DESIRED), SchemaDiffs.yaml(POLICY_APPLIED),
        schema(POLICY, live)));
  }

  private static final String CONFIG_LIVE = """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: web
        namespace: shop
        ownerReferences:
        - {apiVersion: example.com/v1, kind: App, name: web, uid: 6c0e2a41-93d7-4b8e-a1f2-7d3e5b9c0a06, blockOwnerDeletion: true}
        managedFields: [{manager: app-operator, operation: Apply, fieldsV1: {f:metadata: {f:ownerReferences:
          {'k:{"uid":"6c0e2a41-93d7-4b8e-a1f2-7d3e5b9c0a06"}': {}}}}}]
      data: {mode: prod}
      """;
  private static final String CONFIG_APPLIED = """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: web
        namespace: shop
        ownerReferences:
        - {apiVersion: example.com/v1, kind: App, name: web, uid: 6c0e2a41-93d7-4b8e-a1f2-7d3e5b9c0a06}
      data: {mode: prod}
      """;

  @Test
  void anOwnerReferenceAnotherApplierKeepsIsKeptWholeAndNoRefusal() {
    // OwnerReference is atomic: the operator's set names the element as one leaf, the prune keeps it whole
    // (apiVersion, kind and name, which validateOwnerReference requires, included)
    JsonNode live = SchemaDiffs.yaml(CONFIG_LIVE);
    ObjectNode desired = SchemaDiffs.yaml(CONFIG_APPLIED);
    ((ObjectNode) desired.get("metadata")).remove("ownerReferences");
    assertNull(OneOfFields.refused(CONFIG, live, desired, SchemaDiffs.yaml(CONFIG_APPLIED), schema(CONFIG, live)));
  }

  @Test
  void aMutatingPolicysMatchConditionIsJudgedFromTheServersOwnDocument() throws java.io.IOException {
    // a 1.34 server serves admissionregistration.k8s.io/v1beta1 MutatingAdmissionPolicy, not in the built-in table:
    // its document (the v1 one renamed, with the policy's kind and spec as types.go declares them) keys
    // matchConditions by name, and MatchCondition requires its expression
    KubernetesSchema served = mutatingPolicyDocument();
    ResourceId id = new ResourceId("admissionregistration.k8s.io", "MutatingAdmissionPolicy", "", "replicas");
    String byName = "{f:spec: {f:matchConditions: {'k:{\"name\":\"labelled\"}': {.: {}, f:name: {}}}}}";
    String v1beta1 = "apiVersion: admissionregistration.k8s.io/v1beta1\nkind: MutatingAdmissionPolicy";
    String head = "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy";
    JsonNode live = SchemaDiffs.yaml(POLICY_LIVE.formatted(byName).replace(head, v1beta1));
    FieldSchema.Node root = served.root(id, null, live, null);
    JsonNode marks = OneOfFields.refused(id, live, SchemaDiffs.yaml(POLICY_DESIRED.replace(head, v1beta1)),
        SchemaDiffs.yaml(POLICY_APPLIED.replace(head, v1beta1)), root);
    assertEquals(List.of(".spec.matchConditions[name=\"labelled\"] (manager hotfix)"),
        OneOfFields.conflicts(marks, live, root));
  }

  /** The v1 admissionregistration document renamed to v1beta1, with MutatingAdmissionPolicy's kind and spec added. */
  private static KubernetesSchema mutatingPolicyDocument() throws java.io.IOException {
    String prefix = "io.k8s.api.admissionregistration.";
    ObjectNode doc = (ObjectNode) SchemaDiffs.yaml(java.nio.file.Files.readString(
        Fixtures.shared("k8s-openapi/v3/apis__admissionregistration.k8s.io__v1_openapi.json"))
        .replace(prefix + "v1.", prefix + "v1beta1.").replace("\"version\":\"v1\"", "\"version\":\"v1beta1\""));
    ObjectNode schemas = (ObjectNode) doc.path("components").path("schemas");
    ObjectNode kind = ((ObjectNode) schemas.get(prefix + "v1beta1.ValidatingAdmissionPolicy")).deepCopy();
    ((ObjectNode) kind.at("/x-kubernetes-group-version-kind/0")).put("kind", "MutatingAdmissionPolicy");
    ((ObjectNode) kind.at("/properties/spec/allOf/0")).put("$ref",
        "#/components/schemas/" + prefix + "v1beta1.MutatingAdmissionPolicySpec");
    schemas.set(prefix + "v1beta1.MutatingAdmissionPolicy", kind);
    ObjectNode spec = ((ObjectNode) schemas.get(prefix + "v1beta1.ValidatingAdmissionPolicySpec")).deepCopy();
    ObjectNode properties = (ObjectNode) spec.get("properties"); // matchConditions keyed by name, as in types.go
    properties.remove(List.of("validations", "auditAnnotations"));
    properties.putObject("mutations").put("type", "array").put("x-kubernetes-list-type", "atomic")
        .putObject("items").put("type", "object");
    properties.putObject("reinvocationPolicy").put("type", "string");
    schemas.set(prefix + "v1beta1.MutatingAdmissionPolicySpec", spec);
    SchemaSources sources = new SchemaSources();
    sources.learnDocument(doc, true);
    return KubernetesSchema.learning(sources);
  }

  private static dev.gitops.diff.FieldSchema.Node schema(ResourceId id, JsonNode live) {
    return KubernetesSchema.builtin().root(id, null, live, null);
  }
}
