package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gitops.source.LoaderContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ClaimRules} through {@link ManifestLoader}: a PersistentVolumeClaim without access modes
 * or a storage request, which the API server refuses (422 at the write of its wave; the mock takes
 * it), is a problem at its line; a claim with both loads, from a data source too.
 */
class ClaimRulesTest {
  private static final String REFUSED = ": the API server refuses the object";

  @Test
  void aClaimWithoutAccessModesOrAStorageRequestIsAProblemAtItsLine() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data, namespace: shop}
        spec:
          storageClassName: fast
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: copy, namespace: shop}
        spec:
          accessModes: []
          dataSource: {kind: PersistentVolumeClaim, name: data}
          resources:
            limits: {storage: 1Gi}
            requests:
              cpu: "1"
        """);
    String modes = "spec.accessModes: none given; a claim names at least one (ReadWriteOnce, ReadOnlyMany,"
        + " ReadWriteMany or ReadWriteOncePod)" + REFUSED;
    String storage = "spec.resources.requests.storage: left out; a claim asks for an amount of storage, as 1Gi"
        + REFUSED;
    assertEquals(List.of(
        "app.yaml:5: PersistentVolumeClaim/shop/data: " + modes,
        "app.yaml:5: PersistentVolumeClaim/shop/data: " + storage,
        "app.yaml:11: PersistentVolumeClaim/shop/copy: " + modes,
        "app.yaml:16: PersistentVolumeClaim/shop/copy: " + storage), found);
  }

  @Test
  void aClaimWithAnAccessModeAndAStorageRequestLoads() {
    new ManifestLoader().load(LoaderContract.snapshot("app.yaml", """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data, namespace: shop}
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: copy, namespace: shop}
        spec:
          accessModes: [ReadWriteOncePod]
          dataSourceRef: {kind: PersistentVolumeClaim, name: data}
          resources: {requests: {storage: 1Gi}}
        """));
  }

  @Test
  void aStatefulSetsClaimTemplateIsHeldToTheSameAtItsLine() {
    // from 1.34 the server validates each template's spec as a claim's (kubernetes#132212)
    String set = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: shop}
        spec:
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              containers: [{name: db, image: postgres, volumeMounts: [{name: data, mountPath: /d}, {name: wal, mountPath: /w}]}]
          volumeClaimTemplates:
          - metadata: {name: data}
            spec:
              resources: {requests: {storage: 1Gi}}
          - metadata: {name: wal}
            spec:
              accessModes: [ReadWriteOnce]
        """;
    assertEquals(List.of(
        "app.yaml:14: apps/StatefulSet/shop/db: spec.volumeClaimTemplates[0].spec.accessModes: none given; a claim"
            + " names at least one (ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod)" + REFUSED,
        "app.yaml:17: apps/StatefulSet/shop/db: spec.volumeClaimTemplates[1].spec.resources.requests.storage: left"
            + " out; a claim asks for an amount of storage, as 1Gi" + REFUSED), Fixtures.loadProblems(set));
    new ManifestLoader().load(LoaderContract.snapshot("app.yaml", set.replace("    spec:\n      resources",
        "    spec:\n      accessModes: [ReadWriteOnce]\n      resources") + "      resources: {requests: {storage: 1Gi}}\n"));
  }
}
