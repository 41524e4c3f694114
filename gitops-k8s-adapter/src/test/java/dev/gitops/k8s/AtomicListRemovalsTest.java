package dev.gitops.k8s;

import static dev.gitops.k8s.SchemaDiffs.changes;
import static dev.gitops.k8s.SchemaDiffs.diff;
import static dev.gitops.k8s.SchemaDiffs.hidden;
import static dev.gitops.k8s.SchemaDiffs.show;
import static dev.gitops.k8s.SchemaDiffs.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.ResourceDiff;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A field only the live element of an atomic list has, in a list {@code gitops} applied: applying
 * again replaces the whole list, so it is a removal unless the server's defaulting stores it again;
 * a list {@code gitops} never applied (or no longer owns) is never claimed.
 */
class AtomicListRemovalsTest {
  private static final String MANIFEST = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: gpu-worker, namespace: shop}
      spec:
        selector: {matchLabels: {app: w}}
        template:
          metadata: {labels: {app: w}}
          spec:
            containers: [{name: w, image: w:1}]
            tolerations: [{key: gpu, operator: Exists}, {key: spot, operator: Equal, value: "true"}]
      """;
  private static final String LIVE = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: gpu-worker
        namespace: shop
        labels: %s
        managedFields: [{manager: %s, operation: %s, fieldsV1: {f:spec: {f:template: {f:spec: {f:tolerations: {}}}}}}]
      spec:
        selector: {matchLabels: {app: w}}
        template:
          metadata: {labels: {app: w}}
          spec:
            containers: [{name: w, image: w:1}]
            tolerations: [{key: gpu, operator: Exists, effect: NoSchedule}, {key: spot, operator: Equal, value: "true"}]
      """;
  private static final String OWNED = "{app.kubernetes.io/managed-by: gitops, gitops.dev/owner: web}";

  @Test
  void aFieldLeftOutOfAnElementOfAnOwnedAtomicListIsRemoved() {
    ResourceDiff d = diff(MANIFEST, LIVE.formatted(OWNED, "gitops", "Apply"));
    assertEquals(List.of("remove /spec/template/spec/tolerations/0/effect"), changes(d), show(d));
  }

  @Test
  void theLastAppliedRecordShowsTheSameRemoval() {
    ObjectNode live = yaml(LIVE.formatted(OWNED, "gitops", "Update"));
    ObjectNode applied = yaml(MANIFEST);
    ((ObjectNode) applied.at("/spec/template/spec/tolerations/0")).put("effect", "NoSchedule");
    ((ObjectNode) live.get("metadata")).putObject("annotations").put(Labels.APPLIED, AppliedRecord.encode(applied, false));
    ResourceDiff d = diff(KubernetesDiff.options(), yaml(MANIFEST), live);
    assertEquals(List.of("remove /spec/template/spec/tolerations/0/effect"), changes(d), show(d));
  }

  @Test
  void anAtomicListGitopsNeverAppliedOrNoLongerOwnsIsNotClaimed() {
    for (String manager : new String[] {"kubectl-create", "kubectl-edit"}) {
      String labels = manager.equals("kubectl-create") ? "{}" : OWNED; // adopted, or taken by an edit
      ResourceDiff d = diff(MANIFEST, LIVE.formatted(labels, manager, "Update"));
      assertTrue(d.isEmpty(), manager + ": " + show(d));
    }
  }

  @Test
  void fieldsTheServerFillsIntoAtomicListsAreNoRemovals() {
    String manifest = """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: db-1, namespace: shop}
        addressType: IPv4
        ports: [{port: 5432%s}]
        endpoints: [{addresses: [10.20.0.15]}]
        """;
    String live = """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: db-1
          namespace: shop
          labels: {app.kubernetes.io/managed-by: gitops, gitops.dev/owner: web}
          managedFields: [{manager: gitops, operation: Apply, fieldsV1: {f:addressType: {}, f:endpoints: {}, f:ports: {}}}]
        addressType: IPv4
        ports: [{name: "%s", port: 5432, protocol: %s}]
        endpoints: [{addresses: [10.20.0.15%s], conditions: {}}]
        """;
    ResourceDiff filled = diff(manifest.formatted(""), live.formatted("", "TCP", ""));
    assertTrue(filled.isEmpty(), show(filled));
    assertEquals(Map.of("default value", 3), hidden(filled), show(filled));
    ResourceDiff named = diff(manifest.formatted(""), live.formatted("postgres", "UDP", ", 10.20.0.16"));
    assertEquals(List.of("remove /endpoints/0/addresses/1", "remove /ports/0/name", "remove /ports/0/protocol"),
        changes(named), show(named));
    ResourceDiff kept = diff(manifest.formatted(", name: postgres, protocol: UDP"), live.formatted("postgres", "UDP", ""));
    assertTrue(kept.isEmpty(), show(kept));
  }

  @Test
  void siblingDefaultsInsideAtomicListsAreNoRemovals() {
    String binding = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: viewers, namespace: shop}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: view}
        subjects: [{kind: %s, name: ops}]
        """;
    String live = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: viewers
          namespace: shop
          labels: {app.kubernetes.io/managed-by: gitops, gitops.dev/owner: web}
          managedFields: [{manager: gitops, operation: Apply, fieldsV1: {f:roleRef: {}, f:subjects: {}}}]
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: view}
        subjects: [{apiGroup: %s, kind: %s, name: ops}]
        """;
    ResourceDiff group = diff(binding.formatted("Group"), live.formatted("rbac.authorization.k8s.io", "Group"));
    assertTrue(group.isEmpty(), show(group));
    assertEquals(Map.of("default value", 1), hidden(group), show(group));
    ResourceDiff other = diff(binding.formatted("Group"), live.formatted("example.com", "Group"));
    assertEquals(List.of("remove /subjects/0/apiGroup"), changes(other), show(other));
  }
}
