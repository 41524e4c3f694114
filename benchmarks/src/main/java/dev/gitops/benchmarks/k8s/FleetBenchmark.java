package dev.gitops.benchmarks.k8s;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.benchmarks.Goal;
import dev.gitops.k8s.ApplyStrategy;
import dev.gitops.k8s.ClusterCache;
import dev.gitops.k8s.KubernetesTarget;
import dev.gitops.k8s.ManifestLoader;
import dev.gitops.plan.Plan;
import dev.gitops.reconcile.Fleet;
import dev.gitops.reconcile.FleetStatus;
import dev.gitops.reconcile.ReconcileListener;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.GitSource;
import dev.gitops.testing.git.GitRepo;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Fleet} of reconcilers, each reading one folder of one Git repository ({@code file://})
 * with 10 objects of 10 kinds, against fabric8's mock API server in a process of its own. Measures
 * the cold convergence (from an empty server) beside its floor: the same creates, as the fleet sent
 * them (each object with gitops' two labels and applied record; not the kind inventory the
 * reconcilers share, the fleet's own cost: one create), sent straight through the fabric8 client at the same concurrency
 * into an empty server: the mock's own speed for them.
 *
 * <p>How, and why. A create on the mock is a linear scan of every stored object (its CRUD
 * dispatcher's {@code findResource}), memory-bound, whose speed differs from one mock JVM to the
 * next by up to 2.5x and drifts within one JVM by up to 3x as it ages (mostly faster). So the floor
 * and the fleet meet one mock JVM ({@link MockApiProcess#reset}: an empty server for each), after a
 * warm-up of both sides on servers of their own ({@code -Dfleet.warmup=N} reconcilers and their
 * floor first; default all of them, 0 for none), and the fleet is held to the mean of two floors,
 * one just before it and one just after it, which cancels a steady drift. The warm-up fleet's
 * creates are the bodies of the floor before (the same repository and owners give the same bodies);
 * with a warm-up of fewer reconcilers than measured, only the floor after is run. The objects as in
 * Git, without what gitops adds, are the warm-up's floor.
 *
 * <p>Also measured: two replays of the fleet's own creates (alone, and watched by the informers the
 * fleet's cache runs: what a watch-fed cache costs the mock and fabric8 before any gitops code runs;
 * each into a fresh mock JVM), a full no-op round (every reconciler planned once more, after one
 * poll) with its API requests and Git polls, and the heap after GC once converged. {@code quick}:
 * 200 reconcilers; {@code full}: 1,000 (Flux's published scale test: 1,000 Kustomizations in 4 min
 * 15 s, 175 MiB controller memory).
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.gitops.benchmarks.k8s.FleetBenchmark quick|full <root> [reconcilers]}
 * (the third argument, for smoke runs, replaces the mode's number of reconcilers). For A/B runs of
 * two builds: {@code -Dfleet.noreplay=true} leaves out the two replays (about a third of the run's
 * time), {@code -Dfleet.parallelism=N} sets the reconcilers' apply parallelism (the library's
 * default: 4). Diagnostics: {@code -Dfleet.pin=true} gives the mock a CPU of its own ({@link CpuPinning}),
 * {@code -Dfleet.shapes=true} replays the fleet's creates by what they
 * carry (bare, with gitops' labels, as sent, with the inventories, watched) into the same mock JVM,
 * {@code -Dfleet.histogram=true} prints where the heap goes.
 */
public final class FleetBenchmark {
  /** The fleet's workers, and the floor's threads. */
  static final int WORKERS = 8;
  private static final double FLUX_COLD_MS = 255_000;

  private FleetBenchmark() {
  }

  /** Runs the benchmark; prints goal lines. */
  public static void main(String[] args) throws Exception {
    boolean full = args.length > 0 && "full".equals(args[0]);
    int apps = args.length > 2 ? Integer.parseInt(args[2]) : full ? 1000 : 200; // a third argument: a smoke run's N
    Path tmp = Files.createTempDirectory("gitops-fleet-bench");
    String url = repository(tmp.resolve("repo"), apps);
    int warmup = Integer.getInteger("fleet.warmup", apps);
    System.out.println("fleet CPUs: " + CpuPinning.apart());
    try (MockApiProcess mock = MockApiProcess.start()) { // one mock JVM for both: see MockApiProcess#reset
      List<String[]> sent = List.of();
      if (warmup > 0) { // the JIT of both sides and of the mock, on servers of their own, before either is measured
        MockCosts.floor(mock, MockCosts.bare(warmup), new long[8], new String[1]);
        mock.reset();
        sent = warmUp(mock, warmup, url, tmp.resolve("warmup-cache")); // the bodies the fleet sends
        mock.reset();
      }
      double before = Double.NaN;
      if (warmup >= apps) { // the floor before the fleet too: see run
        try (KubernetesClient client = client(mock.url())) {
          before = MockCosts.floor(mock, MockCosts.asSent(client, sent), new long[8], new String[1]);
        }
        mock.reset();
      }
      try (KubernetesClient client = client(mock.url())) {
        run(apps, url, tmp.resolve("cache"), mock, client, before, full);
      }
    }
    System.exit(0);
  }

  private static void run(int apps, String url, Path cache, MockApiProcess mock, KubernetesClient client,
                          double floorBefore, boolean full) throws Exception {
    CountDownLatch[] round = {new CountDownLatch(apps)};
    CountDownLatch[] planned = {null};
    ReconcileListener done = new ReconcileListener() {
      @Override public void reconciled(ReconcileResult result) {
        if (result.isSuccess()) {
          round[0].countDown();
        }
      }

      @Override public void planned(Plan plan) { // a no-op run plans and applies nothing
        CountDownLatch l = planned[0];
        if (l != null && plan.isEmpty()) {
          l.countDown();
        }
      }
    };
    List<GitSource> sources = new ArrayList<>();
    Fleet fleet = fleet(apps, url, cache, client, done, sources);
    java.util.Map<String, Long> threads0 = JitCpu.groups(ProcessHandle.current().pid());
    long[] cpu0 = MockCosts.cpu(mock);
    long[] idle0 = mock.count();
    long t0 = System.nanoTime();
    fleet.start();
    await(round[0], "cold convergence");
    double coldMs = (System.nanoTime() - t0) / 1e6;
    long[] coldCpu = MockCosts.since(cpu0, mock);
    String byThread = MockCosts.byThread(threads0, JitCpu.groups(ProcessHandle.current().pid()));
    FleetStatus cold = fleet.status();
    long[] afterCold = mock.count();
    List<String> coldShapes = mock.paths();
    List<String[]> allCreates = mock.creates();
    List<String[]> creates = MockCosts.objectCreates(allCreates);

    planned[0] = new CountDownLatch(apps);
    long polls = cold.polls();
    CpuPinning.share(); // the mock takes no part in a no-op round
    long t1 = System.nanoTime();
    fleet.pollNow();
    for (int i = 0; i < apps; i++) {
      fleet.triggerNow(app(i));
    }
    await(planned[0], "no-op round");
    double noopMs = (System.nanoTime() - t1) / 1e6;
    long[] afterNoop = mock.count();
    FleetStatus noop = fleet.status();
    long noopPolls = noop.polls() - polls;
    long requests = afterNoop[0] - afterCold[0];
    long writes = afterNoop[1] - afterCold[1];

    CpuPinning.apart();
    long heap = heapAfterGc();
    fleet.close();
    sources.forEach(GitSource::close);
    // The floor: the same creates, as the fleet sent them (the mock keeps each object's labels in the
    // entry that every later create scans, attribute by attribute, so gitops' two labels make the
    // mock's work dearer: -Dfleet.shapes=true), the kind inventory left out, through the fabric8
    // client at the fleet's concurrency, into an empty server of the same mock JVM, before the fleet
    // (main) and after it: that JVM's speed per create drifts by up to 3x as it ages, so the fleet is
    // held to the mean of the floors on either side of it.
    mock.reset();
    long[] floorCpu = new long[8];
    String[] floorThreads = new String[1];
    double floorAfter = MockCosts.floor(mock, MockCosts.asSent(client, creates), floorCpu, floorThreads);
    double floorMs = Double.isNaN(floorBefore) ? floorAfter : (floorBefore + floorAfter) / 2;
    boolean replays = !Boolean.getBoolean("fleet.noreplay");
    long[] replayCpu = new long[8];
    double replayMs = replays ? MockCosts.replay(creates, replayCpu, false, false) : 1;
    long[] watchedCpu = new long[8];
    double watchedMs = replays ? MockCosts.replay(allCreates, watchedCpu, true, true) : 1;
    if (Boolean.getBoolean("fleet.histogram")) { // where the heap goes: -Dfleet.histogram=true
      histogram();
    }
    int objects = apps * Manifests.KINDS.size();
    System.out.println("fleet: " + cold + " after cold; " + afterCold[0] + " requests (" + afterCold[1]
        + " writes) for " + objects + " objects");
    printShapes(coldShapes, objects);
    System.out.println(String.format(Locale.ROOT, "  CPU (user + system), load-insensitive: cold %.1f s here + %.1f s"
        + " in the mock; floor %.1f s in its client + %.1f s in its mock; the fleet's creates replayed"
        + " %.1f s + %.1f s", coldCpu[0] / 1e3, coldCpu[1] / 1e3, floorCpu[0] / 1e3, floorCpu[1] / 1e3,
        replayCpu[0] / 1e3, replayCpu[1] / 1e3));
    System.out.println(String.format(Locale.ROOT, "  of which JIT compiler threads: cold %.1f s here + %.1f s"
        + " in the mock; floor %.1f s + %.1f s; replayed %.1f s + %.1f s", coldCpu[2] / 1e3, coldCpu[3] / 1e3,
        floorCpu[2] / 1e3, floorCpu[3] / 1e3, replayCpu[2] / 1e3, replayCpu[3] / 1e3));
    System.out.println("  cold CPU here by thread group: " + byThread);
    System.out.println("  the floor's CPU in its client by thread group: " + floorThreads[0]);
    long[] coldPosts = new long[8];
    MockCosts.posts(coldShapes, coldPosts);
    System.out.println(String.format(Locale.ROOT, "  the mock's CPU dispatching a POST (its lock held; watch events"
        + " built included): cold %.0f us x %d (%d B each); floor %.0f us x %d (%d B each); replayed %.0f us x %d",
        coldPosts[5] / 1e3 / Math.max(1, coldPosts[4]), coldPosts[4], coldPosts[6] / Math.max(1, coldPosts[4]),
        floorCpu[5] / 1e3 / Math.max(1, floorCpu[4]), floorCpu[4], floorCpu[6] / Math.max(1, floorCpu[4]),
        replayCpu[5] / 1e3 / Math.max(1, replayCpu[4]), replayCpu[4]));
    System.out.println(String.format(Locale.ROOT, "  the mock idle (no request in its dispatcher, nor waiting for"
        + " its lock): cold %.2f s of %.2f s (%.2f s before the first create); floor after the fleet %.2f s of"
        + " %.2f s", (afterCold[2] - idle0[2]) / 1e9, coldMs / 1e3, (afterCold[3] - idle0[2]) / 1e9,
        floorCpu[7] / 1e9, floorAfter / 1e3));
    System.out.println(String.format(Locale.ROOT, "  the fleet's own %d creates (gitops' labels and record),"
        + " replayed as raw POSTs from %d threads into a fresh mock after the fleet (warm JVM): %.2f s = %.2fx",
        creates.size(), WORKERS, replayMs / 1e3, coldMs / replayMs));
    System.out.println(String.format(Locale.ROOT, "  all %d of the fleet's creates (the kind inventory included),"
        + " replayed the same way from a fresh JVM (as the floor's) while %d fabric8 informers there watch them"
        + " as the fleet's cache does, no gitops code running: %.2f s = %.2fx the floor; the fleet = %.2fx this"
        + " replay; CPU %.1f s in its JVM (JIT %.1f s) + %.1f s in the mock, the mock's dispatch %.0f us x %d",
        allCreates.size(), Manifests.KINDS.size() + 1, watchedMs / 1e3, watchedMs / floorMs, coldMs / watchedMs,
        watchedCpu[0] / 1e3, watchedCpu[2] / 1e3, watchedCpu[1] / 1e3,
        watchedCpu[5] / 1e3 / Math.max(1, watchedCpu[4]), watchedCpu[4]));
    System.out.println(String.format(Locale.ROOT, "  the floor (the fleet's %d object creates as sent, via fabric8,"
        + " %d threads): %safter the fleet %.2f s (the mock's dispatch %.0f us per POST)", creates.size(), WORKERS,
        Double.isNaN(floorBefore) ? "" : String.format(Locale.ROOT, "before the fleet %.2f s, ", floorBefore / 1e3),
        floorAfter / 1e3, floorCpu[5] / 1e3 / Math.max(1, floorCpu[4])));
    Goal.ofMillis("fleet cold convergence, " + apps + " reconcilers x 10 objects (" + WORKERS + " workers)",
        coldMs, "floor: the fleet's " + creates.size() + " object creates as sent, via fabric8, " + WORKERS
        + " threads, " + (Double.isNaN(floorBefore) ? "after the fleet" : "mean of before and after the fleet"),
        floorMs, 1.3).print();
    if (full) {
      Goal.ofMillis("fleet cold convergence, 1,000 reconcilers", coldMs,
          "Flux 1,000 Kustomizations (published)", FLUX_COLD_MS, 1).print();
    }
    Goal.ofMillis("fleet no-op round, " + apps + " reconcilers", noopMs, "goal", 5000, 1).print();
    new Goal("fleet no-op round, " + apps + " reconcilers, API requests and Git polls",
        requests + " requests (" + writes + " writes), " + noopPolls + " polls",
        "goal 0 requests and 1 poll", requests == 0 && noopPolls == 1 ? 1 : 1 + requests, 1).print();
    new Goal("fleet heap after GC, " + apps + " reconcilers, " + objects + " objects",
        String.format(Locale.ROOT, "%.1f MiB", heap / 1048576.0),
        "goal 256 MiB (Flux: 175 MiB for 1,000 on a real cluster)", heap / (256.0 * 1048576), 1).print();
    if (Boolean.getBoolean("fleet.shapes")) {
      MockCosts.shapes(mock, creates, allCreates);
    }
  }

  /**
   * The fleet measured: {@code apps} reconcilers of {@code url}'s folders on one cluster cache of
   * {@code client}, not started; their Git sources are added to {@code sources}.
   */
  private static Fleet fleet(int apps, String url, Path cache, KubernetesClient client, ReconcileListener listener,
                             List<GitSource> sources) {
    Fleet fleet = Fleet.builder().workers(WORKERS).lockTargets(false).interval(Duration.ofHours(1))
        .driftInterval(Duration.ofHours(2)).build();
    ClusterCache clusterCache = ClusterCache.of(client); // one watch-fed cache for every reconciler of the cluster
    for (int i = 0; i < apps; i++) {
      String app = app(i);
      GitSource source = GitSource.builder(url).ref("main").path(app).cache(cache).build();
      sources.add(source);
      fleet.add(Reconciler.builder().name(app).source(source).loader(new ManifestLoader())
          .target(KubernetesTarget.of(clusterCache, KubernetesTarget.Options.defaults()
              .withStrategy(ApplyStrategy.JSON_PATCH)))
          .applyOptions(ApplyOptions.defaults().withParallelism(Integer.getInteger("fleet.parallelism", 4))
              .withSleeper(d -> { })).listener(listener).prune(true).build());
    }
    return fleet;
  }

  /**
   * {@code -Dfleet.warmup=N}: a fleet of the first {@code apps} reconcilers converges cold into a
   * mock of its own and is closed, so that the JIT has compiled the fleet's code before the one
   * measured starts (as the floor's, warmed the same way); returns its objects' creates (path and
   * body), the kind inventory left out.
   */
  private static List<String[]> warmUp(MockApiProcess mock, int apps, String url, Path cache) throws Exception {
    CountDownLatch converged = new CountDownLatch(apps);
    ReconcileListener listener = new ReconcileListener() {
      @Override public void reconciled(ReconcileResult result) {
        if (result.isSuccess()) {
          converged.countDown();
        }
      }
    };
    List<GitSource> sources = new ArrayList<>();
    try (KubernetesClient client = client(mock.url())) {
      Fleet fleet = fleet(apps, url, cache, client, listener, sources);
      fleet.start();
      await(converged, "warm-up");
      fleet.close();
      sources.forEach(GitSource::close);
    }
    return MockCosts.objectCreates(mock.creates());
  }

  /** One repository, one folder per app ({@code app-0000/app.yaml}), one commit. */
  private static String repository(Path dir, int apps) {
    try (GitRepo repo = GitRepo.init(dir)) {
      for (int i = 0; i < apps; i++) {
        repo.write(app(i) + "/app.yaml", Manifests.app(app(i), "r0", app(i)));
      }
      repo.commit("apps");
      return repo.url();
    }
  }

  static KubernetesClient client(String url) {
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url).withTrustCerts(true)
        .withNamespace("default").withRequestTimeout(60_000).build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** The heap's classes after a full GC (as {@code jcmd PID GC.class_histogram}), its first 40 lines to stderr. */
  private static void histogram() throws Exception {
    javax.management.ObjectName name = new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand");
    String out = (String) ManagementFactory.getPlatformMBeanServer().invoke(name, "gcClassHistogram",
        new Object[] {null}, new String[] {String[].class.getName()});
    out.lines().limit(Integer.getInteger("fleet.histogram.lines", 40)).forEach(System.err::println);
  }

  /**
   * The cold run's requests by shape, per object: requests, response bytes, the mock's dispatch CPU
   * and the request bodies' mean size.
   */
  private static void printShapes(List<String> shapes, int objects) {
    long bytes = 0;
    for (String line : shapes) {
      String[] p = line.split(" ", 5);
      long n = Long.parseLong(p[0]);
      bytes += Long.parseLong(p[1]);
      System.out.println(String.format(Locale.ROOT, "  cold %8d requests (%.3f per object) %10.1f KiB %8.0f ms"
          + " %6d B sent each  %s", n, n / (double) objects, Long.parseLong(p[1]) / 1024.0, Long.parseLong(p[2]) / 1e6,
          Long.parseLong(p[3]) / Math.max(1, n), p[4]));
    }
    System.out.println(String.format(Locale.ROOT, "  cold response bytes: %.1f MiB (%.1f KiB per object)",
        bytes / 1048576.0, bytes / 1024.0 / objects));
  }

  private static void await(CountDownLatch latch, String what) throws InterruptedException {
    if (!latch.await(20, TimeUnit.MINUTES)) {
      throw new IllegalStateException(what + ": " + latch.getCount() + " reconcilers never converged");
    }
  }

  static String app(int i) {
    return String.format(Locale.ROOT, "app-%04d", i);
  }
}
