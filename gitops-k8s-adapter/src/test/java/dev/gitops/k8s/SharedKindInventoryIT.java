package dev.gitops.k8s;

import static dev.gitops.k8s.Fixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.testing.k8s.MockKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20 on the CRUD mock: the targets of one {@link ClusterCache} keep one kind inventory
 * ({@code gitops-kinds}) for all their owners, so a fleet's cold start writes it once; a kind
 * stays in it while any owner's object of it remains, and a restarted cache still prunes kinds
 * that left Git. An owner's own inventory from a bare target is still honoured. Each cache reads
 * through a client of its own, as a process of its own would; the test looks through another.
 */
class SharedKindInventoryIT {
  private final List<AutoCloseable> opened = new java.util.ArrayList<>();
  @TempDir Path web;
  @TempDir Path shop;
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud();

  /**
   * A cache on a client of its own, as a process of its own holds, closed after the test: a request
   * to the mock right after a client's watches closed can wait for its whole timeout (the mock's, as
   * seen only there), so nothing is closed before the test has looked.
   */
  private ClusterCache cache() {
    var client = cluster.newClient();
    ClusterCache cache = ClusterCache.of(client);
    opened.add(client);
    opened.add(cache);
    return cache;
  }

  @org.junit.jupiter.api.AfterEach
  void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  private static String configMap(String ns) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: " + ns + "}\ndata: {mode: a}\n";
  }

  private static String service(String ns) {
    return "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: " + ns + "}\n"
        + "spec:\n  ports: [{port: 80, protocol: TCP}]\n";
  }

  private static void manifests(Path repo, String... docs) throws Exception {
    Files.writeString(repo.resolve("app.yaml"), String.join("\n---\n", docs));
  }

  private static Reconciler reconciler(String owner, Path repo, dev.gitops.target.Target target) {
    return Reconciler.builder().name(owner).source(DirectorySource.of(repo))
        .loader(new ManifestLoader()).target(target).prune(true)
        .applyOptions(ApplyOptions.defaults().withSleeper(d -> { })).build();
  }

  private static KubernetesTarget.Options options() {
    return KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH);
  }

  private String inventory(String name) {
    var cm = cluster.client().configMaps().inNamespace("default").withName(name).get();
    return cm == null ? null : cm.getData().get("kinds");
  }

  private int services(String ns) {
    return cluster.client().services().inNamespace(ns).list().getItems().size();
  }

  @Test
  void theTargetsOfACacheRecordTheirKindsInOneInventoryWrittenOnce() throws Exception {
    manifests(web, configMap("web"), service("web"));
    manifests(shop, configMap("shop"), service("shop"));
    cluster.requests();
    ClusterCache cache = cache();
    ok(reconciler("web", web, KubernetesTarget.of(cache, options())).reconcile(null));
    ok(reconciler("shop", shop, KubernetesTarget.of(cache, options())).reconcile(null));

    List<String> inventoryWrites = MockKubernetes.writes(cluster.requests()).stream()
        .filter(w -> w.contains("/namespaces/default/configmaps")).toList();
    assertEquals(List.of("POST /api/v1/namespaces/default/configmaps"), inventoryWrites,
        "one write for both owners");
    assertEquals("/ConfigMap\n/Service\n", inventory(KindSheets.SHARED));
    assertEquals(java.util.Map.of(KindInventory.LABEL, "", "app.kubernetes.io/managed-by", "gitops"),
        cluster.client().configMaps().inNamespace("default").withName(KindSheets.SHARED).get()
            .getMetadata().getLabels());
    assertNull(inventory("gitops-kinds-web"), "no inventory of an owner's own");
  }

  @Test
  void aKindStaysWhileAnyOwnerHasObjectsOfItAndIsForgottenWithTheLast() throws Exception {
    manifests(web, configMap("web"), service("web"));
    manifests(shop, configMap("shop"), service("shop"));
    // two processes (a fleet's two replicas, say): neither knows what the other's reconcilers want
    ClusterCache one = cache();
    ClusterCache two = cache();
    Reconciler w = reconciler("web", web, KubernetesTarget.of(one, options()));
    Reconciler s = reconciler("shop", shop, KubernetesTarget.of(two, options()));
    ok(w.reconcile(null));
    ok(s.reconcile(null));

    manifests(web, configMap("web"));
    ok(w.reconcile(null));
    assertEquals(0, services("web"), "web's Service is pruned");
    for (int i = 0; i < 100 && !cached(one, "/Service ", "1 objects"); i++) {
      Thread.sleep(20); // the prune reaches the cache
    }
    ok(w.reconcile(null)); // web owns no Service now, and nobody here wants one
    assertEquals("/ConfigMap\n/Service\n", inventory(KindSheets.SHARED), "shop still has a Service");

    manifests(shop, configMap("shop"));
    ok(s.reconcile(null));
    for (int i = 0; i < 100 && !cached(two, "/Service ", "0 objects"); i++) {
      Thread.sleep(20);
    }
    ok(s.reconcile(null));
    assertEquals(0, services("shop"));
    assertEquals("/ConfigMap\n", inventory(KindSheets.SHARED), "no owner's Service is left");
    cluster.requests();
    ClusterCache restarted = cache();
    ok(reconciler("web", web, KubernetesTarget.of(restarted, options())).reconcile(null));
    List<String> requests = cluster.requests();
    assertTrue(requests.stream().noneMatch(r -> r.contains("/services")), "no LIST of services: " + requests);
  }

  private static boolean cached(ClusterCache cache, String kind, String detail) {
    return cache.status().stream().anyMatch(s -> s.kind().startsWith(kind) && s.detail().equals(detail));
  }

  @Test
  void aRestartedCachePrunesAKindThatLeftGitWhileItWasDown() throws Exception {
    manifests(web, configMap("web"), service("web"));
    ClusterCache cache = cache();
    ok(reconciler("web", web, KubernetesTarget.of(cache, options())).reconcile(null));
    manifests(web, configMap("web"));
    ClusterCache restarted = cache();
    ok(reconciler("web", web, KubernetesTarget.of(restarted, options())).reconcile(null));
    assertEquals(0, services("web"), "pruned: the shared inventory still listed Services");
  }

  @Test
  void anOwnersOwnInventoryIsStillReadAndItsKindsForgottenThere() throws Exception {
    manifests(web, configMap("web"), service("web"));
    ok(reconciler("web", web, KubernetesTarget.of(cluster.client(), options())).reconcile(null)); // a bare target
    assertEquals("/ConfigMap\n/Service\n", inventory("gitops-kinds-web"));

    manifests(web, configMap("web"));
    ClusterCache cache = cache();
    Reconciler w = reconciler("web", web, KubernetesTarget.of(cache, options()));
    ok(w.reconcile(null));
    assertEquals(0, services("web"), "the kind only the owner's own inventory held is pruned");
    ok(w.reconcile(null));
    assertEquals("/ConfigMap\n", inventory("gitops-kinds-web"), "forgotten there");
  }

  @Test
  void aKindAMemberWantsIsNotForgottenBeforeItsFirstObjectIsWritten() {
    KindGroup group = new KindGroup(new KindSheets(cluster.client(), "default", null));
    group.read();
    group.wanted("shop", Set.of("/Service"));
    group.add(Set.of("/ConfigMap"), Set.of("/ConfigMap"));
    assertEquals("/ConfigMap\n/Service\n", inventory(KindSheets.SHARED), "recorded with what shop wants");

    group.forget("/Service", () -> true); // web's read: no owned Service anywhere yet
    assertEquals("/ConfigMap\n/Service\n", inventory(KindSheets.SHARED), "shop is about to create one");

    group.wanted("shop", Set.of("/ConfigMap"));
    group.forget("/Service", () -> false);
    assertEquals("/ConfigMap\n/Service\n", inventory(KindSheets.SHARED), "an owner's Service is left");
    group.forget("/Service", () -> true);
    assertEquals("/ConfigMap\n", inventory(KindSheets.SHARED));
  }
}
