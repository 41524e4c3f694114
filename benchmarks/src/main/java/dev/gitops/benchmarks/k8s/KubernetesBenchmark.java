package dev.gitops.benchmarks.k8s;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.benchmarks.Goal;
import dev.gitops.k8s.ApplyStrategy;
import dev.gitops.k8s.ClusterCache;
import dev.gitops.k8s.KubernetesDiff;
import dev.gitops.k8s.KubernetesKinds;
import dev.gitops.k8s.KubernetesTarget;
import dev.gitops.k8s.ManifestLoader;
import dev.gitops.plan.PlanOptions;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Reconcile of 1,000 resources across 10 kinds with {@link KubernetesTarget} (JSON_PATCH) against
 * fabric8's mock API server in CRUD mode: cold apply, no-op and 1% changed — time and requests.
 * The anchors are request budgets: a no-op may cost at most {@code kinds + 2} requests and no
 * write, a 1% change {@code kinds + 2 + changed}; the cold apply {@code resources + 3 * kinds + 2}
 * (per kind: the owned LIST, the adoption LIST and the kind-inventory write; the same slack of 2).
 * The no-op time is set beside the bare minimum of reading the same objects: one fabric8 LIST per
 * kind. Then the same no-op through a {@link ClusterCache} (issue 20): zero requests once synced,
 * time against the LIST-based no-op in the same rounds.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.gitops.benchmarks.k8s.KubernetesBenchmark quick|full <root>}.
 */
public final class KubernetesBenchmark {
  private static final int RESOURCES = 1000;
  private static final int WARMUP = 3;

  private KubernetesBenchmark() {
  }

  /** Runs the benchmark; prints goal lines. */
  public static void main(String[] args) throws Exception {
    boolean full = args.length > 0 && "full".equals(args[0]);
    int rounds = full ? 9 : 5;
    try (MockKubernetes mock = MockKubernetes.crud()) {
      run(mock, rounds);
    }
  }

  private static void run(MockKubernetes mock, int rounds) {
    KubernetesClient client = mock.client();
    Manifests manifests = new Manifests(RESOURCES);
    MemorySource source = new MemorySource(manifests.snapshot(0));
    Reconciler reconciler = Reconciler.builder().name("bench").source(source)
        .loader(new ManifestLoader())
        .target(KubernetesTarget.of(client,
            KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH)))
        .planOptions(PlanOptions.defaults().withDiff(KubernetesDiff.options())
            .withKindOrder(KubernetesKinds.order()))
        .applyOptions(ApplyOptions.defaults().withSleeper(d -> { }))
        .prune(true).build();
    int kinds = Manifests.KINDS.size();

    long t0 = System.nanoTime();
    ReconcileResult cold = reconciler.reconcile(null);
    double coldMs = (System.nanoTime() - t0) / 1e6;
    Count coldCount = Count.since(mock);
    check(cold, RESOURCES + " created");
    requests("k8s cold apply " + RESOURCES + " resources / " + kinds + " kinds", coldCount,
        "budget resources+3*kinds+2", RESOURCES + 3 * kinds + 2, coldMs, true);

    List<Double> noopMs = new ArrayList<>();
    List<Double> listMs = new ArrayList<>();
    Count noop = null;
    for (int r = -WARMUP; r < rounds; r++) { // interleaved with the anchor, after warm-up rounds
      long t = System.nanoTime();
      ReconcileResult result = reconciler.reconcile(null);
      double ms = (System.nanoTime() - t) / 1e6;
      check(result, "no-op");
      if (!result.plan().isEmpty()) {
        throw new IllegalStateException("a re-run is not a no-op: " + result.plan().summary());
      }
      noop = Count.max(noop, Count.since(mock));
      t = System.nanoTime();
      for (String[] kind : Manifests.KINDS) {
        client.genericKubernetesResources(kind[0], kind[1]).inNamespace(Manifests.NAMESPACE)
            .withLabel(KubernetesTarget.OWNER_LABEL, "bench").list();
      }
      double anchorMs = (System.nanoTime() - t) / 1e6;
      Count.since(mock);
      if (r >= 0) {
        noopMs.add(ms);
        listMs.add(anchorMs);
      }
      if (r == rounds - 1) {
        var ph = result.timings();
        System.out.printf(Locale.ROOT, "(info) k8s no-op phases: load %d ms, read %d ms, plan %d ms, apply %d ms%n",
            ph.load().toMillis(), ph.read().toMillis(), ph.plan().toMillis(), ph.apply().toMillis());
      }
    }
    requests("k8s no-op reconcile " + RESOURCES + " resources, requests (zero writes required)",
        noop, "budget kinds+2", kinds + 2, median(noopMs), noop.writes() == 0);

    List<Double> changedMs = new ArrayList<>();
    Count changed = null;
    int changes = RESOURCES / 100;
    for (int r = 1; r <= rounds; r++) {
      source.set(manifests.snapshot(r));
      long t = System.nanoTime();
      ReconcileResult result = reconciler.reconcile(null);
      changedMs.add((System.nanoTime() - t) / 1e6);
      check(result, "1% changed");
      if (result.plan().changes().size() != changes) {
        throw new IllegalStateException("expected " + changes + " changes: " + result.plan().summary());
      }
      changed = Count.max(changed, Count.since(mock));
    }
    requests("k8s 1% changed (" + changes + " of " + RESOURCES + "), requests", changed,
        "budget kinds+2+changed", kinds + 2 + changes, median(changedMs), true);

    Goal.ofMillis("k8s no-op reconcile " + RESOURCES + " resources, time", median(noopMs),
        kinds + " owner-label LISTs (fabric8)", median(listMs), 3).print();

    try (ClusterCache cache = ClusterCache.of(client)) {
      cached(mock, reconciler, source, cache, rounds);
    }
  }

  /**
   * Issue 20: the same no-op through a {@link ClusterCache}, interleaved round by round with the
   * LIST-based no-op above (same mock, objects, owner and source): zero requests once synced, and
   * at most 0.3x the LIST-based no-op's time.
   */
  private static void cached(MockKubernetes mock, Reconciler listing, MemorySource source,
                             ClusterCache cache, int rounds) {
    Reconciler reconciler = Reconciler.builder().name("bench").source(source)
        .loader(new ManifestLoader())
        .target(KubernetesTarget.of(cache,
            KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH)))
        .planOptions(PlanOptions.defaults().withDiff(KubernetesDiff.options())
            .withKindOrder(KubernetesKinds.order()))
        .applyOptions(ApplyOptions.defaults().withSleeper(d -> { }))
        .prune(true).build();
    Count.since(mock);
    long t0 = System.nanoTime();
    check(reconciler.reconcile(null), "cache start");
    double startMs = (System.nanoTime() - t0) / 1e6;
    Count start = Count.since(mock);
    System.out.printf(Locale.ROOT, "(info) k8s cache start (first reconcile through it): %d requests in %s%n",
        start.requests(), Goal.millis(startMs));
    List<Double> cachedMs = new ArrayList<>();
    List<Double> listedMs = new ArrayList<>();
    Count noop = null;
    for (int r = -WARMUP; r < rounds; r++) { // listed, then cached, after warm-up rounds
      long t = System.nanoTime();
      check(listing.reconcile(null), "LIST-based no-op");
      double listed = (System.nanoTime() - t) / 1e6;
      Count.since(mock);
      t = System.nanoTime();
      ReconcileResult result = reconciler.reconcile(null);
      double ms = (System.nanoTime() - t) / 1e6;
      check(result, "cached no-op");
      if (!result.plan().isEmpty()) {
        throw new IllegalStateException("a cached re-run is not a no-op: " + result.plan().summary());
      }
      Count count = Count.since(mock);
      if (r == rounds - 1) {
        var ph = result.timings();
        System.out.printf(Locale.ROOT, "(info) k8s cached no-op phases: load %d ms, read %d ms, plan %d ms, apply %d ms%n",
            ph.load().toMillis(), ph.read().toMillis(), ph.plan().toMillis(), ph.apply().toMillis());
      }
      if (r >= 0) {
        cachedMs.add(ms);
        listedMs.add(listed);
        noop = Count.max(noop, count);
      }
    }
    new Goal("k8s no-op reconcile " + RESOURCES + " resources, cache synced, requests (goal: 0)",
        noop.requests() + " requests", "none", noop.requests(), 0.001).print();
    Goal.ofMillis("k8s no-op reconcile " + RESOURCES + " resources, cache synced, time",
        median(cachedMs), "LIST-based no-op", median(listedMs), 0.3).print();
    cache.status().forEach(s -> System.out.println("(info) cache " + s));
  }

  private static void requests(String name, Count count, String anchor, int budget,
                               double ms, boolean writesOk) {
    double ratio = writesOk ? (double) count.requests() / budget
        : (double) (count.requests() + budget) / budget;
    new Goal(name, String.format(Locale.ROOT, "%d requests (%d writes) in %s", count.requests(),
        count.writes(), Goal.millis(ms)), anchor + " " + budget + " requests", ratio, 1).print();
  }

  private static void check(ReconcileResult result, String what) {
    if (!result.report().isSuccess()) {
      throw new IllegalStateException(what + " failed: " + result.report());
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  /** Requests the mock received since the last call, and how many of them wrote. */
  private record Count(int requests, int writes) {
    static Count since(MockKubernetes mock) {
      List<String> requests = mock.requests();
      return new Count(requests.size(), MockKubernetes.writes(requests).size());
    }

    static Count max(Count a, Count b) {
      return a == null || b.requests() > a.requests() ? b : a;
    }
  }
}
