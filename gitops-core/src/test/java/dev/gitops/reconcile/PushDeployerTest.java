package dev.gitops.reconcile;

import static dev.gitops.reconcile.Rig.cm;
import static dev.gitops.reconcile.Rig.configMap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.GitOpsException;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.Resource;
import dev.gitops.model.Revision;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.Wave;
import dev.gitops.target.DeployHistory.Deployment;
import dev.gitops.target.LockedException;
import dev.gitops.target.Scope;
import dev.gitops.target.Target;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PushDeployerTest extends OnARig {
  PushDeployer deployer(Reconciler reconciler, String holder) {
    return PushDeployer.builder(reconciler).holder(holder).clock(rig.clock).build();
  }

  @Test
  void deployAppliesTheRevisionUnderTheLockAndRecordsItOnTheTarget() {
    String commit = rig.repo.commit(Map.of("a.json", configMap("a", "blue")));

    ReconcileResult result = deployer(rig.reconciler(), "ci-1").deploy("main");

    assertTrue(result.isSuccess(), result::toString);
    assertEquals("blue", rig.color("a"));
    List<String> calls = rig.memory.calls();
    assertEquals("lock ci-1", calls.get(0));
    assertEquals("unlock ci-1", calls.get(calls.size() - 1));
    assertEquals("", rig.memory.lockHolder());
    assertEquals(List.of(new Deployment(commit, "main",
        "Plan: 1 to create, 0 to update, 0 to delete, 0 to adopt.", "succeeded", Rig.START, "ci-1")),
        rig.memory.history());
  }

  @Test
  void twoDeployersRacingForOneTargetOneDeploysTheOtherGetsTheLockError() throws Exception {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue"), "b.json", configMap("b", "green")));
    GatedTarget gated = new GatedTarget(rig.memory, cm("a"));
    PushDeployer first = deployer(rig.reconciler(gated).build(), "ci-1");
    PushDeployer second = deployer(rig.reconciler(gated).build(), "ci-2");
    AtomicReference<ReconcileResult> won = new AtomicReference<>();
    Thread racer = new Thread(() -> won.set(first.deploy("main")));
    racer.start();
    gated.awaitEntered();

    LockedException e = assertThrows(LockedException.class, () -> second.deploy("main"));

    assertEquals("ci-1", e.holder());
    assertTrue(e.getMessage().contains("locked by ci-1 since " + Rig.START), e.getMessage());
    assertEquals(1, rig.source.fetches.get(), "the loser fails before fetching anything");
    gated.release.countDown();
    racer.join(TimeUnit.SECONDS.toMillis(30));
    assertTrue(won.get().isSuccess());
    assertEquals(List.of("ci-1"), rig.memory.history().stream().map(Deployment::by).toList());
    assertTrue(second.deploy("main").plan().isEmpty(), "the lock is free again");
  }

  @Test
  void aStaleApprovedPlanIsRefusedNamingWhatMovedAndNothingIsWritten() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue"), "b.json", configMap("b", "green")));
    PushDeployer deployer = deployer(rig.reconciler(), "ci-1");
    deployer.deploy("main");
    rig.repo.commit(Map.of("a.json", configMap("a", "yellow")));
    Plan approved = deployer.preview("main");
    rig.handEdit("b", "red");
    rig.memory.clearCalls();

    StalePlanException e = assertThrows(StalePlanException.class,
        () -> deployer.deploy("main", approved));

    assertEquals(List.of(cm("b")), e.moved());
    assertTrue(e.getMessage().contains("ConfigMap/default/b (noop -> update)"), e.getMessage());
    assertEquals(approved.fingerprint(), e.approvedFingerprint());
    assertEquals(List.of(), rig.writes());
    assertEquals("blue", rig.color("a"));
    assertEquals(1, deployer.history().size());
    assertEquals("", rig.memory.lockHolder());
  }

  @Test
  void anApprovedPlanThatStillHoldsIsDeployed() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    PushDeployer deployer = deployer(rig.reconciler(), "ci-1");
    Plan approved = deployer.preview("main");
    Plan roundTripped = Plan.fromJson(approved.toJson());

    ReconcileResult result = deployer.deploy("main", roundTripped);

    assertTrue(result.isSuccess());
    assertEquals("blue", rig.color("a"));
  }

  @Test
  void anApprovedPlanWithTheFreshFingerprintButOtherStepsIsRefused() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    PushDeployer deployer = deployer(rig.reconciler(), "ci-1");
    Plan reviewed = deployer.preview("main");
    Action.Create create = (Action.Create) reviewed.changes().get(0);
    Resource evil = Resource.of(create.id(), new Content.Tree(json(configMap("a", "evil"))));
    Plan tampered = new Plan(reviewed.owner(), reviewed.revision(),
        List.of(new Wave(reviewed.waves().get(0).index(), List.of(new Action.Create(evil)))),
        reviewed.fingerprint());

    StalePlanException e = assertThrows(StalePlanException.class, () -> deployer.deploy("main", tampered));

    assertTrue(e.getMessage().contains("its fingerprint is the fresh plan's but its steps are not"),
        e.getMessage());
    assertEquals(List.of(cm("a")), e.moved());
    assertEquals(List.of(), rig.writes());
    assertEquals(null, rig.color("a"));
  }

  @Test
  void aHandEditToAnApprovedStepMakesThatStepMove() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    PushDeployer deployer = deployer(rig.reconciler(), "ci-1");
    deployer.deploy("main");
    rig.repo.commit(Map.of("a.json", configMap("a", "yellow")));
    Plan approved = deployer.preview("main");
    rig.handEdit("a", "red");

    StalePlanException e = assertThrows(StalePlanException.class,
        () -> deployer.deploy("main", approved));

    assertEquals(List.of(cm("a")), e.moved());
    assertTrue(e.getMessage().contains("ConfigMap/default/a (update changed)"), e.getMessage());
    assertEquals("red", rig.color("a"));
  }

  @Test
  void rollbackDeploysTheLastSuccessfulRevisionBeforeTheCurrentOne() {
    PushDeployer deployer = deployer(rig.reconciler(), "ci-1");
    String first = rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    deployer.deploy("main");
    String second = rig.repo.commit(Map.of("a.json", configMap("a", "green")));
    deployer.deploy("main");
    String third = rig.repo.commit(Map.of("a.json", configMap("a", "yellow")));
    rig.memory.failNext(cm("a"), 1, false);
    assertFalse(deployer.deploy("main").isSuccess());
    assertEquals("green", rig.color("a"));

    ReconcileResult rolledBack = deployer.rollback();

    assertEquals(first, rolledBack.revision().id());
    assertEquals("blue", rig.color("a"));
    List<Deployment> history = deployer.history();
    assertEquals(List.of(first, third, second, first), history.stream().map(Deployment::revision).toList());
    assertEquals(List.of("succeeded", "failed", "succeeded", "succeeded"),
        history.stream().map(Deployment::outcome).toList());
    assertEquals("rollback to " + Revision.of(first).shortId(), history.get(0).ref());
  }

  @Test
  void rollbackWithNoEarlierSuccessfulDeployIsRefused() {
    PushDeployer deployer = deployer(rig.reconciler(), "ci-1");
    assertThrows(GitOpsException.class, deployer::rollback);
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    deployer.deploy("main");

    GitOpsException e = assertThrows(GitOpsException.class, deployer::rollback);

    assertTrue(e.getMessage().contains("no successful deploy before"), e.getMessage());
  }

  @Test
  void theHistoryKeepsOnlyTheNewestDeploys() {
    PushDeployer deployer = PushDeployer.builder(rig.reconciler()).holder("ci-1").historySize(2).build();
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    deployer.deploy("main");
    String second = rig.repo.commit(Map.of("a.json", configMap("a", "green")));
    deployer.deploy("main");
    String third = rig.repo.commit(Map.of("a.json", configMap("a", "yellow")));
    deployer.deploy("main");

    assertEquals(List.of(third, second), rig.memory.history().stream().map(Deployment::revision).toList());
  }

  @Test
  void aTargetWithoutLockOrHistoryIsDeployedAndRolledBackWithTheDeployersOwnHistory() {
    Target plain = new Target() {
      @Override public ActualState read(Scope scope) { return rig.memory.read(scope); }
      @Override public void apply(Action action, String owner) { rig.memory.apply(action, owner); }
    };
    PushDeployer deployer = deployer(rig.reconciler(plain).build(), "ci-1");
    String first = rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    deployer.deploy("main");
    rig.repo.commit(Map.of("a.json", configMap("a", "green")));
    deployer.deploy("main");

    deployer.rollback();

    assertEquals("blue", rig.color("a"));
    assertEquals(first, deployer.history().get(0).revision());
    assertEquals(List.of(), rig.memory.history());
  }

  private static JsonNode json(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }
}
