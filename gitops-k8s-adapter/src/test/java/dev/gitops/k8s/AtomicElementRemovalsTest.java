package dev.gitops.k8s;

import static dev.gitops.k8s.SchemaDiffs.changes;
import static dev.gitops.k8s.SchemaDiffs.diff;
import static dev.gitops.k8s.SchemaDiffs.show;
import static dev.gitops.k8s.SchemaDiffs.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.ResourceDiff;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An element of a keyed list whose type is atomic ({@code metadata.ownerReferences} keyed by
 * {@code uid}, a ServiceAccount's {@code secrets} by {@code name}): server-side apply owns it as
 * one field ({@code k:{...}: {}} in {@code fieldsV1}) and replaces it whole, so a field only the
 * live element has, in an element {@code gitops} applied, is a removal; in an element it never
 * applied (another manager's, or adopted by JSON Patch without it), it is not claimed.
 */
class AtomicElementRemovalsTest {
  private static final String OWNER = "{apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9, uid: u1%s}";
  private static final String OTHER = "{apiVersion: v1, kind: Pod, name: p, uid: u2, blockOwnerDeletion: true}";

  /** A ConfigMap whose ownerReferences are {@code references}, as in Git or, with {@code managedFields}, as read back. */
  private static String configMap(String references, String managedFields) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: web
          namespace: shop
          ownerReferences: [%s]
          labels: {app.kubernetes.io/managed-by: gitops, gitops.dev/owner: web}
          managedFields: [%s]
        data: {k: v}
        """.formatted(references, managedFields);
  }

  private static String entry(String manager, String operation, String uid) {
    return "{manager: %s, operation: %s, fieldsV1: {f:data: {f:k: {}}, f:metadata: {f:ownerReferences: {'k:{\"uid\":\"%s\"}': {}}}}}"
        .formatted(manager, operation, uid);
  }

  private static final String GIT = configMap(OWNER.formatted(""), "");

  @Test
  void aFieldLeftOutOfAnOwnedElementIsRemoved() {
    ResourceDiff d = diff(GIT, configMap(OWNER.formatted(", blockOwnerDeletion: true, controller: true"),
        entry("gitops", "Apply", "u1")));
    assertEquals(List.of("remove /metadata/ownerReferences/0/blockOwnerDeletion",
        "remove /metadata/ownerReferences/0/controller"), changes(d), show(d));
    ResourceDiff same = diff(GIT, configMap(OWNER.formatted(""), entry("gitops", "Apply", "u1")));
    assertTrue(same.isEmpty(), show(same));
  }

  @Test
  void anElementGitopsNeverAppliedIsNotClaimed() {
    String both = OWNER.formatted(", controller: true") + ", " + OTHER;
    ResourceDiff other = diff(GIT, configMap(both, entry("kube-controller-manager", "Update", "u1")));
    assertTrue(other.isEmpty(), show(other));
    ResourceDiff extra = diff(GIT, configMap(OWNER.formatted("") + ", " + OTHER,
        entry("gitops", "Apply", "u1") + ", " + entry("kube-controller-manager", "Update", "u2")));
    assertTrue(extra.isEmpty(), show(extra));
  }

  @Test
  void theJsonPatchRecordDecidesWhatWasApplied() {
    ObjectNode live = yaml(configMap(OWNER.formatted(", blockOwnerDeletion: true"), entry("gitops", "Update", "u1")));
    ObjectNode applied = yaml(GIT);
    ObjectNode record = applied.deepCopy();
    ((ObjectNode) live.get("metadata")).putObject("annotations").put(Labels.APPLIED, AppliedRecord.encode(record, false));
    ResourceDiff never = diff(KubernetesDiff.options(), applied, live.deepCopy());
    assertTrue(never.isEmpty(), show(never));
    ((ObjectNode) record.at("/metadata/ownerReferences/0")).put("blockOwnerDeletion", true);
    ((ObjectNode) live.get("metadata")).putObject("annotations").put(Labels.APPLIED, AppliedRecord.encode(record, false));
    ResourceDiff dropped = diff(KubernetesDiff.options(), applied, live);
    assertEquals(List.of("remove /metadata/ownerReferences/0/blockOwnerDeletion"), changes(dropped), show(dropped));
  }

  @Test
  void aServiceAccountSecretsNamespaceLeftOutIsRemoved() {
    String account = """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: ci, namespace: shop %s}
        secrets: [{name: ci-token%s}]
        """;
    String owned = ", labels: {app.kubernetes.io/managed-by: gitops, gitops.dev/owner: web}, managedFields: [{manager:"
        + " gitops, operation: Apply, fieldsV1: {f:secrets: {'k:{\"name\":\"ci-token\"}': {}}}}]";
    ResourceDiff d = diff(account.formatted("", ""), account.formatted(owned, ", namespace: shop"));
    assertEquals(List.of("remove /secrets/0/namespace"), changes(d), show(d));
  }
}
