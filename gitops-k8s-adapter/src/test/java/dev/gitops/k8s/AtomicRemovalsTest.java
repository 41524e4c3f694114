package dev.gitops.k8s;

import static dev.gitops.k8s.SchemaDiffs.changes;
import static dev.gitops.k8s.SchemaDiffs.diff;
import static dev.gitops.k8s.SchemaDiffs.hidden;
import static dev.gitops.k8s.SchemaDiffs.show;
import static dev.gitops.k8s.SchemaDiffs.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.ResourceId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A field only the live value of an atomic list, map or struct has (a field of a list's element, a
 * key of a map, a field of a struct), in one {@code gitops} applied: applying again replaces the
 * whole value, so it is a removal unless the server's defaulting stores it again; a value
 * {@code gitops} never applied (or no longer owns) is never claimed.
 */
class AtomicRemovalsTest {
  /** One atomic value of a Deployment's pod template, Git leaving out what the live value has at {@code removed}. */
  private record Case(String podSpec, String owned, String livePodSpec, String removed, String appliedAt,
                      String appliedField, String appliedValue) {}

  private static final List<Case> CASES = List.of(
      new Case("tolerations: [{key: gpu, operator: Exists}, {key: spot, operator: Equal, value: \"true\"}]",
          "f:tolerations: {}",
          "tolerations: [{key: gpu, operator: Exists, effect: NoSchedule}, {key: spot, operator: Equal, value: \"true\"}]",
          "/spec/template/spec/tolerations/0/effect", "/spec/template/spec/tolerations/0", "effect", "NoSchedule"),
      new Case("nodeSelector: {disktype: ssd}", "f:nodeSelector: {}", "nodeSelector: {disktype: ssd, zone: eu-a}",
          "/spec/template/spec/nodeSelector/zone", "/spec/template/spec/nodeSelector", "zone", "eu-a"));
  private static final String OWNED = "{app.kubernetes.io/managed-by: gitops, gitops.dev/owner: web}";

  /** A Deployment {@code web} whose pod template's spec has one container and {@code podSpec}. */
  static String deployment(String podSpec) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          selector: {matchLabels: {app: w}}
          template:
            metadata: {labels: {app: w}}
            spec:
              containers: [{name: w, image: w:1}]
              %s
        """.formatted(podSpec.replace("\n", "\n      "));
  }

  /** {@link #deployment} as read back, with {@code labels} and one managedFields entry owning {@code podSpecFields}. */
  static String live(String labels, String manager, String operation, String podSpecFields, String podSpec) {
    return deployment(podSpec).replace("metadata: {name: web, namespace: shop}", ("metadata: {name: web, namespace: shop,"
        + " labels: %s, managedFields: [{manager: %s, operation: %s, fieldsV1: {f:spec: {f:template: {f:spec: {%s}}}}}]}")
        .formatted(labels, manager, operation, podSpecFields));
  }

  @Test
  void aFieldLeftOutOfAnOwnedAtomicValueIsRemoved() {
    for (Case c : CASES) {
      ResourceDiff d = diff(deployment(c.podSpec()), live(OWNED, "gitops", "Apply", c.owned(), c.livePodSpec()));
      assertEquals(List.of("remove " + c.removed()), changes(d), show(d));
    }
  }

  @Test
  void theLastAppliedRecordShowsTheSameRemoval() {
    for (Case c : CASES) {
      ObjectNode live = yaml(live(OWNED, "gitops", "Update", c.owned(), c.livePodSpec()));
      ObjectNode applied = yaml(deployment(c.podSpec()));
      ((ObjectNode) applied.at(c.appliedAt())).put(c.appliedField(), c.appliedValue());
      ((ObjectNode) live.get("metadata")).putObject("annotations").put(Labels.APPLIED, AppliedRecord.encode(applied, false));
      ResourceDiff d = diff(KubernetesDiff.options(), yaml(deployment(c.podSpec())), live);
      assertEquals(List.of("remove " + c.removed()), changes(d), show(d));
    }
  }

  @Test
  void anAtomicValueGitopsNeverAppliedOrNoLongerOwnsIsNotClaimed() {
    for (Case c : CASES) {
      for (String manager : new String[] {"kubectl-create", "kubectl-edit"}) {
        String labels = manager.equals("kubectl-create") ? "{}" : OWNED; // adopted, or taken by an edit
        ResourceDiff d = diff(deployment(c.podSpec()), live(labels, manager, "Update", c.owned(), c.livePodSpec()));
        assertTrue(d.isEmpty(), manager + ": " + show(d));
      }
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
    // a left-out protocol is stored as TCP: shown as it (SchemaField.storedWhenLeftOut); a name as "" (its zero): removed
    assertEquals(List.of("remove /endpoints/0/addresses/1", "remove /ports/0/name", "replace /ports/0/protocol"),
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
    assertEquals(List.of("replace /subjects/0/apiGroup"), changes(other), show(other)); // stored: rbac.authorization.k8s.io
  }

  @Test
  void aLabelLeftOutOfAnOwnedSelectorInsideAKeyedListIsRemoved() {
    String constraint = "{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {%s}}}";
    String owned = "f:topologySpreadConstraints: {'k:{\"topologyKey\":\"zone\",\"whenUnsatisfiable\":\"DoNotSchedule\"}':"
        + " {.: {}, f:labelSelector: {}, f:maxSkew: {}, f:topologyKey: {}, f:whenUnsatisfiable: {}}}";
    ResourceDiff d = diff(deployment("topologySpreadConstraints: [" + constraint.formatted("app: w") + "]"),
        live(OWNED, "gitops", "Apply", owned,
            "topologySpreadConstraints: [" + constraint.formatted("app: w, track: stable") + "]"));
    assertEquals(List.of("remove /spec/template/spec/topologySpreadConstraints/0/labelSelector/matchLabels/track"),
        changes(d), show(d));
  }

  @Test
  void fieldsTheServerStoresInOwnedAtomicStructsAreNoRemovals() {
    String manifest = deployment("").replace("containers: [{name: w, image: w:1}]",
        "containers: [{name: w, image: w:1, env: [{name: MEM, valueFrom: {resourceFieldRef: {resource: limits.memory}}}]}]");
    String owned = "f:containers: {'k:{\"name\":\"w\"}': {.: {}, f:image: {}, f:name: {},"
        + " f:env: {'k:{\"name\":\"MEM\"}': {.: {}, f:name: {}, f:valueFrom: {f:resourceFieldRef: {}}}}}}";
    String live = live(OWNED, "gitops", "Apply", owned, "").replace("containers: [{name: w, image: w:1}]",
        "containers: [{name: w, image: w:1, env: [{name: MEM, valueFrom: {resourceFieldRef: {resource: limits.memory,"
            + " divisor: \"%s\"}}}]}]");
    ResourceDiff stored = diff(manifest, live.formatted("0"));
    assertTrue(stored.isEmpty(), show(stored));
    assertEquals(Map.of("default value", 1), hidden(stored), show(stored));
    ResourceDiff applied = diff(manifest, live.formatted("1Mi")); // Git once said 1Mi: the removal stores "0"
    assertEquals(List.of("replace /spec/template/spec/containers/0/env/0/valueFrom/resourceFieldRef/divisor"),
        changes(applied), show(applied));
  }

  @Test
  void aFieldSaysWhenItsTypeIsGranularThoughTheTypeIsAtomic() {
    FieldSchema.Node pv = KubernetesSchema.builtin().root(new ResourceId("", "PersistentVolume", "", "pv"), null,
        yaml("{apiVersion: v1, kind: PersistentVolume, metadata: {name: pv}}"), null);
    FieldSchema.Node event = KubernetesSchema.builtin().root(new ResourceId("", "Event", "shop", "e"), null,
        yaml("{apiVersion: v1, kind: Event, metadata: {name: e}}"), null);
    assertFalse(pv.field("spec").field("claimRef").atomic(), "PersistentVolumeSpec.claimRef is granular");
    assertTrue(event.field("involvedObject").atomic(), "an ObjectReference is atomic");
    assertTrue(pv.field("spec").field("nodeAffinity").field("required").atomic(), "a NodeSelector is atomic");
    assertFalse(pv.field("spec").atomic(), "a PersistentVolumeSpec is granular");
  }
}
