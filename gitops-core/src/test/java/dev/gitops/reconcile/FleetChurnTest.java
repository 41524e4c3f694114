package dev.gitops.reconcile;

import static dev.gitops.reconcile.Embedded.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Revision;
import dev.gitops.reconcile.AgentStatus.Condition;
import dev.gitops.target.InMemoryTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Members added and removed at run time, many and concurrently, on real threads. */
class FleetChurnTest {
  private static final Duration HOUR = Duration.ofHours(1);

  @TempDir Path dir;
  private final InMemoryTarget memory = InMemoryTarget.named("t");
  private Fleet fleet;

  @AfterEach
  void close() {
    if (fleet != null) {
      fleet.close();
    }
  }

  /** Counts, per name, the runs between revisionSeen and their end, and the most at once. */
  /** Runs per name in flight, by the listener: revision seen to reconciled or failed. */
  private static final class RunsByName {
    final Map<String, AtomicInteger> now = new ConcurrentHashMap<>();
    final AtomicInteger most = new AtomicInteger();
    final AtomicInteger runs = new AtomicInteger();

    ReconcileListener of(String name) {
      AtomicInteger mine = now.computeIfAbsent(name, n -> new AtomicInteger());
      return new ReconcileListener() {
        @Override public void revisionSeen(Revision revision) {
          runs.incrementAndGet();
          most.accumulateAndGet(mine.incrementAndGet(), Math::max);
        }
        @Override public void reconciled(ReconcileResult result) { mine.decrementAndGet(); }
        @Override public void failed(Exception error) { mine.decrementAndGet(); }
      };
    }
  }

  /**
   * The most reads and writes of one target in flight at once: every reconciler here is named
   * {@code web}, so two at once are two runs of that name at once. (Counted at the target, not by
   * the listener: a run cancelled by its removal after planning ends with no listener call.)
   */
  private static final class Overlaps extends dev.gitops.target.ForwardingTarget {
    final AtomicInteger now = new AtomicInteger();
    final AtomicInteger most = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();

    Overlaps(dev.gitops.target.Target delegate) {
      super(delegate);
    }

    @Override
    public dev.gitops.model.ActualState read(dev.gitops.target.Scope scope, dev.gitops.model.DesiredState desired) {
      enter();
      try {
        return super.read(scope, desired);
      } finally {
        now.decrementAndGet();
      }
    }

    @Override
    public String applyWithDetail(dev.gitops.plan.Action action, String owner) {
      enter();
      try {
        return super.applyWithDetail(action, owner);
      } finally {
        now.decrementAndGet();
      }
    }

    private void enter() {
      calls.incrementAndGet();
      most.accumulateAndGet(now.incrementAndGet(), Math::max);
    }
  }

  @Test
  void aReconcilerAddedAgainWhileItsRemovedRunGoesOnWaitsForThatRun() throws Exception {
    Embedded.app(dir, "web", 2, "blue");
    GatedTarget gated = new GatedTarget(memory, Rig.cm("web-0"));
    fleet = Fleet.builder().workers(4).interval(HOUR).lockTargets(false).build().start();
    fleet.add(Embedded.reconciler(dir, "web", gated).applyOptions(Embedded.oneStepAtATime()).build());
    gated.awaitEntered();

    fleet.remove("web");
    fleet.add(Embedded.reconciler(dir, "web", gated).applyOptions(Embedded.oneStepAtATime()).build());

    AgentStatus waiting = fleet.status("web").orElseThrow();
    assertEquals("PreviousRunInProgress", waiting.condition(Condition.Type.READY).reason(), waiting::toString);
    assertEquals(1, gated.maxInFlight.get());
    gated.release.countDown();
    await("the new web ready", () -> fleet.status("web").orElseThrow().is(Condition.Type.READY));
    assertEquals(1, gated.maxInFlight.get(), "never two runs of web writing at once");
    assertEquals(2, memory.snapshot().byId().size());
  }

  @Test
  void addingAndRemovingOneNameFromManyThreadsKeepsOneRunAtATimeAndAConsistentStatus() throws Exception {
    Embedded.app(dir, "web", 3, "blue");
    Overlaps runs = new Overlaps(memory);
    fleet = Fleet.builder().workers(4).interval(HOUR).lockTargets(false).build().start();
    List<Thread> churners = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    for (int t = 0; t < 4; t++) {
      churners.add(new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < 200; i++) {
          try {
            fleet.add(Embedded.reconciler(dir, "web", runs).applyOptions(Embedded.oneStepAtATime()).build());
          } catch (IllegalArgumentException taken) { // another thread's web is in: remove it
            fleet.remove("web");
          }
        }
      }));
    }
    churners.forEach(Thread::start);
    go.countDown();
    for (Thread t : churners) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
    fleet.remove("web");
    fleet.add(Embedded.reconciler(dir, "web", runs).applyOptions(Embedded.oneStepAtATime()).build());

    await("web ready", () -> fleet.status("web").orElseThrow().is(Condition.Type.READY));
    FleetStatus status = fleet.status();
    assertEquals(1, status.reconcilers());
    assertEquals(List.of("web"), status.members().stream().map(AgentStatus::name).toList());
    assertEquals(1, runs.most.get(), "reads and writes of web at once, over " + runs.calls.get() + " calls");
    assertEquals(3, memory.snapshot().byId().size());
  }

  @Test
  void aThousandMembersAddedAtOnceFromSeveralThreadsEachRunOnceAndAllBecomeReady() throws Exception {
    int count = 1000;
    for (int i = 0; i < count; i++) {
      Embedded.app(dir, "m" + i, 1, "blue");
    }
    RunsByName runs = new RunsByName();
    fleet = Fleet.builder().workers(4).interval(HOUR).lockTargets(false).build().start();
    List<Thread> adders = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int first = t;
      adders.add(new Thread(() -> {
        for (int i = first; i < count; i += 4) {
          fleet.add(Embedded.reconciler(dir, "m" + i, memory).listener(runs.of("m" + i)).build());
        }
      }));
    }
    adders.forEach(Thread::start);
    for (Thread t : adders) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }

    await("1000 ready", () -> fleet.status().ready() == count);
    FleetStatus status = fleet.status();
    assertEquals(count, status.reconcilers());
    assertEquals(count, status.members().size());
    assertEquals(0, status.stalled());
    assertEquals(count, runs.runs.get(), "one run each: no lost and no doubled wake-up");
    assertEquals(1, runs.most.get());
    assertEquals(count, memory.snapshot().byId().size());
  }

  @Test
  void statusSnapshotsReadWhileMembersFailAndRecoverAreNeverTorn() throws Exception {
    Embedded.app(dir, "web", 2, "blue");
    fleet = Fleet.builder().workers(2).interval(Duration.ofMillis(1)).backoff(Duration.ofMillis(1),
        Duration.ofMillis(2)).driftInterval(Duration.ofMillis(1)).jitter(0).lockTargets(false).build().start();
    fleet.add(Embedded.reconciler(dir, "web", memory).build());
    AtomicInteger seen = new AtomicInteger();
    for (int round = 0; round < 20; round++) {
      memory.failNext(Rig.cm("web-" + (round % 2)), 1, false);
      memory.remove(Rig.cm("web-" + (round % 2)));
      for (int i = 0; i < 200; i++) {
        FleetStatus fs = fleet.status();
        assertEquals(fs.reconcilers(), fs.members().size());
        assertEquals(fs.ready(), (int) fs.members().stream().filter(s -> s.is(Condition.Type.READY)).count());
        fs.members().forEach(FleetChurnTest::assertConsistent);
        seen.incrementAndGet();
      }
    }
    assertTrue(seen.get() > 0);
  }

  /** What one snapshot says must hold together: ready means no error and an applied revision. */
  private static void assertConsistent(AgentStatus s) {
    boolean ready = s.is(Condition.Type.READY);
    boolean stalled = s.is(Condition.Type.STALLED);
    assertTrue(!ready || s.failures() == 0 && s.lastError().isEmpty() && s.lastApplied() != null
        && s.condition(Condition.Type.READY).message().equals("applied " + s.lastApplied()), s::toString);
    assertTrue(!stalled || s.failures() > 0 && !s.lastError().isEmpty(), s::toString);
    assertTrue(!(ready && stalled), s::toString);
  }
}
