package dev.gitops.k8s;

import static dev.gitops.k8s.Fixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Problem;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.PlanOptions;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.target.TargetException;
import dev.gitops.testing.k8s.MockKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What gitops keeps for itself in the inventory namespace (kind inventories, deploy history, lock
 * and shard Leases) carries no owner label: a desired object named like one, with adoption on,
 * would be taken over. The target refuses such a desired state before reading or writing, naming
 * file, line and resource, and refuses any step on one.
 */
class BookkeepingIT {
  @TempDir Path repo;
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud();
  private final KubernetesTarget target = KubernetesTarget.of(cluster.client(),
      KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH));

  private Reconciler reconciler(String owner, String yaml) throws Exception {
    Path dir = Files.createDirectories(repo.resolve(owner));
    Files.writeString(dir.resolve("app.yaml"), yaml);
    return Reconciler.builder().name(owner).source(DirectorySource.of(dir))
        .loader(new ManifestLoader()).target(target).prune(true)
        .planOptions(target.planDefaults().withAdoption(PlanOptions.Adoption.ADOPT))
        .applyOptions(ApplyOptions.defaults().withSleeper(d -> { })).build();
  }

  private String inventory(String owner) {
    var cm = cluster.client().configMaps().inNamespace("default").withName("gitops-kinds-" + owner).get();
    return cm == null ? null : cm.getData().get("kinds");
  }

  /** {@return the kind inventory of owner {@code web}}, after its first reconcile wrote it */
  private String webApplied() throws Exception {
    ok(reconciler("web", """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: shop}
        """).reconcile(null));
    String kinds = inventory("web");
    assertNotNull(kinds);
    return kinds;
  }

  @Test
  void aDesiredStateNamingWhatGitopsKeepsIsRefusedBeforeAnyWrite() throws Exception {
    String webKinds = webApplied();

    Reconciler api = reconciler("api", """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: api, namespace: shop}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: gitops-kinds-web}
        data: {kinds: ""}
        ---
        apiVersion: coordination.k8s.io/v1
        kind: Lease
        metadata: {name: gitops-lock-web, namespace: default}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: gitops-kinds-web, namespace: shop}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: gitops-kinds, namespace: default}
        """);
    cluster.requests();
    var e = assertThrows(InvalidDesiredStateException.class, () -> api.reconcile(null));

    assertEquals(List.of(
        "app.yaml:5: ConfigMap/default/gitops-kinds-web: it names a kind inventory gitops keeps for"
            + " itself in the namespace default: it cannot be a desired object; rename it or move it to"
            + " another namespace",
        "app.yaml:10: coordination.k8s.io/Lease/default/gitops-lock-web: it names a lock gitops keeps"
            + " for itself in the namespace default: it cannot be a desired object; rename it or move"
            + " it to another namespace",
        "app.yaml:18: ConfigMap/default/gitops-kinds: it names a kind inventory gitops keeps for"
            + " itself in the namespace default: it cannot be a desired object; rename it or move it to"
            + " another namespace"),
        e.problems().stream().map(Problem::toString).toList(), "the same name elsewhere is fine");
    assertEquals(webKinds, inventory("web"), "web's inventory is untouched");
    assertEquals(null, inventory("api"), "nothing written for api");
    assertTrue(cluster.requests().stream().allMatch(r -> r.startsWith("GET ")), "nothing written");
  }

  @Test
  void aStepOnWhatGitopsKeepsIsRefused() throws Exception {
    webApplied();
    String version = cluster.client().configMaps().inNamespace("default").withName("gitops-kinds-web")
        .get().getMetadata().getResourceVersion();
    ResourceId inventory = ResourceId.of("ConfigMap", "default", "gitops-kinds-web");

    var e = assertThrows(TargetException.class,
        () -> target.apply(new Action.Delete(inventory, version), "web"));
    assertTrue(e.getMessage().contains("refused to delete it: it names a kind inventory gitops keeps"),
        e.getMessage());
    assertNotNull(inventory("web"));
    for (String name : List.of(KubernetesTarget.HISTORY_CONFIG_MAP, "gitops-kinds-other")) {
      assertNotNull(Bookkeeping.problem(ResourceId.of("ConfigMap", "default", name), "default"), name);
    }
    for (String name : List.of(KubernetesTarget.LOCK_LEASE, "gitops-shard-g-me")) {
      assertNotNull(Bookkeeping.problem(new ResourceId("coordination.k8s.io", "Lease", "default", name),
          "default"), name);
    }
    assertEquals(null,
        Bookkeeping.problem(ResourceId.of("Secret", "default", "gitops-kinds-web"), "default"));
    assertEquals(null, Bookkeeping.problem(ResourceId.of("ConfigMap", "default", "settings"), "default"));
  }
}
