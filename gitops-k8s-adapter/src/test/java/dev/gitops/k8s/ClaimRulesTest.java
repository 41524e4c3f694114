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
}
