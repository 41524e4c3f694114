package dev.gitops.k8s;

import static dev.gitops.k8s.Fixtures.await;
import static dev.gitops.k8s.Fixtures.ok;
import static dev.gitops.k8s.Fixtures.reconciler;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.ActualState;
import dev.gitops.model.DesiredState;
import dev.gitops.model.ResourceId;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.target.ForwardingTarget;
import dev.gitops.target.Scope;
import dev.gitops.testing.k8s.MockKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20's cached no-op: while neither the files nor the owner's watched objects change, a
 * reconcile through a {@link ClusterCache} neither reads nor plans (the target's state token is
 * unchanged); drift that the watch sees changes the token, and the next reconcile repairs it.
 */
class CachedNoOpIT {
  private static final ResourceId SETTINGS = ResourceId.of("ConfigMap", "shop", "settings");
  @TempDir Path repo;
  private MockKubernetes cluster;
  private ClusterCache cache;
  private KubernetesTarget target;
  private final AtomicInteger reads = new AtomicInteger();
  private Reconciler web;

  @BeforeEach
  void start() throws Exception {
    cluster = MockKubernetes.crud();
    cache = ClusterCache.of(cluster.client());
    target = KubernetesTarget.of(cache, KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH));
    ForwardingTarget counted = new ForwardingTarget(target) {
      @Override public ActualState read(Scope scope, DesiredState desired) {
        reads.incrementAndGet();
        return super.read(scope, desired);
      }
    };
    web = reconciler(repo, counted);
    manifests("a");
  }

  @AfterEach
  void close() {
    cache.close();
    cluster.close();
  }

  private void manifests(String mode) throws Exception {
    Files.writeString(repo.resolve("app.yaml"), Fixtures.settingsAndAccount(mode));
  }

  private Optional<String> token() {
    return target.stateToken(Scope.of("web", Set.of(SETTINGS, ResourceId.of("ServiceAccount", "shop", "web"))));
  }

  /** Applies the files, waits until the cache vouches for what they made, and plans them again (empty). */
  private void converged() {
    ok(web.reconcile(null));
    await(() -> token().isPresent(), "the cache vouches for the owner's objects once read through it");
    assertTrue(ok(web.reconcile(null)).plan().isEmpty());
  }

  @Test
  void aSyncedNoOpNeitherReadsNorPlansAgain() throws Exception {
    converged();
    int before = reads.get();
    cluster.requests();

    ReconcileResult noop = ok(web.reconcile(null));

    assertTrue(noop.plan().isEmpty(), noop.plan().render());
    assertEquals(before, reads.get(), "not read again");
    assertEquals(List.of(), cluster.requests());
    manifests("b");
    assertEquals(1, ok(web.reconcile(null)).plan().changes().size(), "a change of the files is planned");
    assertEquals(before + 1, reads.get());
  }

  @Test
  void driftTheWatchSeesChangesTheTokenAndIsRepaired() throws Exception {
    converged();
    Optional<String> synced = token();

    cluster.client().configMaps().inNamespace("shop").withName("settings")
        .edit(cm -> { cm.getData().put("mode", "hand-edited"); return cm; });
    await(() -> !token().equals(synced), "the token moves once the watch brings the edit");
    ReconcileResult repair = ok(web.reconcile(null));

    assertEquals(List.of(SETTINGS), repair.plan().changes().stream().map(a -> a.id()).toList(),
        repair.plan().render());
    assertTrue(ok(web.reconcile(null)).plan().isEmpty());
    await(() -> token().isPresent(), "the repair's write is in the cache");
    assertTrue(ok(web.reconcile(null)).plan().isEmpty());
    Optional<String> repaired = token();
    cluster.client().serviceAccounts().inNamespace("shop").withName("web").delete();
    await(() -> !token().equals(repaired), "the token moves once the watch brings the delete");
    assertFalse(ok(web.reconcile(null)).plan().isEmpty(), "a deleted object is created again");
  }
}
