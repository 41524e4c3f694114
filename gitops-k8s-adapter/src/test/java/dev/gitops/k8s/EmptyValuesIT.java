package dev.gitops.k8s;

import static dev.gitops.k8s.Fixtures.ok;
import static dev.gitops.k8s.Fixtures.reconciler;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gitops.reconcile.Reconciler;
import dev.gitops.testing.k8s.MockKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys with nothing after them, as a Helm template that renders no labels or annotations leaves
 * them ({@code labels:}, {@code annotations:}, a ConfigMap's {@code EXTRA:}): applied as kubectl
 * applies them (the maps absent, the ConfigMap value {@code ""}), and the next run is a no-op.
 * The write used to fail on the null labels.
 */
class EmptyValuesIT {
  @TempDir Path repo;
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud();

  @Test
  void emptyLabelsAnnotationsAndValuesApplyAndThenStayInSync() throws Exception {
    Files.writeString(repo.resolve("app.yaml"), """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: web
          namespace: shop
          labels:
          annotations:
        data:
          EXTRA:
          MODE: fast
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: shop
          annotations:
        spec:
          selector:
          ports:
          - port: 80
        """);
    Reconciler web = reconciler(repo, KubernetesTarget.of(cluster.client(),
        KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH)));

    assertEquals(2, ok(web.reconcile(null)).plan().changes().size());
    assertEquals(0, ok(web.reconcile(null)).plan().changes().size(), "in sync on the next run");

    var cm = cluster.client().configMaps().inNamespace("shop").withName("web").get();
    assertEquals(Map.of("EXTRA", "", "MODE", "fast"), cm.getData());
    assertEquals("web", cm.getMetadata().getLabels().get(KubernetesTarget.OWNER_LABEL));
  }
}
