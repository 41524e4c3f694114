package dev.gitops.reconcile;

import static dev.gitops.reconcile.Embedded.await;
import static dev.gitops.reconcile.Rig.configMap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.reconcile.AgentStatus.Condition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A pull agent's runs that pass their deadline: the first run on a thread of its own (it calls the
 * virtual scheduler), deadlines, retries and the listener's news in virtual time on the test thread,
 * hangs gated by latches.
 */
class PullAgentRunTimeoutTest extends OnARig {
  private static final Duration BACKOFF = Duration.ofSeconds(10);

  private HungTarget hung;
  private Thread firstRun;
  private PullAgent agent;

  @AfterEach
  void release() throws InterruptedException {
    if (hung != null) {
      hung.release.countDown();
    }
    if (firstRun != null) {
      firstRun.join(TimeUnit.SECONDS.toMillis(30));
    }
    if (agent != null) {
      agent.close();
    }
  }

  /** An agent whose first run is stuck in the target's read, on a thread of its own, within its deadline. */
  private void stuck(boolean failOnRelease, boolean honoursInterrupts) throws InterruptedException {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    hung = new HungTarget(rig.memory, failOnRelease, honoursInterrupts);
    agent = agent(rig.reconciler(hung).build()).build().start();
    firstRun = new Thread(() -> rig.scheduler.advance(Duration.ZERO), "first-run");
    firstRun.start();
    hung.awaitEntered();
  }

  private void awaitFirstRunReturned() throws InterruptedException {
    firstRun.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(firstRun.isAlive(), "the first run never returned");
  }

  private long timeoutsTold() {
    return rig.listener.failures.stream().filter(RunTimedOutException.class::isInstance).count();
  }

  @Test
  void aRunHungIgnoringInterruptsIsTimedOutAndTheNextRunWaitsUntilItReturns() throws Exception {
    stuck(false, false);

    rig.scheduler.advance(DEADLINE);

    AgentStatus timedOut = agent.status();
    Condition stalled = timedOut.condition(Condition.Type.STALLED);
    assertTrue(stalled.status(), timedOut::toString);
    assertEquals("RunTimedOut", stalled.reason());
    assertTrue(stalled.message().contains("deadline of PT45M in phase read"), stalled::toString);
    assertFalse(timedOut.is(Condition.Type.READY));
    assertEquals(Rig.START.plus(DEADLINE).plus(BACKOFF), timedOut.nextRun(), "retried after the backoff");
    await("the stuck thread interrupted", () -> hung.interrupts.get() == 1);
    assertTrue(rig.memory.lockedBy().isPresent(), "the stuck run still holds the target's lock");

    rig.scheduler.advance(BACKOFF); // the retry is due, and the stuck run has not returned
    assertTrue(agent.triggerNow());
    rig.scheduler.advance(Duration.ZERO);

    AgentStatus waiting = agent.status();
    assertEquals("PreviousRunInProgress", waiting.condition(Condition.Type.READY).reason(), waiting::toString);
    assertTrue(waiting.condition(Condition.Type.READY).message().contains("deadline of PT45M"), waiting::toString);
    assertEquals(1, hung.reads.get(), "no second run while the stuck one lives");
    hung.release.countDown();
    awaitFirstRunReturned();
    rig.scheduler.advance(Duration.ZERO); // the run owed since the retry came due
    assertTrue(agent.status().is(Condition.Type.READY), agent.status()::toString);
    assertEquals("blue", rig.color("a"));
    assertEquals(1, hung.mostAtOnce.get(), "never two runs at once");
    assertEquals(1, timeoutsTold(), "the listener heard the timeout once");
  }

  @Test
  void aHangThatHonoursInterruptsEndsAtTheDeadlineAndItsFailureDoesNotReplaceTheTimeout() throws Exception {
    stuck(false, true);

    rig.scheduler.advance(DEADLINE);

    awaitFirstRunReturned();
    assertEquals(1, hung.interrupts.get(), "ended by the deadline's interrupt");
    AgentStatus status = agent.status();
    assertEquals("RunTimedOut", status.condition(Condition.Type.STALLED).reason(), status::toString);
    assertEquals(1, status.failures());
    assertFalse(rig.memory.lockedBy().isPresent(), "the run returned and let the lock go");
    assertEquals(BACKOFF, rig.scheduler.nextDelay(), "retried after the backoff, as any failure");
    rig.scheduler.advance(BACKOFF);
    assertTrue(agent.status().is(Condition.Type.READY), agent.status()::toString);
    assertEquals(1, timeoutsTold());
  }

  @Test
  void aStuckRunThatReturnsLateRecordsNothingAndWritesNothing() throws Exception {
    stuck(true, false);
    rig.scheduler.advance(DEADLINE);
    AgentStatus timedOut = agent.status();
    rig.scheduler.advance(Duration.ofSeconds(5));

    hung.release.countDown(); // its read fails now: a result that must not replace the timeout
    awaitFirstRunReturned();

    AgentStatus after = agent.status();
    assertEquals(timedOut.conditions(), after.conditions(), after::toString);
    assertEquals(1, after.failures());
    assertEquals(timedOut.lastError(), after.lastError());
    assertEquals(timedOut.nextRun(), after.nextRun(), "its next run is the one timed at its deadline");
    assertEquals(List.of(), rig.writes());
  }

  @Test
  void awaitTerminationAfterStopWaitsForAStuckRunUntilItsDeadlineOnly() throws Exception {
    stuck(false, false);
    agent.stop();
    assertFalse(agent.awaitTermination(Duration.ZERO), "a run within its deadline is waited for");

    rig.scheduler.advance(DEADLINE);

    assertTrue(agent.awaitTermination(Duration.ZERO), "one past its deadline is not");
    assertEquals(1, timeoutsTold());
  }

  @Test
  void closeReturnsWhileAThreadPastItsDeadlineIsStuck() throws Exception {
    stuck(false, false);
    rig.scheduler.advance(DEADLINE);

    assertTimeoutPreemptively(Duration.ofSeconds(20), agent::close, "close waits for no thread past its deadline");

    assertTrue(agent.awaitTermination(Duration.ZERO));
    assertTrue(firstRun.isAlive(), "still stuck");
    AgentStatus status = agent.status();
    assertTrue(status.stopped());
    assertEquals("RunTimedOut", status.condition(Condition.Type.STALLED).reason(), status::toString);
    assertNull(rig.scheduler.nextDelay(), "nothing is scheduled after stop");
    assertEquals(1, timeoutsTold());
  }
}
