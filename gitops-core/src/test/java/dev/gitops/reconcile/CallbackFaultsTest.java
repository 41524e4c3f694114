package dev.gitops.reconcile;

import static dev.gitops.reconcile.Embedded.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.Outcome;
import dev.gitops.model.ActualState;
import dev.gitops.model.DesiredState;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.reconcile.AgentStatus.Condition;
import dev.gitops.target.ForwardingTarget;
import dev.gitops.target.Health;
import dev.gitops.target.InMemoryTarget;
import dev.gitops.target.Scope;
import dev.gitops.target.TargetException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/** User code that throws or blocks (listeners, targets, loaders) and interrupts, on real threads. */
class CallbackFaultsTest {
  private static final Duration HOUR = Duration.ofHours(1);

  @TempDir Path dir;

  /** A listener that throws {@code error} from every event. */
  private static ReconcileListener throwing(Error error) {
    return new ReconcileListener() {
      @Override public void revisionSeen(dev.gitops.model.Revision r) { throw error; }
      @Override public void planned(Plan plan) { throw error; }
      @Override public void applied(Outcome outcome) { throw error; }
      @Override public void reconciled(ReconcileResult result) { throw error; }
    };
  }

  @Test
  void aListenerThrowingAnErrorFromEveryEventNeverBreaksTheRun() throws Exception {
    Embedded.app(dir, "web", 3, "blue");
    InMemoryTarget target = InMemoryTarget.named("t");
    try (PullAgent agent = PullAgent.every(HOUR, Embedded.reconciler(dir, "web", target)
        .listener(throwing(new AssertionError("listener bug"))).build()).start()) {
      await("a first run", () -> agent.status().lastAttempted() != null && agent.status().nextRun() != null);

      assertTrue(agent.status().is(Condition.Type.READY), agent.status()::toString);
      assertEquals(0, agent.status().failures());
      assertEquals(3, target.snapshot().byId().size());
    }
  }

  @Test
  void whatAListenerThrowsIsLoggedOnceWithTheReconcilersNameAndOutOfMemoryPassesThrough() {
    RecordingLogger log = new RecordingLogger();
    SafeListener safe = new SafeListener("web", log, throwing(new StackOverflowError()));

    safe.planned(null);

    assertEquals(1, log.lines.size(), log.text());
    RecordingLogger.Line line = log.lines.get(0);
    assertEquals(Level.WARN, line.level());
    assertTrue(line.message().contains("web") && line.message().contains("StackOverflowError")
        && line.message().contains("planned"), line.message());
    SafeListener starved = new SafeListener("web", log, throwing(new OutOfMemoryError("test")));
    assertThrows(OutOfMemoryError.class, () -> starved.planned(null));
  }

  /** A listener's exception may quote a name: its message printed raw in the stack trace a backend prints. */
  @Test
  void whatAListenerThrowsIsLoggedWithItsMessagesEscapedInTheStackTraceToo() {
    RecordingLogger log = new RecordingLogger();
    new SafeListener("web", log, throwing(new AssertionError("expected web\n[WARN] forged\u001b[2J",
        new IllegalStateException("\u202eevil")))).planned(null);

    String text = log.text();
    assertTrue(text.contains("java.lang.AssertionError: expected web\\n[WARN] forged\\x1b[2J"), text);
    assertTrue(text.contains("Caused by: java.lang.IllegalStateException: \\u202eevil"), text);
    assertTrue(text.contains("at dev.gitops.reconcile.CallbackFaultsTest.whatAListener"), "the stack trace is kept: " + text);
    for (String raw : new String[] {"\n[WARN]", "\u001b", "\u202e"}) {
      assertFalse(text.contains(raw), dev.gitops.model.ResourceId.escape(text));
    }
  }

  @Test
  void aFleetMemberWhoseListenerBlocksHoldsOneWorkerTheOthersConvergeAndCloseEndsOnceItReturns()
      throws Exception {
    CountDownLatch unblock = new CountDownLatch(1);
    CountDownLatch blocked = new CountDownLatch(1);
    ReconcileListener blocking = new ReconcileListener() {
      @Override public void planned(Plan plan) {
        blocked.countDown();
        try {
          unblock.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    InMemoryTarget target = InMemoryTarget.named("t");
    Fleet fleet = Fleet.builder().workers(2).interval(HOUR).lockTargets(false).build().start();
    Embedded.app(dir, "stuck", 1, "blue");
    fleet.add(Embedded.reconciler(dir, "stuck", target).listener(blocking).build());
    assertTrue(blocked.await(30, TimeUnit.SECONDS));
    for (int i = 0; i < 6; i++) {
      Embedded.app(dir, "app" + i, 2, "blue");
      fleet.add(Embedded.reconciler(dir, "app" + i, target).build());
    }

    await("the 6 others ready", () -> fleet.status().ready() == 6);
    fleet.stop();
    assertFalse(fleet.awaitTermination(Duration.ZERO), "the blocked run is still in its listener");
    unblock.countDown();
    assertTrue(fleet.awaitTermination(Duration.ofSeconds(30)));
  }

  /** A target whose reads after the first, or whose health checks, throw what a bug would. */
  private static final class BuggyTarget extends ForwardingTarget {
    private final AtomicInteger reads = new AtomicInteger();
    private final boolean badHealth;

    BuggyTarget(InMemoryTarget memory, boolean badHealth) {
      super(memory);
      this.badHealth = badHealth;
    }

    @Override
    public ActualState read(Scope scope, DesiredState desired) {
      if (!badHealth && reads.incrementAndGet() > 1) {
        throw new NullPointerException("bug in read");
      }
      return super.read(scope, desired);
    }

    @Override
    public Health health(ResourceId id) {
      if (badHealth) {
        throw new IllegalStateException("bug in health");
      }
      return super.health(id);
    }
  }

  /** Deploys 2 ConfigMaps through a buggy target: the deploy returns, every step failed naming {@code bug}. */
  private void assertEveryStepFailsNaming(InMemoryTarget memory, boolean badHealth, String bug) {
    Embedded.app(dir, "web", 2, "blue");
    ReconcileResult result = PushDeployer.of(Embedded.reconciler(dir, "web", new BuggyTarget(memory, badHealth))
        .build()).deploy("HEAD");

    assertFalse(result.isSuccess());
    assertEquals(2, result.report().outcomes().size());
    result.report().outcomes().forEach(o -> assertTrue(o instanceof Outcome.Failed f
        && f.cause().getMessage().contains(bug), o::toString));
    assertTrue(memory.lockedBy().isEmpty());
  }

  @Test
  void aTargetThrowingUncheckedFromItsHealthCheckFailsItsStepsInTheReportNotTheDeploy() {
    assertEveryStepFailsNaming(InMemoryTarget.named("t"), true, "bug in health");
  }

  @Test
  void aTargetThrowingUncheckedFromItsReadBeforeAWaveFailsThatWavesStepsInTheReport() {
    InMemoryTarget memory = InMemoryTarget.named("t");
    assertEveryStepFailsNaming(memory, false, "bug in read");
    assertEquals(0, memory.snapshot().byId().size(), "nothing written");
  }

  @Test
  void anInterruptStopsADeployPromptlyAndLeavesTheLockFree() throws Exception {
    Embedded.app(dir, "web", 3, "blue");
    InMemoryTarget memory = InMemoryTarget.named("t");
    CountDownLatch writing = new CountDownLatch(1);
    ForwardingTarget slow = new ForwardingTarget(memory) {
      @Override public String applyWithDetail(Action action, String owner) {
        writing.countDown();
        try {
          new CountDownLatch(1).await(30, TimeUnit.SECONDS); // a write that only an interrupt ends
          throw new AssertionError("never interrupted");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new TargetException(action.id(), "interrupted", false, e);
        }
      }
    };
    PushDeployer deployer = PushDeployer.of(Embedded.reconciler(dir, "web", slow)
        .applyOptions(Embedded.oneStepAtATime()).build());
    CompletableFuture<ReconcileResult> deploy = new CompletableFuture<>();
    Thread deploying = new Thread(() -> {
      deploy.complete(deployer.deploy("HEAD"));
      deploy.obtrudeValue(Thread.currentThread().isInterrupted() ? deploy.join() : null);
    }, "deploying");
    deploying.start();
    assertTrue(writing.await(30, TimeUnit.SECONDS));

    deploying.interrupt();
    ReconcileResult result = deploy.get(30, TimeUnit.SECONDS);

    assertTrue(result != null, "the interrupt flag was kept");
    assertEquals(java.util.List.of("failed", "skipped", "skipped"),
        result.report().outcomes().stream().map(o -> o.kind().word()).toList());
    assertTrue(memory.lockedBy().isEmpty(), "the lock was released");
    assertTrue(PushDeployer.of(Embedded.reconciler(dir, "web", memory).build()).deploy("HEAD").isSuccess());
  }
}
