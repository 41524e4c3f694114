package dev.gitops.reconcile;

import static dev.gitops.reconcile.Rig.cm;
import static dev.gitops.reconcile.Rig.configMap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.plan.Action;
import dev.gitops.reconcile.AgentStatus.Condition;
import dev.gitops.source.SourceException;
import dev.gitops.target.ForwardingTarget;
import dev.gitops.target.Target;
import dev.gitops.target.TargetException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pull agent in virtual time: intervals, drift checks and backoff without a single sleep. */
class PullAgentTest extends OnARig {
  @Test
  void aCommitIsAppliedAtTheNextTick() {
    String first = rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    PullAgent agent = agent(rig.reconciler()).build().start();
    rig.scheduler.advance(Duration.ZERO);
    assertEquals("blue", rig.color("a"));
    assertEquals(first, agent.status().lastApplied().id());

    String second = rig.repo.commit(Map.of("a.json", configMap("a", "green")));
    assertEquals(MINUTE, rig.scheduler.nextDelay());
    assertEquals(Rig.START.plus(MINUTE), agent.status().nextRun());
    rig.scheduler.advance(Duration.ofSeconds(59));
    assertEquals("blue", rig.color("a"));
    rig.scheduler.advance(Duration.ofSeconds(1));

    assertEquals("green", rig.color("a"));
    AgentStatus status = agent.status();
    assertEquals(second, status.lastApplied().id());
    assertEquals(second, status.lastAttempted().id());
    assertTrue(status.is(Condition.Type.READY), status::toString);
    assertEquals("Plan: 0 to create, 1 to update, 0 to delete, 0 to adopt.", status.lastPlanSummary());
  }

  @Test
  void anUnchangedRevisionIsSkippedCheaplyUntilTheDriftCheckIsDue() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    agent(rig.reconciler()).build().start();
    rig.scheduler.advance(Duration.ZERO);
    rig.memory.clearCalls();

    rig.scheduler.advance(MINUTE.multipliedBy(4));
    assertEquals(5, rig.source.latest.get());
    assertEquals(1, rig.source.fetches.get());
    assertEquals(List.of(), rig.memory.calls());

    rig.scheduler.advance(MINUTE);
    assertEquals(2, rig.source.fetches.get());
    String holder = "agent web@pid" + ProcessHandle.current().pid();
    assertEquals(List.of("lock " + holder, "read", "unlock " + holder), rig.memory.calls(),
        "the drift check reads under the target's lock");
  }

  @Test
  void aHandEditIsHealedAtTheNextDriftCheck() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue"), "b.json", configMap("b", "green")));
    PullAgent agent = agent(rig.reconciler()).build().start();
    rig.scheduler.advance(Duration.ZERO);
    rig.memory.clearCalls();
    rig.handEdit("a", "red");

    rig.scheduler.advance(MINUTE.multipliedBy(4));
    assertEquals("red", rig.color("a"));
    rig.scheduler.advance(MINUTE);

    assertEquals("blue", rig.color("a"));
    assertEquals(List.of("apply update ConfigMap/default/a"), rig.writes());
    assertEquals(1, rig.listener.drifts.size());
    assertEquals(List.of("ConfigMap/default/a /data/color"), rig.listener.drifts.get(0).fields());
    AgentStatus status = agent.status();
    assertTrue(status.is(Condition.Type.READY), status::toString);
    assertFalse(status.is(Condition.Type.DRIFTED));
    assertEquals("Healed", status.condition(Condition.Type.DRIFTED).reason());
  }

  @Test
  void withSelfHealOffDriftIsReportedWithItsFieldsAndNotTouched() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    PullAgent agent = agent(rig.reconciler()).selfHeal(false).build().start();
    rig.scheduler.advance(Duration.ZERO);
    rig.memory.clearCalls();
    rig.handEdit("a", "red");

    rig.scheduler.advance(Duration.ofMinutes(5));

    assertEquals("red", rig.color("a"));
    assertEquals(List.of(), rig.writes());
    AgentStatus status = agent.status();
    assertTrue(status.is(Condition.Type.DRIFTED), status::toString);
    assertFalse(status.is(Condition.Type.READY));
    assertFalse(status.is(Condition.Type.STALLED));
    assertEquals(List.of("ConfigMap/default/a /data/color"), status.drift().fields());
    assertEquals(List.of(cm("a")), rig.listener.drifts.get(0).ids());
    assertFalse(status.toString().contains("red") || status.drift().toString().contains("red"),
        "status and drift name fields, never values");

    rig.scheduler.advance(Duration.ofMinutes(5));
    assertEquals(2, rig.listener.drifts.size());
    assertEquals("red", rig.color("a"));

    rig.repo.commit(Map.of("a.json", configMap("a", "yellow")));
    rig.scheduler.advance(MINUTE);
    assertEquals("yellow", rig.color("a"));
    assertFalse(agent.status().is(Condition.Type.DRIFTED));
  }

  @Test
  void aFailingTargetBacksOffExponentiallyUpToTheCapAndRecovers() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue"), "b.json", configMap("b", "green")));
    rig.memory.failNext(cm("b"), 5, false);
    PullAgent agent = agent(rig.reconciler()).build().start();

    rig.scheduler.advance(Duration.ZERO);
    AgentStatus failing = agent.status();
    assertTrue(failing.is(Condition.Type.STALLED), failing::toString);
    assertFalse(failing.is(Condition.Type.READY));
    assertTrue(failing.lastError().contains("ConfigMap/default/b"), failing.lastError());
    assertNull(failing.lastApplied());
    for (int i = 0; i < 5; i++) {
      rig.scheduler.advance(rig.scheduler.nextDelay());
    }

    assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(20),
        Duration.ofSeconds(40), Duration.ofSeconds(80), Duration.ofSeconds(80), MINUTE),
        runDelays());
    AgentStatus recovered = agent.status();
    assertTrue(recovered.is(Condition.Type.READY), recovered::toString);
    assertFalse(recovered.is(Condition.Type.STALLED));
    assertEquals(0, recovered.failures());
    assertEquals("", recovered.lastError());
    assertEquals("green", rig.color("b"));
  }

  @Test
  void whileAPushHoldsTheTargetsLockTheAgentWritesNothingAndRetries() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    PullAgent agent = agent(rig.reconciler()).build().start();
    try (var push = rig.memory.lockable().orElseThrow().lock("ci-42", null)) {
      rig.scheduler.advance(Duration.ZERO);

      assertEquals(List.of(), rig.writes());
      AgentStatus waiting = agent.status();
      assertEquals("Locked", waiting.condition(Condition.Type.READY).reason());
      assertTrue(waiting.condition(Condition.Type.READY).message().contains("ci-42"), waiting::toString);
      assertFalse(waiting.is(Condition.Type.STALLED), "a held lock is not a failure");
      assertEquals(Duration.ofSeconds(10), rig.scheduler.nextDelay());
    }
    rig.scheduler.advance(Duration.ofSeconds(10));
    assertEquals("blue", rig.color("a"));
    assertTrue(agent.status().is(Condition.Type.READY), agent.status()::toString);
  }

  @Test
  void anErrorInARunIsReportedAndTheAgentGoesOnAfterTheBackoff() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    rig.source.errorOnFetch = new NoClassDefFoundError("com/example/Gone");
    PullAgent agent = agent(rig.reconciler()).build().start();

    rig.scheduler.advance(Duration.ZERO);

    AgentStatus failing = agent.status();
    assertTrue(failing.is(Condition.Type.STALLED), failing::toString);
    assertEquals("NoClassDefFoundError", failing.condition(Condition.Type.STALLED).reason());
    assertTrue(failing.lastError().contains("com/example/Gone"), failing.lastError());
    assertEquals(1, rig.listener.failures.size());
    assertTrue(rig.listener.failures.get(0).getCause() instanceof NoClassDefFoundError);
    assertEquals(Duration.ofSeconds(10), rig.scheduler.nextDelay(), "backs off, then goes on");
    rig.scheduler.advance(Duration.ofSeconds(10));
    assertEquals("blue", rig.color("a"));
    assertTrue(agent.status().is(Condition.Type.READY), agent.status()::toString);
  }

  /**
   * The agent's status keeps the last failure's words for whoever shows it (a status endpoint, the
   * command line's agent): a server's refusal of a step may quote the Secret value it refused, and
   * the status kept it in clear.
   */
  @Test
  void aFailedStepQuotingASecretValueLeavesTheStatusMasked() {
    String secret = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"db\","
        + "\"namespace\":\"default\"},\"stringData\":{\"password\":\"hunter2-db-pass\"}}";
    rig.repo.commit(Map.of("db.json", secret));
    Target refusing = new ForwardingTarget(rig.memory) {
      @Override
      public String applyWithDetail(Action action, String owner) {
        throw new TargetException(action.id(), "Secret \"db\" is invalid: stringData[password]: Invalid value:"
            + " \"hunter2-db-pass\": rejected by policy");
      }
    };
    PullAgent agent = agent(rig.reconciler(refusing).build()).build().start();

    rig.scheduler.advance(Duration.ZERO);

    AgentStatus failing = agent.status();
    assertTrue(failing.is(Condition.Type.STALLED), failing::toString);
    assertTrue(failing.lastError().contains("Invalid value: \"***\": rejected by policy"), failing.lastError());
    assertFalse(failing.toString().contains("hunter2") || failing.lastError().contains("hunter2")
        || failing.condition(Condition.Type.STALLED).message().contains("hunter2"), failing::toString);
  }

  /**
   * A failure's words may quote what a repository, a cluster or a host holds: the status (shown by a
   * status endpoint, the command line's agent) and the exception the listener gets print them escaped,
   * for an unexpected error (its {@code toString}, with the agent's name) and a source's failure alike.
   */
  @Test
  void aFailuresWordsPrintEscapedInTheStatusAndTheListenersException() {
    String forged = "web\n[WARN] forged\u001b[2J";
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    rig.source.errorOnFetch = new NoClassDefFoundError(forged);
    PullAgent agent = agent(rig.reconciler(rig.memory).name(forged).build()).build().start();

    rig.scheduler.advance(Duration.ZERO);

    AgentStatus failing = agent.status();
    assertEquals("NoClassDefFoundError", failing.condition(Condition.Type.STALLED).reason(), failing::toString);
    assertTrue(failing.lastError().contains("web\\n[WARN] forged\\x1b[2J"), failing.lastError());
    assertEquals(1, rig.listener.failures.size());
    String told = rig.listener.failures.get(0).getMessage();
    assertTrue(told.startsWith("agent web\\n[WARN] forged\\x1b[2J: unexpected "), told);
    assertPrintable(failing, told);

    rig.source.failLatest = new IllegalStateException(forged);
    rig.scheduler.advance(Duration.ofSeconds(10));

    AgentStatus again = agent.status();
    assertEquals("IllegalStateException", again.condition(Condition.Type.STALLED).reason(), again::toString);
    assertEquals("web\\n[WARN] forged\\x1b[2J", again.lastError());
    assertPrintable(again, "");
  }

  /** Neither the status's words nor {@code told} hold a line break or an escape character. */
  private static void assertPrintable(AgentStatus status, String told) {
    List<String> texts = new java.util.ArrayList<>(List.of(status.lastError(), status.toString(), told));
    status.conditions().forEach(c -> texts.add(c.message()));
    for (String text : texts) {
      assertTrue(text.chars().noneMatch(c -> c == '\n' || c == '\r' || c == 0x1b), text);
    }
  }

  @Test
  void outOfMemoryStopsTheAgentLoudly() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    rig.source.errorOnFetch = new OutOfMemoryError("Java heap space");
    PullAgent agent = agent(rig.reconciler()).build().start();

    rig.scheduler.advance(Duration.ZERO);

    AgentStatus status = agent.status();
    assertTrue(status.stopped(), status::toString);
    assertTrue(status.is(Condition.Type.STALLED), status::toString);
    assertEquals("OutOfMemoryError", status.condition(Condition.Type.STALLED).reason());
    assertTrue(status.lastError().contains("restart the process"), status.lastError());
    assertEquals(1, rig.listener.failures.size());
    assertNull(rig.scheduler.nextDelay(), "nothing more is scheduled");
    assertFalse(agent.triggerNow());
  }

  @Test
  void aFailingSourceStallsTheAgentWithoutTouchingTheTarget() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    rig.source.failLatest = new SourceException("git.example.com: connection refused");
    PullAgent agent = agent(rig.reconciler()).build().start();

    rig.scheduler.advance(Duration.ZERO);

    assertEquals("SourceException", agent.status().condition(Condition.Type.STALLED).reason());
    assertEquals(List.of(), rig.writes());
    assertEquals(Duration.ofSeconds(10), rig.scheduler.nextDelay());
    rig.source.failLatest = null;
    rig.scheduler.advance(Duration.ofSeconds(10));
    assertEquals("blue", rig.color("a"));
  }

  @Test
  void jitterSpreadsEveryIntervalWithinItsFraction() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    agent(rig.reconciler()).jitter(0.2).random(new Random(42)).build().start();
    rig.scheduler.advance(Duration.ZERO);

    java.util.Set<Duration> seen = new java.util.HashSet<>();
    for (int i = 0; i < 20; i++) {
      Duration d = rig.scheduler.nextDelay();
      assertTrue(d.compareTo(Duration.ofSeconds(48)) >= 0 && d.compareTo(Duration.ofSeconds(72)) <= 0, d::toString);
      seen.add(d);
      rig.scheduler.advance(d);
    }
    assertTrue(seen.size() > 10, seen::toString);
  }

  @Test
  void suspendStopsRunsUntilResumeWhichRunsAtOnce() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    PullAgent agent = agent(rig.reconciler()).build().start();
    rig.scheduler.advance(Duration.ZERO);

    agent.suspend();
    rig.repo.commit(Map.of("a.json", configMap("a", "green")));
    int polls = rig.source.latest.get();
    rig.scheduler.advance(Duration.ofMinutes(30));
    assertFalse(agent.triggerNow());

    assertEquals("blue", rig.color("a"));
    assertEquals(polls, rig.source.latest.get());
    assertTrue(agent.status().suspended());
    assertNull(agent.status().nextRun());
    agent.resume();
    assertEquals(Duration.ZERO, rig.scheduler.nextDelay());
    rig.scheduler.advance(Duration.ZERO);
    assertEquals("green", rig.color("a"));
  }

  @Test
  void triggerNowRunsAtOnceAndChecksDriftEvenWhenGitIsUnchanged() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    PullAgent agent = agent(rig.reconciler()).build().start();
    rig.scheduler.advance(Duration.ZERO);
    rig.handEdit("a", "red");

    assertTrue(agent.triggerNow());
    rig.scheduler.advance(Duration.ZERO);

    assertEquals("blue", rig.color("a"));
    assertEquals(MINUTE, rig.scheduler.nextDelay());
  }

  @Test
  void aTriggerDuringARunStartsTheNextRightAfterAndNeverTwoAtOnce() throws Exception {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue"), "b.json", configMap("b", "green")));
    GatedTarget gated = new GatedTarget(rig.memory, cm("a"));
    PullAgent agent = agent(rig.reconciler(gated).build()).build().start();
    Thread run = new Thread(() -> rig.scheduler.advance(Duration.ZERO));
    run.start();
    gated.awaitEntered();

    assertTrue(agent.triggerNow());
    assertEquals(DEADLINE, rig.scheduler.nextDelay(), "no second run may be scheduled during a run: its deadline only");
    gated.release.countDown();
    run.join(TimeUnit.SECONDS.toMillis(30));

    assertFalse(run.isAlive());
    assertEquals(1, gated.maxInFlight.get());
    assertEquals(2, rig.source.fetches.get(), "the triggered run planned right after the first");
    assertEquals(List.of(Duration.ZERO, Duration.ZERO, MINUTE), runDelays());
    assertTrue(agent.status().is(Condition.Type.READY));
  }

  @Test
  void stopDuringALongApplyFinishesTheCurrentStepAndStops() throws Exception {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue"), "b.json", configMap("b", "green"),
        "c.json", configMap("c", "red")));
    GatedTarget gated = new GatedTarget(rig.memory, cm("a"));
    PullAgent agent = agent(rig.reconciler(gated).build()).build().start();
    Thread run = new Thread(() -> rig.scheduler.advance(Duration.ZERO));
    run.start();
    gated.awaitEntered();

    agent.stop();
    assertFalse(agent.awaitTermination(Duration.ZERO), "the run in progress has not ended yet");
    gated.release.countDown();
    run.join(TimeUnit.SECONDS.toMillis(30));

    assertFalse(run.isAlive());
    assertTrue(agent.awaitTermination(Duration.ZERO));
    assertEquals("blue", rig.color("a"));
    assertNull(rig.color("b"));
    assertNull(rig.color("c"));
    assertEquals(List.of("apply create ConfigMap/default/a"), rig.writes());
    assertNull(rig.scheduler.nextDelay(), "nothing is scheduled after stop");
    AgentStatus status = agent.status();
    assertTrue(status.stopped());
    assertTrue(status.lastError().startsWith("stopped during apply"), status.lastError());
    assertFalse(agent.triggerNow());
  }

  @Test
  void closeWithoutARunInProgressEndsAtOnceAndTheAgentCannotRestart() throws Exception {
    PullAgent agent = agent(rig.reconciler()).build().start();

    agent.close();

    assertTrue(agent.awaitTermination(Duration.ZERO));
    assertNull(rig.scheduler.nextDelay());
    assertThrows(IllegalStateException.class, agent::start);
  }

  @Test
  void theAgentsOwnSchedulerRunsTheFirstReconcileAtOnceAndCloseShutsItDown() throws Exception {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    CountDownLatch reconciled = new CountDownLatch(1);
    Reconciler reconciler = rig.reconciler(rig.memory).listener(new ReconcileListener() {
      @Override public void reconciled(ReconcileResult result) {
        reconciled.countDown();
      }
    }).build();

    try (PullAgent agent = PullAgent.every(Duration.ofHours(1), reconciler).start()) {
      assertTrue(reconciled.await(30, TimeUnit.SECONDS));
      assertEquals("blue", rig.color("a"));
    }
  }

  @Test
  void anInvalidCommitStallsTheAgentWithoutAnyWriteUntilAFixedCommitArrives() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    PullAgent agent = agent(rig.reconciler()).build().start();
    rig.scheduler.advance(Duration.ZERO);
    rig.memory.clearCalls();
    rig.repo.commit(Map.of("a.json", configMap("a", "green"), "b.json", "{\"kind\": "));

    rig.scheduler.advance(MINUTE);

    AgentStatus stalled = agent.status();
    assertTrue(stalled.is(Condition.Type.STALLED), stalled::toString);
    assertEquals("InvalidDesiredStateException", stalled.condition(Condition.Type.STALLED).reason());
    assertTrue(stalled.lastError().contains("b.json"), stalled.lastError());
    assertEquals(List.of(), rig.writes());
    assertEquals("blue", rig.color("a"));

    String fixed = rig.repo.commit(Map.of("b.json", configMap("b", "green")));
    rig.scheduler.advance(rig.scheduler.nextDelay());
    assertEquals("green", rig.color("a"));
    assertEquals(fixed, agent.status().lastApplied().id());
  }
}
