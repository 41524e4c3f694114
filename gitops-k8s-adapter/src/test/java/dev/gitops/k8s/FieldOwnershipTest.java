package dev.gitops.k8s;

import static dev.gitops.k8s.SchemaDiffs.changes;
import static dev.gitops.k8s.SchemaDiffs.diff;
import static dev.gitops.k8s.SchemaDiffs.hidden;
import static dev.gitops.k8s.SchemaDiffs.show;
import static dev.gitops.k8s.SchemaDiffs.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.Content;
import dev.gitops.model.Observed;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Field ownership under server-side apply, from {@code metadata.managedFields}: what {@code gitops}
 * applied and Git no longer has is a removal; what other managers own is theirs.
 */
class FieldOwnershipTest {
  private static final String LIVE = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: shop
        resourceVersion: "12"
        labels: {app: web, tier: front, team: a, app.kubernetes.io/managed-by: gitops, gitops.dev/owner: web}
        annotations: {deployment.kubernetes.io/revision: "3", note: by-hand}
        managedFields:
        - manager: gitops
          operation: Apply
          apiVersion: apps/v1
          time: "2025-03-01T10:00:00Z"
          fieldsType: FieldsV1
          fieldsV1:
            f:metadata:
              f:labels: {f:app: {}, f:tier: {}, f:app.kubernetes.io/managed-by: {}, f:gitops.dev/owner: {}}
            f:spec:
              f:selector: {}
              f:template:
                f:metadata: {f:labels: {f:app: {}}}
                f:spec:
                  f:containers:
                    k:{"name":"web"}:
                      .: {}
                      f:name: {}
                      f:image: {}
                      f:ports:
                        k:{"containerPort":8080,"protocol":"TCP"}: {.: {}, f:containerPort: {}}
                        k:{"containerPort":9090,"protocol":"TCP"}: {.: {}, f:containerPort: {}}
        - manager: kube-controller-manager
          operation: Update
          apiVersion: apps/v1
          time: "2025-03-01T10:00:01Z"
          fieldsType: FieldsV1
          fieldsV1:
            f:metadata: {f:annotations: {.: {}, f:deployment.kubernetes.io/revision: {}}}
            f:spec: {f:replicas: {}}
        - manager: kubectl-edit
          operation: Update
          apiVersion: apps/v1
          time: "2025-03-02T08:00:00Z"
          fieldsType: FieldsV1
          fieldsV1:
            f:metadata: {f:labels: {f:team: {}}, f:annotations: {f:note: {}}}
        - manager: kube-controller-manager
          operation: Update
          subresource: status
          apiVersion: apps/v1
          fieldsType: FieldsV1
          fieldsV1: {f:status: {f:replicas: {}}}
      spec:
        replicas: 5
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - name: web
              image: web:2
              ports:
              - {containerPort: 8080, protocol: TCP}
              - {containerPort: 9090, protocol: TCP}
      status: {replicas: 5}
      """;

  private static final String MANIFEST = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: shop
        labels: {app: web, tier: front}
      spec:
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - name: web
              image: web:2
              ports:
              - {containerPort: 8080}
              - {containerPort: 9090}
      """;

  @Test
  void inSyncWhatOthersOwnIsCountedAsTheirs() {
    ResourceDiff d = diff(MANIFEST, LIVE);
    assertTrue(d.isEmpty(), show(d));
    assertEquals(Map.of("owned by kube-controller-manager", 1, "owned by kubectl-edit", 2), hidden(d),
        show(d));
  }

  @Test
  void whatGitopsAppliedAndGitDroppedIsARemoval() {
    String manifest = MANIFEST.replace("labels: {app: web, tier: front}", "labels: {app: web}")
        .replaceAll("\\n *- \\{containerPort: 9090}", "");
    ResourceDiff d = diff(manifest, LIVE);
    assertEquals(List.of("remove /metadata/labels/tier",
        "remove /spec/template/spec/containers/0/ports/1"), changes(d), show(d));
  }

  @Test
  void aFieldAnotherManagerOwnsIsShownWhenGitSetsItOtherwise() {
    ResourceDiff d = diff(MANIFEST.replace("spec:\n  selector", "spec:\n  replicas: 3\n  selector"), LIVE);
    assertEquals(List.of("replace /spec/replicas"), changes(d), show(d));
  }

  /**
   * A map or struct another manager owns only itself ({@code .}, or {@code {}} with nothing below)
   * stays when Git leaves it out: only what {@code gitops} applied in it goes, at any depth; an
   * atomic one that manager co-owns whole stays whole. Once hidden as that manager's, whole.
   */
  @Test
  void aMapOrStructAnotherManagerOwnsOnlyItselfLosesOnlyWhatGitopsApplied() {
    String live = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          annotations: {a: "1", b: "2"}
          labels: {app.kubernetes.io/managed-by: gitops, gitops.dev/owner: web}
          name: web
          namespace: shop
          managedFields:
          - {manager: gitops, operation: Apply, apiVersion: apps/v1, fieldsType: FieldsV1, fieldsV1: {
              f:metadata: {f:annotations: {f:a: {}}, f:labels: {f:app.kubernetes.io/managed-by: {}, f:gitops.dev/owner: {}}},
              f:spec: {f:template: {f:spec: {f:nodeSelector: {}, f:securityContext: {f:runAsUser: {}}}}}}}
          - {manager: kubectl-create, operation: Update, apiVersion: apps/v1, fieldsType: FieldsV1, fieldsV1: {
              f:metadata: {f:annotations: {.: {}}},
              f:spec: {f:template: {f:spec: {f:nodeSelector: {}, f:securityContext: {}}}}}}
        spec:
          template:
            spec:
              nodeSelector: {disk: ssd}
              securityContext: {runAsUser: 1000}
        """;
    ResourceDiff d = diff("{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: shop}}", live);
    assertEquals(List.of("remove /metadata/annotations/a", "remove /spec/template/spec/securityContext/runAsUser"),
        changes(d), show(d));
    assertEquals(Map.of("owned by kubectl-create", 1), hidden(d), show(d)); // the atomic nodeSelector
  }

  /**
   * A set and a keyed list of atomic elements Git drops whole, which another manager keeps (it owns
   * something in each): the field stays, every element {@code gitops} applied and that manager does
   * not own goes (a finalizer, an owner reference whole), the manager's own stay, owned whole.
   */
  @Test
  void aSetOrKeyedListAnotherManagerKeepsLosesTheElementsOnlyGitopsApplied() {
    String live = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: cfg
          namespace: shop
          labels: {app.kubernetes.io/managed-by: gitops, gitops.dev/owner: web}
          finalizers: [example.com/a, example.com/b]
          ownerReferences:
          - {apiVersion: v1, kind: ConfigMap, name: p, uid: u1}
          - {apiVersion: v1, kind: ConfigMap, name: q, uid: u2}
          managedFields:
          - {manager: gitops, operation: Apply, apiVersion: v1, fieldsType: FieldsV1, fieldsV1: {f:metadata: {
              f:labels: {f:app.kubernetes.io/managed-by: {}, f:gitops.dev/owner: {}},
              f:finalizers: {'v:"example.com/a"': {}, 'v:"example.com/b"': {}},
              f:ownerReferences: {'k:{"uid":"u1"}': {}, 'k:{"uid":"u2"}': {}}}}}
          - {manager: janitor, operation: Update, apiVersion: v1, fieldsType: FieldsV1, fieldsV1: {f:metadata: {
              f:finalizers: {'v:"example.com/b"': {}}, f:ownerReferences: {'k:{"uid":"u2"}': {}}}}}
        """;
    ResourceDiff d = diff("{apiVersion: v1, kind: ConfigMap, metadata: {name: cfg, namespace: shop}}", live);
    assertEquals(List.of("remove /metadata/finalizers/0", "remove /metadata/ownerReferences/0"), changes(d), show(d));
    assertEquals(Map.of("owned by janitor", 2), hidden(d), show(d));
  }

  @Test
  void theReaderKeepsOursAsTheRecordAndOnlyTheOthersTrimmed() {
    Observed o = KubernetesTarget.observed(yaml(LIVE));
    JsonNode applied = ((Content.Tree) o.lastApplied()).node();
    assertEquals(yaml("""
        metadata: {labels: {app: true, tier: true}}
        spec:
          selector: true
          template:
            metadata: {labels: {app: true}}
            spec:
              containers:
              - name: web
                image: true
                ports:
                - {containerPort: 8080}
                - {containerPort: 9090}
        """), applied);
    JsonNode kept = ((Content.Tree) o.resource().content()).node().path("metadata").path("managedFields");
    assertEquals(2, kept.size(), kept.toString());
    assertEquals("kube-controller-manager", kept.get(0).path("manager").asText());
    assertFalse(kept.get(0).has("time"), kept.toString());
    assertFalse(kept.toString().contains("f:status"), kept.toString());
  }
}
