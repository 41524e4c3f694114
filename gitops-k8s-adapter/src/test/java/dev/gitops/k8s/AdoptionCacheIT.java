package dev.gitops.k8s;

import static dev.gitops.k8s.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.apply.ApplyReport;
import dev.gitops.apply.Applier;
import dev.gitops.apply.Outcome;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanOptions;
import dev.gitops.plan.PlanRefusedException;
import dev.gitops.plan.Planner;
import dev.gitops.target.Scope;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The adoption check through a {@link ClusterCache} (issue 20, the fleet's cold start): once the
 * cache has synced, desired objects that exist nowhere cost no request; one that exists unowned is
 * still found (and read from the server) and adopted; one created behind the cache's back is seen
 * through the watch, or its create is refused and the next check asks the server; and the reads
 * and plans are those of a target without a cache, whatever the cluster holds.
 */
class AdoptionCacheIT {
  private static final KubernetesTarget.Options OPTIONS =
      KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH);
  private MockKubernetes cluster;
  private ClusterCache cache;
  private KubernetesTarget cached;
  private final Planner planner = new Planner();

  @BeforeEach
  void start() {
    cluster = MockKubernetes.crud();
    cache = ClusterCache.of(cluster.client());
    cached = KubernetesTarget.of(cache, OPTIONS);
  }

  @AfterEach
  void stop() {
    cache.close();
    cluster.close();
  }

  private static Resource configMap(String namespace, String name, String value) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("apiVersion", "v1").put("kind", "ConfigMap");
    node.putObject("metadata").put("name", name).put("namespace", namespace);
    node.putObject("data").put("key", value);
    return Resource.of(ResourceId.of("ConfigMap", namespace, name), new Content.Tree(node));
  }

  private static List<Resource> configMaps(String namespace, int n) {
    List<Resource> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(configMap(namespace, "cm-" + i, "v"));
    }
    return out;
  }

  /** Creates a ConfigMap behind the targets' back, owned by {@code owner} (null: nobody). */
  private void put(String namespace, String name, String owner) {
    var cm = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace)
        .endMetadata().addToData("key", "hand-made").build();
    if (owner != null) {
      cm.getMetadata().setLabels(java.util.Map.of(KubernetesTarget.OWNER_LABEL, owner));
    }
    cluster.client().configMaps().inNamespace(namespace).resource(cm).create();
  }

  private Plan plan(KubernetesTarget target, String owner, List<Resource> desired) {
    Set<ResourceId> ids = desired.stream().map(Resource::id).collect(Collectors.toSet());
    return planner.plan(DesiredState.of(desired), target.read(Scope.of(owner, ids)),
        target.planDefaults().withOwner(owner).withAdoption(PlanOptions.Adoption.ADOPT));
  }

  /** Plans until the cache's feeds (ConfigMaps with and without the owner label) are all watching. */
  private void warm(String owner, List<Resource> desired) {
    plan(cached, owner, desired);
    await(this::allWatching, "the owned feeds watching: " + cache.status());
    plan(cached, owner, desired); // the owned feeds watch now: the presence feed starts
    await(() -> allWatching() && cache.status().stream()
        .anyMatch(s -> s.kind().equals("/ConfigMap without label " + KubernetesTarget.OWNER_LABEL)),
        "the presence feed watching: " + cache.status());
  }

  private boolean allWatching() {
    return cache.status().stream().allMatch(s -> s.mode().equals("watching"));
  }

  @Test
  void aPlanOfNewObjectsSendsNoAdoptionRequestOnceTheCacheHasSynced() {
    List<Resource> desired = configMaps("shop", 20); // more than 8: without the cache, one unfiltered LIST
    desired.add(configMap("web", "settings", "v"));   // one: without the cache, a GET
    warm("shop", desired);
    cluster.requests();

    Plan plan = plan(cached, "shop", desired);

    assertEquals(21, plan.counts().get(Action.Kind.CREATE), plan.render());
    assertEquals(List.of(), cluster.requests(), "no GET, no LIST: the cache knows none exists");
  }

  @Test
  void aPreExistingUnownedObjectIsFoundThroughTheCacheAndReadFromTheServer() {
    put("shop", "cm-3", null);
    put("shop", "cm-5", "someone-else");
    List<Resource> desired = configMaps("shop", 20);
    warm("warm-up", List.of(configMap("other", "x", "v")));
    cluster.requests();

    Plan plan = plan(cached, "shop", desired.stream().filter(r -> !r.id().name().equals("cm-5")).toList());

    assertEquals(Action.Kind.ADOPT, plan.action(ResourceId.of("ConfigMap", "shop", "cm-3")).orElseThrow().kind(),
        plan.render());
    assertEquals(18, plan.counts().get(Action.Kind.CREATE), plan.render());
    assertEquals(List.of("GET /api/v1/namespaces/shop/configmaps/cm-3"), cluster.requests(),
        "only the object that exists is read");
    PlanRefusedException refused = org.junit.jupiter.api.Assertions.assertThrows(PlanRefusedException.class,
        () -> plan(cached, "shop", desired));
    assertTrue(refused.getMessage().contains("owner: 'someone-else'"), refused.getMessage());
  }

  @Test
  void anObjectCreatedAfterTheCacheSyncedIsSeenThroughTheWatch() {
    List<Resource> desired = configMaps("shop", 3);
    warm("shop", desired);
    put("shop", "cm-1", null);
    await(() -> plan(cached, "shop", desired).action(ResourceId.of("ConfigMap", "shop", "cm-1"))
        .orElseThrow().kind() == Action.Kind.ADOPT, "the watch brings the new object");
  }

  @Test
  void aCreateRefusedBecauseTheObjectAppearedMakesTheNextCheckAskTheServer() {
    stop();
    cluster = MockKubernetes.crud(new SilentWatch("%21")); // the cache never learns of cm-1
    cache = ClusterCache.of(cluster.client());
    cached = KubernetesTarget.of(cache, OPTIONS);
    List<Resource> desired = configMaps("shop", 3);
    warm("shop", desired);
    Plan stale = plan(cached, "shop", desired);
    put("shop", "cm-1", null); // behind the plan's back and the cache's
    assertEquals(Action.Kind.CREATE, plan(cached, "shop", desired).action(ResourceId.of("ConfigMap", "shop",
        "cm-1")).orElseThrow().kind(), "the cache is stale (as a lagging watch would leave it)");

    ApplyReport report = new Applier().apply(stale, cached, ApplyOptions.defaults().withSleeper(d -> { }));

    assertTrue(report.outcomes().stream().anyMatch(o -> !(o instanceof Outcome.Applied)
        && o.action().id().name().equals("cm-1")), "the server refuses the create: " + report.outcomes());
    cluster.requests();
    Plan next = plan(cached, "shop", desired);
    assertEquals(Action.Kind.ADOPT, next.action(ResourceId.of("ConfigMap", "shop", "cm-1")).orElseThrow().kind(),
        next.render());
    assertTrue(cluster.requests().contains("GET /api/v1/namespaces/shop/configmaps/cm-1"),
        "after a refused write the check asks the server, never the cache alone");
  }

  @Test
  void anotherReconcilersWriteNotInTheCacheYetIsAskedOfTheServer() {
    stop();
    cluster = MockKubernetes.crud(new SilentWatch("gitops.dev%2Fowner&")); // owned objects: never an event
    cache = ClusterCache.of(cluster.client(), ClusterCache.DEFAULT_MAX_STALENESS, Duration.ofMillis(200),
        java.time.Clock.systemUTC());
    cached = KubernetesTarget.of(cache, OPTIONS);
    KubernetesTarget web = KubernetesTarget.of(cache, OPTIONS); // another reconciler, same process
    List<Resource> desired = configMaps("shop", 3);
    warm("shop", desired);
    web.apply(new Action.Create(desired.get(1)), "web"); // its write never arrives through the watch
    cluster.requests();

    PlanRefusedException refused = org.junit.jupiter.api.Assertions.assertThrows(PlanRefusedException.class,
        () -> plan(cached, "shop", desired));

    assertTrue(refused.getMessage().contains("owner: 'web'"), refused.getMessage());
    assertTrue(cluster.requests().contains("GET /api/v1/namespaces/shop/configmaps/cm-1"),
        "the check waited for the write, in vain, and asked the server");
  }

  @Test
  void readsAndPlansAreThoseOfATargetWithoutACacheWhateverTheClusterHolds() {
    KubernetesTarget plain = KubernetesTarget.of(cluster.client(), OPTIONS);
    warm("me", List.of(configMap("warm", "x", "v")));
    AtomicInteger example = new AtomicInteger();
    int[] held = {0, 0}; // objects created so far: with the owner label, without
    // per name of 12: 0 absent, 1 unowned, 2 owned by me, 3 by another; and whether it is desired
    qt().withExamples(40).forAll(lists().of(integers().between(0, 7)).ofSize(12)).check(states -> {
      String ns = "p" + example.incrementAndGet();
      List<Resource> desired = new ArrayList<>();
      for (int i = 0; i < states.size(); i++) {
        int state = states.get(i) % 4;
        if (state > 0) {
          put(ns, "cm-" + i, state == 1 ? null : state == 2 ? "me" : "other");
          held[state == 1 ? 1 : 0]++;
        }
        if (states.get(i) >= 4) {
          desired.add(configMap(ns, "cm-" + i, "v"));
        }
      }
      // without label too: the owner's kind inventory, once a read found objects labelled as its
      int inventory = cluster.client().configMaps().inNamespace("default").withName("gitops-kinds-me").get() == null
          ? 0 : 1;
      await(() -> holds("labelled", held[0]) && holds("without label", held[1] + inventory),
          "the cache has the objects: " + cache.status());
      Set<ResourceId> ids = desired.stream().map(Resource::id).collect(Collectors.toCollection(TreeSet::new));
      return plain.read(Scope.of("me", ids)).byId().equals(cached.read(Scope.of("me", ids)).byId())
          && outcome(plain, desired).equals(outcome(cached, desired));
    });
  }

  /**
   * The CRUD mock, but a WATCH whose label selector starts with {@code selector} (URL-encoded) is
   * accepted and then never sends an event: a cache that stays as stale as a lagging watch can
   * leave it.
   */
  static final class SilentWatch extends io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher {
    private final String selector;

    SilentWatch(String selector) {
      this.selector = selector;
    }

    @Override
    public io.fabric8.mockwebserver.http.MockResponse dispatch(io.fabric8.mockwebserver.http.RecordedRequest r) {
      if (r.getPath().contains("watch=true") && r.getPath().contains("labelSelector=" + selector)) {
        return new io.fabric8.mockwebserver.http.MockResponse()
            .withWebSocketUpgrade(new io.fabric8.mockwebserver.http.WebSocketListener() { });
      }
      return super.dispatch(r);
    }
  }

  /** True when the ConfigMap feed {@code which} ({@code labelled}, {@code without label}) holds {@code n}. */
  private boolean holds(String which, int n) {
    return cache.status().stream().anyMatch(s -> s.kind().startsWith("/ConfigMap " + which)
        && s.detail().equals(n + " objects"));
  }

  private String outcome(KubernetesTarget target, List<Resource> desired) {
    try {
      return plan(target, "me", desired).toJson();
    } catch (PlanRefusedException e) {
      return "refused: " + e.getMessage();
    }
  }
}
