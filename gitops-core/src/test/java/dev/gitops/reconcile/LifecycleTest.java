package dev.gitops.reconcile;

import static dev.gitops.reconcile.Embedded.await;
import static dev.gitops.reconcile.Embedded.awaitNoThreadSince;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.reconcile.AgentStatus.Condition;
import dev.gitops.target.InMemoryTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting and closing a pull agent, a fleet and a push deployer on real threads: every thread they
 * start is a daemon (forgetting {@code close()} never keeps a JVM from exiting) and has ended soon
 * after {@code close()}; {@code close()} twice, during a run and from a listener of that run returns.
 */
class LifecycleTest {
  private static final Duration HOUR = Duration.ofHours(1);

  @TempDir Path dir;
  private Set<Thread> before;

  @BeforeEach
  void census() {
    before = Embedded.threads();
  }

  private void assertAllDaemons() {
    List<String> userThreads = Embedded.startedSince(before).stream().filter(t -> !t.isDaemon())
        .map(Thread::getName).toList();
    assertEquals(List.of(), userThreads, "threads that would keep the JVM from exiting");
  }

  @Test
  void aPullAgentsThreadsAreDaemonsAndEndWithClose() throws Exception {
    Embedded.app(dir, "web", 8, "blue");
    InMemoryTarget target = InMemoryTarget.named("t");
    PullAgent agent = PullAgent.every(HOUR, Embedded.reconciler(dir, "web", target).build()).start();
    await("web applied", () -> agent.status().is(Condition.Type.READY));
    assertEquals(8, target.snapshot().byId().size());
    assertAllDaemons();

    agent.close();
    agent.close();

    assertTrue(agent.awaitTermination(Duration.ZERO));
    awaitNoThreadSince(before);
  }

  @Test
  void onItsOwnThreadsAnAgentTimesAStuckRunOutTellsTheListenerOffTheTimerAndEndsWithClose() throws Exception {
    Embedded.app(dir, "web", 2, "blue");
    HungTarget hung = new HungTarget(InMemoryTarget.named("t"), false, false);
    TimeoutListener told = new TimeoutListener(false);
    PullAgent agent = PullAgent.builder(Embedded.reconciler(dir, "web", hung).listener(told).build()).interval(HOUR)
        .backoff(Duration.ofMillis(50), Duration.ofMillis(50)).runTimeout(Duration.ofSeconds(3)).build().start();
    try {
      RunTimedOutException timedOut = told.awaitTold(); // a real deadline: the agent's own timer times it

      assertEquals("read", timedOut.phase());
      String thread = told.threads.get(0).getName();
      assertTrue(thread.startsWith("gitops-agent-web-") && !thread.contains("timer"), thread);
      assertEquals("RunTimedOut", agent.status().condition(Condition.Type.STALLED).reason());
      await("the retry waits for the stuck run",
          () -> "PreviousRunInProgress".equals(agent.status().condition(Condition.Type.READY).reason()));
      assertAllDaemons();
    } finally {
      hung.release.countDown();
    }
    await("web ready once the stuck run returned", () -> agent.status().is(Condition.Type.READY));
    assertEquals(1, told.timeouts.size(), "told once");
    assertEquals(1, hung.mostAtOnce.get(), "never two runs at once");

    agent.close();

    assertTrue(agent.awaitTermination(Duration.ZERO));
    awaitNoThreadSince(before);
  }

  @Test
  void aFleetsThreadsAreDaemonsAndEndWithCloseAfterMembersCameAndWent() throws Exception {
    InMemoryTarget target = InMemoryTarget.named("t");
    Fleet fleet = Fleet.builder().workers(3).interval(HOUR).lockTargets(false).build().start();
    for (int i = 0; i < 5; i++) {
      Embedded.app(dir, "app" + i, 6, "blue");
      fleet.add(Embedded.reconciler(dir, "app" + i, target).build());
    }
    await("5 ready", () -> fleet.status().ready() == 5);
    fleet.remove("app0");
    fleet.remove("app1");
    Embedded.app(dir, "app5", 6, "blue");
    fleet.add(Embedded.reconciler(dir, "app5", target).build());
    await("app5 ready", () -> fleet.status("app5").orElseThrow().is(Condition.Type.READY));
    assertAllDaemons();

    fleet.close();
    fleet.close();

    assertTrue(fleet.awaitTermination(Duration.ZERO));
    awaitNoThreadSince(before);
  }

  @Test
  void aPushDeployLeavesNoThreadBehind() {
    Embedded.app(dir, "web", 8, "blue");
    InMemoryTarget target = InMemoryTarget.named("t");

    ReconcileResult result = PushDeployer.of(Embedded.reconciler(dir, "web", target).build()).deploy("HEAD");

    assertTrue(result.isSuccess(), result::toString);
    assertEquals(8, target.snapshot().byId().size());
    awaitNoThreadSince(before);
  }

  @Test
  void closeDuringARunLetsTheStepFinishSkipsTheRestAndReturns() throws Exception {
    Embedded.app(dir, "web", 3, "blue");
    InMemoryTarget memory = InMemoryTarget.named("t");
    GatedTarget target = new GatedTarget(memory, Rig.cm("web-0"));
    PullAgent agent = PullAgent.every(HOUR, Embedded.reconciler(dir, "web", target)
        .applyOptions(Embedded.oneStepAtATime()).build()).start();
    target.awaitEntered();

    CompletableFuture<Void> closing = CompletableFuture.runAsync(agent::close);
    CompletableFuture<Void> again = CompletableFuture.runAsync(agent::close); // both while the step runs
    await("stopped", () -> agent.status().stopped());
    target.release.countDown();
    CompletableFuture.allOf(closing, again).get(30, TimeUnit.SECONDS);

    assertTrue(agent.awaitTermination(Duration.ZERO));
    assertEquals(1, memory.snapshot().byId().size(), "the step in progress finished, the others were skipped");
    awaitNoThreadSince(before);
  }

  /** A listener that runs {@code close} when a reconcile ends, then counts {@code closed} down. */
  private static ReconcileListener closing(Runnable close, CountDownLatch closed) {
    return new ReconcileListener() {
      @Override public void reconciled(ReconcileResult result) {
        close.run();
        closed.countDown();
      }
    };
  }

  @Test
  void closingAnAgentFromItsOwnListenerReturnsAndEndsTheAgent() throws Exception {
    Embedded.app(dir, "web", 2, "blue");
    AtomicReference<PullAgent> self = new AtomicReference<>();
    CountDownLatch closed = new CountDownLatch(1);
    ReconcileListener closer = closing(() -> self.get().close(), closed);
    PullAgent agent = PullAgent.every(HOUR, Embedded.reconciler(dir, "web", InMemoryTarget.named("t"))
        .listener(closer).build());
    self.set(agent);
    agent.start();

    assertTrue(closed.await(30, TimeUnit.SECONDS), "close() from the listener returned");
    assertTrue(agent.awaitTermination(Duration.ofSeconds(30)));
    awaitNoThreadSince(before);
  }

  @Test
  void closingAFleetFromAMembersListenerReturnsAndEndsTheFleet() throws Exception {
    Embedded.app(dir, "web", 2, "blue");
    AtomicReference<Fleet> self = new AtomicReference<>();
    CountDownLatch closed = new CountDownLatch(1);
    ReconcileListener closer = closing(() -> self.get().close(), closed);
    Fleet fleet = Fleet.builder().workers(2).interval(HOUR).build();
    self.set(fleet);
    fleet.add(Embedded.reconciler(dir, "web", InMemoryTarget.named("t")).listener(closer).build());
    fleet.start();

    assertTrue(closed.await(20, TimeUnit.SECONDS), "close() from the listener returned (it waited for itself)");
    assertTrue(fleet.awaitTermination(Duration.ofSeconds(30)));
    awaitNoThreadSince(before);
  }
}
