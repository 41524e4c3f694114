package dev.gitops.reconcile;

import static dev.gitops.reconcile.Embedded.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.ResourceId;
import dev.gitops.reconcile.AgentStatus.Condition;
import dev.gitops.target.ForwardingTarget;
import dev.gitops.target.Health;
import dev.gitops.target.InMemoryTarget;
import dev.gitops.target.Target;
import dev.gitops.testing.time.MutableClock;
import dev.gitops.testing.time.VirtualScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs that pass the fleet's run deadline: real worker threads, deadlines and backoffs on a
 * {@link VirtualScheduler} (they fire when the test advances it), hangs gated by latches.
 */
class FleetRunTimeoutTest {
  private static final Duration DEADLINE = Duration.ofMinutes(1);
  private static final Duration BACKOFF = Duration.ofSeconds(10);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Rig.START);
  private final VirtualScheduler timer = new VirtualScheduler(clock);
  private final List<HungTarget> hangs = new ArrayList<>();
  private Fleet fleet;

  @AfterEach
  void close() {
    hangs.forEach(h -> h.release.countDown());
    if (fleet != null) {
      fleet.close();
    }
  }

  /** A fleet on real workers, timed by the virtual scheduler, with a one-minute run deadline. */
  private Fleet.Builder fleet(int workers) {
    return Fleet.builder().workers(workers).scheduler(timer).clock(clock).interval(Duration.ofHours(1)).jitter(0)
        .backoff(BACKOFF, Duration.ofMinutes(5)).runTimeout(DEADLINE).lockTargets(false);
  }

  /** A reconciler {@code app} of two ConfigMaps writing to {@code target}. */
  private Reconciler app(String app, Target target) {
    return app(app, target, ReconcileListener.NONE);
  }

  private Reconciler app(String app, Target target, ReconcileListener listener) {
    Embedded.app(dir, app, 2, "blue");
    return Embedded.reconciler(dir, app, target).applyOptions(Embedded.oneStepAtATime()).listener(listener).build();
  }

  /** A target whose first read hangs, ignoring interrupts, until released; then it throws or reads. */
  private HungTarget hang(boolean failOnRelease) {
    HungTarget h = new HungTarget(InMemoryTarget.named("hung"), failOnRelease, false);
    hangs.add(h);
    return h;
  }

  /** One worker, and reconciler {@code web} whose first read hangs: started, stuck, past its deadline. */
  private HungTarget timedOutWeb(boolean failOnRelease) throws InterruptedException {
    return timedOutWeb(1, failOnRelease, ReconcileListener.NONE);
  }

  /** As {@link #timedOutWeb(boolean)}, with {@code workers} workers and web's {@code listener}. */
  private HungTarget timedOutWeb(int workers, boolean failOnRelease, ReconcileListener listener)
      throws InterruptedException {
    fleet = fleet(workers).build().start();
    HungTarget web = hang(failOnRelease);
    fleet.add(app("web", web, listener));
    web.awaitEntered();
    timer.advance(DEADLINE); // the virtual timer runs the deadline on this thread
    return web;
  }

  private AgentStatus status(String name) {
    return fleet.status(name).orElseThrow();
  }

  @Test
  void runsHungAsManyAsTheWorkersArePassTheirDeadlineAndTheOthersConverge() throws Exception {
    fleet = fleet(2).build().start();
    HungTarget a = hang(false);
    HungTarget b = hang(false);
    fleet.add(app("hung-a", a));
    fleet.add(app("hung-b", b));
    a.awaitEntered();
    b.awaitEntered();
    InMemoryTarget healthy = InMemoryTarget.named("healthy");
    for (int i = 0; i < 3; i++) {
      fleet.add(app("ok" + i, healthy));
    }
    assertEquals(3, fleet.status().queued(), "both workers are held by the hung runs");

    timer.advance(DEADLINE);

    await("the 3 healthy ones ready", () -> fleet.status().ready() == 3);
    assertEquals(6, healthy.snapshot().byId().size());
    for (String hung : List.of("hung-a", "hung-b")) {
      Condition stalled = status(hung).condition(Condition.Type.STALLED);
      assertTrue(stalled.status(), stalled::toString);
      assertEquals("RunTimedOut", stalled.reason());
      assertTrue(stalled.message().contains("deadline of PT1M in phase read"), stalled::toString);
    }
    assertEquals(2, fleet.status().abandoned(), fleet.status()::toString);
    assertTrue(fleet.status().toString().endsWith(", 2 abandoned"), fleet.status()::toString);
    // the interrupt is sent by the deadline; the stuck thread counts it when next scheduled
    await("both stuck threads interrupted", () -> a.interrupts.get() == 1 && b.interrupts.get() == 1);
  }

  @Test
  void theNextRunOfATimedOutReconcilerWaitsUntilTheStuckRunReturns() throws Exception {
    HungTarget web = timedOutWeb(false);
    assertEquals("RunTimedOut", status("web").condition(Condition.Type.STALLED).reason());

    timer.advance(BACKOFF); // the retry is due, but the stuck run has not returned

    AgentStatus waiting = status("web");
    assertEquals("PreviousRunInProgress", waiting.condition(Condition.Type.READY).reason(), waiting::toString);
    assertTrue(waiting.condition(Condition.Type.READY).message().contains("deadline of PT1M"), waiting::toString);
    assertEquals("RunTimedOut", waiting.condition(Condition.Type.STALLED).reason());
    assertEquals(1, web.reads.get(), "no second run while the stuck one lives");
    web.release.countDown();
    await("web ready", () -> status("web").is(Condition.Type.READY));
    assertEquals(1, web.mostAtOnce.get(), "never two runs of web at once");
    // the stuck run's return schedules the next run from inside its task; its worker counts itself
    // back (abandoned - 1) once that task has returned, which may come after the next run is ready
    await("the stuck worker returned", () -> fleet.status().abandoned() == 0);
  }

  @Test
  void aReconcilerAddedAgainWhileItsTimedOutRunIsStuckWaitsForIt() throws Exception {
    HungTarget web = timedOutWeb(false);

    fleet.remove("web");
    fleet.add(app("web", web));

    AgentStatus waiting = status("web");
    assertEquals("PreviousRunInProgress", waiting.condition(Condition.Type.READY).reason(), waiting::toString);
    assertEquals(1, web.reads.get(), "the new web does not run while the old one's run is stuck");
    web.release.countDown();
    await("the new web ready", () -> status("web").is(Condition.Type.READY));
    assertEquals(1, web.mostAtOnce.get(), "never two runs of web at once");
  }

  @Test
  void aStuckRunThatReturnsLateRecordsNothingAndWritesNothing() throws Exception {
    HungTarget web = timedOutWeb(true);
    AgentStatus timedOut = status("web");

    web.release.countDown(); // its read fails now: a result that must not replace the timeout
    await("the stuck run returned", () -> fleet.status().abandoned() == 0);

    AgentStatus after = status("web");
    assertEquals(timedOut.conditions(), after.conditions(), after::toString);
    assertEquals(1, after.failures());
    assertEquals(timedOut.lastError(), after.lastError());
    assertTrue(web.snapshot().byId().isEmpty(), "nothing written by the late run");
    timer.advance(BACKOFF);
    await("web ready on its next run", () -> status("web").is(Condition.Type.READY));
    assertEquals(2, web.snapshot().byId().size());
  }

  @Test
  void aWaitThatHonoursInterruptsEndsAtTheDeadline() throws Exception {
    fleet = fleet(1).build().start();
    Unhealthy web = new Unhealthy(InMemoryTarget.named("web"));
    Embedded.app(dir, "web", 1, "blue");
    fleet.add(Embedded.reconciler(dir, "web", web).applyOptions(Embedded.oneStepAtATime()
        .withHealthWait(Duration.ofHours(2), Duration.ofMillis(20))).build()); // the engine's own wait
    assertTrue(web.polled.await(30, TimeUnit.SECONDS));

    timer.advance(DEADLINE);

    await("the interrupted run returned", () -> fleet.status().abandoned() == 0
        && status("web").condition(Condition.Type.STALLED).reason().equals("RunTimedOut"));
    assertTrue(status("web").condition(Condition.Type.STALLED).message().contains("in phase apply"));
  }

  @Test
  void pastTheBoundAStuckRunKeepsItsWorker() throws Exception {
    fleet = fleet(1).build().start();
    HungTarget first = hang(false);
    HungTarget second = hang(false);
    fleet.add(app("first", first));
    first.awaitEntered();
    fleet.add(app("second", second));
    timer.advance(DEADLINE); // first given up on: the one thread the bound allows
    second.awaitEntered();
    fleet.add(app("third", InMemoryTarget.named("third")));

    timer.advance(DEADLINE);

    Condition stalled = status("second").condition(Condition.Type.STALLED);
    assertEquals("RunTimedOut", stalled.reason());
    assertTrue(stalled.message().contains("keeps its worker until it returns"), stalled::toString);
    assertEquals(1, fleet.status().abandoned());
    assertEquals(2, fleet.status().queued(), "third and the news of second's timeout wait: second holds the worker");
    second.release.countDown();
    await("third ready once second returned", () -> status("third").is(Condition.Type.READY));
  }

  @Test
  void closeReturnsWhileAThreadPastItsDeadlineIsStuck() throws Exception {
    HungTarget web = timedOutWeb(false);

    assertTimeoutPreemptively(Duration.ofSeconds(20), fleet::close, "close waits for no abandoned thread");
    assertTrue(fleet.awaitTermination(Duration.ZERO));
    assertEquals(1, fleet.status().abandoned(), "still stuck, and counted");
  }

  @Test
  void theListenerHearsATimedOutRunOnceOnAWorkerNeverOnTheTimer() throws Exception {
    TimeoutListener told = new TimeoutListener(false);

    HungTarget web = timedOutWeb(1, false, told);

    RunTimedOutException timedOut = told.awaitTold();
    assertEquals(DEADLINE, timedOut.timeout());
    assertEquals("read", timedOut.phase());
    assertTrue(timedOut.getMessage().startsWith("fleet: web: the run passed its deadline of PT1M"),
        timedOut::getMessage);
    assertTrue(told.threads.get(0).getName().startsWith("gitops-fleet-worker-"), told.threads::toString);
    returnsAndRunsAgain(web);
    assertEquals(1, told.timeouts.size(), "told once");
  }

  /** The stuck read of {@code web} returns; its next run, due after the backoff, converges. */
  private void returnsAndRunsAgain(HungTarget web) {
    web.release.countDown();
    await("the stuck run returned", () -> fleet.status().abandoned() == 0);
    timer.advance(BACKOFF);
    await("web ready", () -> status("web").is(Condition.Type.READY));
  }

  @Test
  void aListenerThatBlocksThenThrowsOnATimeoutHoldsOneWorkerAndBreaksNothing() throws Exception {
    TimeoutListener told = new TimeoutListener(true);
    HungTarget web = timedOutWeb(2, false, told);
    told.awaitTold();

    fleet.add(app("ok", InMemoryTarget.named("ok"))); // on the other worker, while the listener blocks

    await("ok ready", () -> status("ok").is(Condition.Type.READY));
    told.release.countDown(); // the listener throws now
    returnsAndRunsAgain(web);
    assertEquals(1, told.timeouts.size());
  }

  /** A target whose objects never become healthy: the applier's health wait goes on until stopped. */
  private static final class Unhealthy extends ForwardingTarget {
    final CountDownLatch polled = new CountDownLatch(1);

    Unhealthy(Target target) {
      super(target);
    }

    @Override
    public Health health(ResourceId id) {
      polled.countDown();
      return Health.progressing("rolling out");
    }
  }
}
