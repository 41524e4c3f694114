package dev.gitops.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.model.Content;
import dev.gitops.model.Resource;
import dev.gitops.model.Observed;
import dev.gitops.reconcile.AgentStatus.Condition;
import dev.gitops.source.GitSource;
import dev.gitops.plan.Action;
import dev.gitops.target.ForwardingTarget;
import dev.gitops.target.InMemoryTarget;
import dev.gitops.target.Target;
import dev.gitops.testing.git.GitRepo;
import dev.gitops.testing.time.MutableClock;
import dev.gitops.testing.time.VirtualScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet over real Git repositories in a temporary directory, in virtual time: timers on a
 * {@link VirtualScheduler}, one worker running on the test's thread, so every poll and run happens
 * inside {@code advance} and the test sees the whole schedule.
 */
class FleetTest {
  private static final Duration INTERVAL = Duration.ofMinutes(1);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Rig.START);
  private final VirtualScheduler timer = new VirtualScheduler(clock);
  private final Map<String, CountingSource> sources = new LinkedHashMap<>();
  private final Map<String, InMemoryTarget> targets = new LinkedHashMap<>();
  private final Map<String, GitSource> gits = new LinkedHashMap<>();
  private GitRepo repo;
  private Fleet fleet;

  @AfterEach
  void close() {
    if (fleet != null) {
      fleet.stop();
    }
    gits.values().forEach(GitSource::close);
    if (repo != null) {
      repo.close();
    }
  }

  private Fleet.Builder fleet() {
    return Fleet.builder().workers(1).executor(Runnable::run).scheduler(timer).clock(clock)
        .interval(INTERVAL).jitter(0).driftInterval(Duration.ofMinutes(10)).random(new Random(1));
  }

  /** A repository with one folder per app, each holding ConfigMap {@code <app>} colored {@code color}. */
  private GitRepo repo(List<String> apps, String color) {
    repo = GitRepo.init(dir.resolve("repo"));
    Map<String, String> files = new LinkedHashMap<>();
    apps.forEach(a -> files.put(a + "/cm.json", Rig.configMap(a, color)));
    repo.commit(files);
    return repo;
  }

  /** A reconciler named {@code app} reading folder {@code app} of the repository. */
  private Reconciler app(String app) {
    GitSource git = GitSource.builder(repo.url()).ref("main").path(app).cache(dir.resolve("cache")).build();
    gits.put(app, git);
    CountingSource source = new CountingSource(git);
    sources.put(app, source);
    InMemoryTarget target = InMemoryTarget.named(app);
    targets.put(app, target);
    return Reconciler.builder().name(app).source(source).loader(new JsonLoader()).target(target)
        .applyOptions(ApplyOptions.defaults().withParallelism(1).withRetry(1, Duration.ZERO, Duration.ZERO)
            .withHealthWait(Duration.ZERO, Duration.ZERO).withSleeper(d -> { }).withClock(clock))
        .clock(clock).build();
  }

  private String color(String app) {
    Observed o = targets.get(app).get(Rig.cm(app));
    return o == null ? null : ((Content.Tree) o.resource().content()).node().path("data").path("color").asText();
  }

  private void handEdit(String app, String color) {
    try {
      targets.get(app).put(Resource.of(Rig.cm(app),
          Content.tree(new ObjectMapper().readTree(Rig.configMap(app, color)))), app);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private long polls() {
    return gits.values().stream().mapToLong(g -> g.stats().polls()).sum();
  }

  private int fetches(String app) {
    return sources.get(app).fetches.get();
  }

  private boolean ready(String app) {
    return fleet.status(app).orElseThrow().is(Condition.Type.READY);
  }

  @Test
  void onePollPerRepositoryWakesOnlyTheReconcilersWhosePathChanged() {
    repo(List.of("a", "b", "c"), "red");
    fleet = fleet().build();
    List.of("a", "b", "c").forEach(a -> fleet.add(app(a)));
    fleet.start();
    timer.advance(Duration.ZERO);
    assertEquals(1, polls(), "three paths of one repository: one poll");
    for (String a : List.of("a", "b", "c")) {
      assertEquals("red", color(a));
      assertTrue(ready(a), a);
    }
    assertEquals(0, sources.get("b").latest.get() + sources.get("c").latest.get(), "only one source polls");

    int keysOfA = sources.get("a").contentKeys.get();
    repo.commit(Map.of("b/cm.json", Rig.configMap("b", "blue")));
    timer.advance(INTERVAL);
    assertEquals(2, polls(), "one poll per interval for the whole repository");
    assertEquals(keysOfA + 1, sources.get("a").contentKeys.get(),
        "a's folder was looked at once by the poll, and a was not woken (a run would look twice more)");
    assertEquals("blue", color("b"));
    assertEquals(2, fetches("b"), "b's files changed: read again");
    assertEquals(1, fetches("a"), "a's files did not change: not read again");
    assertEquals(1, fetches("c"));
    assertEquals("red", color("a"));
    FleetStatus status = fleet.status();
    assertEquals(3, status.ready(), status.toString());
    assertEquals(1, status.repositories());
    assertEquals(2, status.polls());
  }

  @Test
  void aReconcilerWhosePathDidNotChangeStillRepairsDriftWhenItsCheckIsDue() {
    repo(List.of("a", "b"), "red");
    fleet = fleet().build();
    List.of("a", "b").forEach(a -> fleet.add(app(a)));
    fleet.start();
    timer.advance(Duration.ZERO);
    repo.commit(Map.of("b/cm.json", Rig.configMap("b", "blue")));
    handEdit("a", "green");
    timer.advance(INTERVAL);
    assertEquals(1, fetches("a"), "a new commit that leaves a's folder alone is no drift check");
    assertEquals("green", color("a"), "no drift check before it is due");
    timer.advance(Duration.ofMinutes(9));
    assertEquals(2, fetches("a"), "the drift check came when due");
    assertEquals("red", color("a"));
    assertTrue(ready("a"));
  }

  @Test
  void aFailingReconcilerStallsAloneAndBacksOff() {
    repo(List.of("a", "b"), "red");
    fleet = fleet().backoff(Duration.ofSeconds(5), Duration.ofMinutes(5)).build();
    fleet.add(app("a"));
    fleet.add(app("b"));
    sources.get("a").errorOnFetch = new StackOverflowError("deep");
    fleet.start();
    timer.advance(Duration.ZERO);
    AgentStatus a = fleet.status("a").orElseThrow();
    assertTrue(a.is(Condition.Type.STALLED), a.toString());
    assertEquals("StackOverflowError", a.condition(Condition.Type.STALLED).reason());
    assertTrue(ready("b"), "the other reconciler converged");
    assertNull(color("a"));
    timer.advance(Duration.ofSeconds(5));
    assertEquals("red", color("a"), "retried after the backoff, alone");
    assertTrue(ready("a"));
    assertEquals(1, polls(), "a retry is no poll");
  }

  @Test
  void aFailedPollStallsThatRepositorysReconcilersAndRecovers() {
    repo(List.of("a"), "red");
    fleet = fleet().backoff(Duration.ofSeconds(5), Duration.ofMinutes(5)).build();
    fleet.add(app("a"));
    sources.get("a").failLatest = new dev.gitops.source.SourceException("git down");
    fleet.start();
    timer.advance(Duration.ZERO);
    AgentStatus a = fleet.status("a").orElseThrow();
    assertTrue(a.is(Condition.Type.STALLED), a.toString());
    assertEquals("SourceException", a.condition(Condition.Type.STALLED).reason());
    sources.get("a").failLatest = null;
    timer.advance(Duration.ofSeconds(5));
    assertTrue(ready("a"));
    assertEquals("red", color("a"));
  }

  @Test
  void reconcilersAreAddedAndRemovedAtRunTime() {
    repo(List.of("a", "b", "c"), "red");
    fleet = fleet().build().start();
    fleet.add(app("a"));
    timer.advance(Duration.ZERO);
    assertEquals(1, polls());
    Reconciler b = app("b");
    fleet.add(b);
    timer.advance(Duration.ZERO);
    assertEquals("red", color("b"), "the revision already polled wakes a new reader");
    assertEquals(1, polls(), "no extra poll for a repository the fleet already polls");
    assertThrows(IllegalArgumentException.class, () -> fleet.add(b));

    assertTrue(fleet.remove("a"));
    assertFalse(fleet.remove("a"));
    assertTrue(fleet.status("a").isEmpty());
    repo.commit(Map.of("a/cm.json", Rig.configMap("a", "blue"), "b/cm.json", Rig.configMap("b", "blue")));
    timer.advance(INTERVAL);
    assertEquals("red", color("a"), "a removed reconciler is not run");
    assertEquals("blue", color("b"));
    assertEquals(1, fleet.status().reconcilers());
  }

  @Test
  void reconcilersAnotherReplicaOwnsAreLeftAlone() {
    repo(List.of("a", "b"), "red");
    Set<String> mine = new java.util.concurrent.CopyOnWriteArraySet<>(Set.of("a"));
    fleet = fleet().shard(mine::contains).build();
    fleet.add(app("a"));
    fleet.add(app("b"));
    fleet.start();
    timer.advance(Duration.ZERO);
    assertEquals("red", color("a"));
    assertNull(color("b"));
    assertEquals("NotOwned", fleet.status("b").orElseThrow().condition(Condition.Type.READY).reason());
    mine.add("b");
    timer.advance(INTERVAL);
    assertEquals("red", color("b"), "taken over once this replica owns it");
  }

  @Test
  void aSlowReconcilerHoldsOneWorkerAndTheOthersGoOn() throws InterruptedException {
    List<String> apps = List.of("slow", "a", "b", "c", "d");
    repo(apps, "red");
    CountDownLatch others = new CountDownLatch(4);
    GatedTarget gate = new GatedTarget(InMemoryTarget.named("slow"), Rig.cm("slow"));
    fleet = Fleet.builder().workers(2).scheduler(timer).clock(clock).interval(INTERVAL).jitter(0).build();
    for (String a : apps) {
      Reconciler r = app(a);
      Reconciler.Builder b = Reconciler.builder().name(a).source(r.source()).loader(new JsonLoader())
          .target(a.equals("slow") ? gate : r.target()).clock(clock)
          .listener(new ReconcileListener() {
            @Override public void reconciled(ReconcileResult result) {
              if (!a.equals("slow")) {
                others.countDown();
              }
            }
          });
      fleet.add(b.build());
    }
    fleet.start();
    try {
      gate.awaitEntered();
      assertTrue(others.await(30, TimeUnit.SECONDS), "the other four converged while one run hung");
      assertEquals(1, gate.maxInFlight.get());
      for (String a : apps.subList(1, apps.size())) {
        assertEquals("red", color(a));
      }
    } finally {
      gate.release.countDown();
    }
    fleet.stop();
    assertTrue(fleet.awaitTermination(Duration.ofSeconds(30)));
  }

  @Test
  void reconcilersWithoutAnExecutorApplyOnTheFleetsThreadsWhichEndWithTheFleet() throws Exception {
    repo = GitRepo.init(dir.resolve("repo"));
    repo.commit(Map.of("a/one.json", Rig.configMap("one", "red"), "a/two.json", Rig.configMap("two", "red"),
        "b/three.json", Rig.configMap("three", "red"), "b/four.json", Rig.configMap("four", "red")));
    Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    fleet = fleet().build();
    for (String a : List.of("a", "b")) {
      GitSource git = GitSource.builder(repo.url()).ref("main").path(a).cache(dir.resolve("cache")).build();
      gits.put(a, git);
      Target recording = new ForwardingTarget(InMemoryTarget.named(a)) {
        @Override public String applyWithDetail(Action action, String owner) {
          threads.add(Thread.currentThread());
          return super.applyWithDetail(action, owner);
        }
      };
      fleet.add(Reconciler.builder().name(a).source(git).loader(new JsonLoader()).target(recording)
          .applyOptions(ApplyOptions.defaults().withParallelism(2).withRetry(1, Duration.ZERO, Duration.ZERO)
              .withHealthWait(Duration.ZERO, Duration.ZERO).withSleeper(d -> { }).withClock(clock))
          .clock(clock).build());
    }
    fleet.start();
    timer.advance(Duration.ZERO);
    assertTrue(ready("a") && ready("b"));
    assertFalse(threads.isEmpty());
    assertTrue(threads.stream().allMatch(t -> t.getName().startsWith("gitops-fleet-apply-")),
        () -> threads.stream().map(Thread::getName).toList().toString());
    fleet.stop();
    assertTrue(fleet.awaitTermination(Duration.ofSeconds(30)));
    for (Thread t : threads) {
      t.join(30_000); // the pool was shut down: its idle threads end now
      assertFalse(t.isAlive(), t.getName() + " outlived the fleet");
    }
  }

  @Test
  void triggerNowPlansAnUnchangedReconciler() {
    repo(List.of("a"), "red");
    fleet = fleet().build();
    assertFalse(fleet.triggerNow("a"));
    fleet.add(app("a"));
    fleet.start();
    timer.advance(Duration.ZERO);
    int before = fetches("a");
    assertTrue(fleet.triggerNow("a"));
    timer.advance(Duration.ZERO);
    assertEquals(before + 1, fetches("a"));
  }
}
