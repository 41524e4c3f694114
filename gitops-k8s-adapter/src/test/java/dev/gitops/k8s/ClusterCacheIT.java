package dev.gitops.k8s;

import static dev.gitops.k8s.Fixtures.await;
import static dev.gitops.k8s.Fixtures.ok;
import static dev.gitops.k8s.Fixtures.reconciler;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.apply.ApplyReport;
import dev.gitops.apply.Applier;
import dev.gitops.apply.Outcome;
import dev.gitops.plan.Plan;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.target.Scope;
import dev.gitops.testing.k8s.MockKubernetes;
import dev.gitops.testing.time.MutableClock;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20 item 1 on the CRUD mock, counting the requests it receives: a synced cache serves a
 * no-op reconcile without a single request; a write refused as stale is re-read from the server;
 * a refused watch falls back to LISTs and says so; a watch that closes is re-established; a watch
 * ended with 410 Gone (its version compacted away) is listed again, so a change it missed is seen:
 * fabric8's informer relists there, and the cache serves what it relisted (it relists after any
 * close as well, so this guards the informer's behaviour that the cache relies on).
 */
class ClusterCacheIT {
  @TempDir Path repo;
  private MockKubernetes cluster;
  private ClusterCache cache;

  @AfterEach
  void close() {
    if (cache != null) {
      cache.close();
    }
    cluster.close();
  }

  private KubernetesTarget cached(KubernetesClient client) {
    cache = ClusterCache.of(client);
    return KubernetesTarget.of(cache,
        KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH));
  }

  private void manifests(String configValue) throws Exception {
    Files.writeString(repo.resolve("app.yaml"), Fixtures.settingsAndAccount(configValue) + """
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: 8080, protocol: TCP}]
        """);
  }

  /**
   * A cold read starts the informer of every kind it needs before it waits for any of them: the owned
   * LIST of Services reaches the server while the answer to the ConfigMaps' one (the first kind read)
   * is held back, so before the ConfigMaps' WATCH, which their informer sends once that answer is in.
   * Read one kind after the other's sync, the Services' LIST came after that WATCH: a fleet's cold
   * start waited for 21 informers in a row before its first create.
   */
  @Test
  void aColdReadStartsTheInformersOfAllItsKindsBeforeWaitingForTheFirst() throws Exception {
    List<String> order = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    cluster = MockKubernetes.crud(new io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher() {
      @Override
      public io.fabric8.mockwebserver.http.MockResponse dispatch(io.fabric8.mockwebserver.http.RecordedRequest r) {
        String path = r.getPath();
        String owned = path.contains("labelSelector=gitops.dev%2Fowner") && "GET".equals(r.getMethod())
            ? (path.contains("watch=true") ? "WATCH " : "LIST ") + path.substring(0, path.indexOf('?')) : null;
        if (owned != null) {
          order.add(owned);
        }
        io.fabric8.mockwebserver.http.MockResponse answer = super.dispatch(r);
        return "LIST /api/v1/configmaps".equals(owned) ? answer.setBodyDelay(Duration.ofSeconds(2)) : answer;
      }
    });
    manifests("a");
    ok(reconciler(repo, cached(cluster.client())).reconcile(null));
    int services = order.indexOf("LIST /api/v1/services");
    int configWatch = order.indexOf("WATCH /api/v1/configmaps");
    assertTrue(services >= 0 && configWatch >= 0 && services < configWatch,
        "the Services' LIST waited for the ConfigMaps' informer: " + order);
  }

  @Test
  void aNoOpReconcileSendsNoRequestOnceTheCacheHasSynced() throws Exception {
    cluster = MockKubernetes.crud();
    manifests("a");
    Reconciler web = reconciler(repo, cached(cluster.client()));
    ok(web.reconcile(null));
    List<String> cold = cluster.requests();
    for (String plural : List.of("configmaps", "serviceaccounts", "services")) {
      for (String selector : List.of("gitops.dev%2Fowner&", "%21gitops.dev%2Fowner&")) { // owned, and the rest's keys
        assertEquals(1, cold.stream().filter(r -> r.startsWith("GET /api/v1/" + plural + "?")
            && r.contains("watch=true") && r.contains("labelSelector=" + selector)).count(),
            "one WATCH of " + plural + " with " + selector + ": " + cold);
      }
    }

    ReconcileResult noop = ok(web.reconcile(null));

    assertTrue(noop.plan().isEmpty(), noop.plan().render());
    assertEquals(List.of(), cluster.requests(), "a synced no-op sends nothing");
    assertTrue(cache.status().stream().allMatch(s -> s.mode().equals("watching")),
        cache.status().toString());
  }

  @Test
  void aReadWaitsForItsOwnersWritesOnlyNeverForAnotherOwnersStillOnTheirWay() throws Exception {
    cluster = MockKubernetes.crud();
    manifests("a");
    cache = ClusterCache.of(cluster.client(), ClusterCache.DEFAULT_MAX_STALENESS, Duration.ofMillis(300),
        Clock.systemUTC());
    Reconciler web = reconciler(repo, KubernetesTarget.of(cache,
        KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH)));
    ok(web.reconcile(null));
    ok(web.reconcile(null));
    cluster.requests();
    // another owner's write that the watch has not brought yet (a version it never brings)
    cache.internal().written(new KindInfo("", "v1", "ConfigMap", "configmaps", true), null,
        KubernetesTarget.OWNER_LABEL, "shop", "shop", "other", "99999999");

    assertTrue(ok(web.reconcile(null)).plan().isEmpty());

    assertEquals(List.of(), cluster.requests(), "no wait for another owner's write, no LIST");
  }

  @Test
  void aChangeIsAppliedAndTheNextReadWaitsForItThroughTheWatchWithoutListing() throws Exception {
    cluster = MockKubernetes.crud();
    manifests("a");
    Reconciler web = reconciler(repo, cached(cluster.client()));
    ok(web.reconcile(null));
    ok(web.reconcile(null));
    cluster.requests();

    manifests("b");
    ReconcileResult changed = ok(web.reconcile(null));
    assertEquals(1, changed.plan().changes().size(), changed.plan().render());
    ReconcileResult after = ok(web.reconcile(null));

    assertTrue(after.plan().isEmpty(), "the cache has the write: " + after.plan().render());
    assertEquals(List.of("PATCH /api/v1/namespaces/shop/configmaps/settings?fieldManager=gitops"),
        cluster.requests(), "one write, no read");
  }

  @Test
  void aWriteRefusedAsStaleIsReReadFromTheServerNotFromTheCache() throws Exception {
    cluster = MockKubernetes.crud();
    manifests("a");
    KubernetesTarget target = cached(cluster.client());
    Reconciler web = reconciler(repo, target);
    ok(web.reconcile(null));
    manifests("b");
    Plan plan = web.plan(null);
    assertEquals(1, plan.changes().size(), plan.render());
    cluster.client().configMaps().inNamespace("shop").withName("settings")
        .edit(cm -> { cm.getData().put("mode", "hand-edited"); return cm; });
    cluster.requests();

    ApplyReport report = new Applier().apply(plan, target, ApplyOptions.defaults().withSleeper(d -> { }));

    assertTrue(report.outcomes().stream().anyMatch(o -> o instanceof Outcome.Skipped s
        && s.reason().contains("HTTP 409")), "the server refuses the stale write: " + report.outcomes());
    cluster.requests();
    var read = target.read(Scope.owned("web"));
    List<String> requests = cluster.requests();
    assertTrue(requests.contains("GET /api/v1/configmaps?labelSelector=gitops.dev%2Fowner%3Dweb"),
        "ConfigMaps LISTed from the server after the 409: " + requests);
    assertEquals("hand-edited", ((dev.gitops.model.Content.Tree) read.get(
        dev.gitops.model.ResourceId.of("ConfigMap", "shop", "settings")).resource().content())
        .node().path("data").path("mode").asText());
  }

  @Test
  void eachOwnersObjectsAreComparedWithAListOnceMaxStalenessHasPassed() throws Exception {
    cluster = MockKubernetes.crud();
    manifests("a");
    MutableClock clock = new MutableClock(Instant.parse("2026-12-03T04:00:00Z"));
    cache = ClusterCache.of(cluster.client(), Duration.ofMinutes(10), Duration.ofSeconds(10), clock);
    Reconciler web = reconciler(repo, KubernetesTarget.of(cache,
        KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH)));
    ok(web.reconcile(null));
    ok(web.reconcile(null));
    cluster.requests();

    clock.advance(Duration.ofMinutes(9));
    ok(web.reconcile(null));
    assertEquals(List.of(), cluster.requests(), "within the bound: from the cache");
    clock.advance(Duration.ofMinutes(2));
    ok(web.reconcile(null));
    List<String> requests = cluster.requests();
    for (String plural : List.of("configmaps", "serviceaccounts", "services")) {
      assertTrue(requests.contains("GET /api/v1/" + plural + "?labelSelector=gitops.dev%2Fowner%3Dweb"),
          plural + " compared with a LIST past the bound: " + requests);
    }
    assertTrue(requests.stream().noneMatch(r -> r.contains("watch=true")),
        "the cache agreed with the LISTs: no restart: " + requests);
    ok(web.reconcile(null));
    assertEquals(List.of(), cluster.requests(), "then from the cache again");
  }

  @Test
  void aRefusedWatchFallsBackToListsAndSaysSo() throws Exception {
    WatchFaults refusing = new WatchFaults(WatchFaults.Fault.REFUSE);
    cluster = MockKubernetes.crud(refusing);
    manifests("a");
    Reconciler web = reconciler(repo, cached(cluster.client()));
    ok(web.reconcile(null));
    cluster.requests();

    ReconcileResult noop = ok(web.reconcile(null));

    assertTrue(noop.plan().isEmpty(), noop.plan().render());
    List<String> requests = cluster.requests();
    for (String plural : List.of("configmaps", "serviceaccounts", "services")) {
      assertTrue(requests.contains("GET /api/v1/" + plural + "?labelSelector=gitops.dev%2Fowner%3Dweb"),
          plural + " LISTed: " + requests);
    }
    assertTrue(requests.stream().noneMatch(r -> r.contains("watch=true")), "not asked again: " + requests);
    assertTrue(cache.status().stream().anyMatch(s -> s.mode().equals("listing")
        && s.detail().contains("HTTP 403")), cache.status().toString());
  }

  /** A reconciler of one ConfigMap (mode a) through a cache on the CRUD mock with {@code faults}, reconciled once. */
  private Reconciler settingsReconciled(WatchFaults faults) throws Exception {
    cluster = MockKubernetes.crud(faults);
    Files.writeString(repo.resolve("app.yaml"), """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: shop}
        data: {mode: a}
        """);
    Reconciler web = reconciler(repo, cached(cluster.client()));
    ok(web.reconcile(null));
    return web;
  }

  @Test
  void aWatchThatClosesIsReEstablished() throws Exception {
    WatchFaults closing = new WatchFaults(WatchFaults.Fault.CLOSE_FIRST);
    Reconciler web = settingsReconciled(closing);
    await(() -> closing.watches.get() >= 2 && cache.status().stream()
        .allMatch(s -> s.mode().equals("watching")), "a second WATCH after the first closed: "
        + closing.watches + " " + cache.status());
    Files.writeString(repo.resolve("app.yaml"), Files.readString(repo.resolve("app.yaml"))
        .replace("mode: a", "mode: b"));
    ok(web.reconcile(null));
    cluster.requests();

    ReconcileResult after = ok(web.reconcile(null));

    assertTrue(after.plan().isEmpty(), after.plan().render());
    assertEquals(List.of(), cluster.requests(), "the write arrived through the new watch");
  }

  @Test
  void aWatchEndedWithGoneIsListedAgainSoAChangeItMissedIsSeen() throws Exception {
    WatchFaults expiring = new WatchFaults(WatchFaults.Fault.EXPIRE_FIRST);
    Reconciler web = settingsReconciled(expiring);
    await(() -> expiring.silent != null, "the first watch of owned ConfigMaps");
    cluster.client().configMaps().inNamespace("shop").withName("settings")
        .edit(cm -> { cm.getData().put("mode", "by-hand"); return cm; }); // no event: the watch is silent

    expiring.expire();
    await(() -> expiring.watches.get() >= 2 && cache.status().stream().allMatch(s -> s.mode().equals("watching")),
        "a new WATCH after 410: " + cache.status());

    ReconcileResult repaired = ok(web.reconcile(null));
    assertEquals(1, repaired.plan().changes().size(), "the drift is seen: " + repaired.plan().render());
    assertEquals("a", cluster.client().configMaps().inNamespace("shop").withName("settings").get().getData()
        .get("mode"));
  }
}
