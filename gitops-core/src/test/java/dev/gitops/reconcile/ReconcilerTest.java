package dev.gitops.reconcile;

import static dev.gitops.reconcile.Rig.cm;
import static dev.gitops.reconcile.Rig.configMap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.diff.DiffOptions;
import dev.gitops.diff.PathRule;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanOptions;
import dev.gitops.plan.PlanRefusedException;
import dev.gitops.target.ForwardingTarget;
import dev.gitops.target.Target;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcilerTest extends OnARig {
  @Test
  void reconcileAppliesTheCommitAsItsOwnerAndReportsEveryPhase() {
    String commit = rig.repo.commit(Map.of("a.json", configMap("a", "blue"), "b.json", configMap("b", "green")));

    ReconcileResult result = rig.reconciler().reconcile("main");

    assertTrue(result.isSuccess(), result::toString);
    assertEquals(commit, result.revision().id());
    assertEquals(commit, result.plan().revision());
    assertEquals("Plan: 2 to create, 0 to update, 0 to delete, 0 to adopt.", result.plan().summary());
    assertEquals("blue", rig.color("a"));
    assertEquals("web", rig.owner("b"));
    assertTrue(result.timings().total().compareTo(java.time.Duration.ZERO) >= 0);
    assertEquals(List.of("revision " + commit, "planned " + result.plan().summary(),
        "applied ConfigMap/default/a", "applied ConfigMap/default/b", "reconciled true"),
        rig.listener.events);
  }

  @Test
  void theReconcilerPlansWithTheTargetsDefaultsThroughAWrapperUnlessGivenOptions() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    rig.reconciler().reconcile("main");
    rig.handEdit("a", "red");
    Target ignoringColor = new ForwardingTarget(rig.memory) {
      @Override public PlanOptions planDefaults() {
        return PlanOptions.defaults().withDiff(DiffOptions.defaults()
            .ignoring(PathRule.forKind("ConfigMap", "/data/color")));
      }
    };

    Plan withDefaults = rig.reconciler(new Wrapped(ignoringColor)).build().plan("main");
    Plan overridden = rig.reconciler(ignoringColor).planOptions(PlanOptions.defaults()).build().plan("main");

    assertTrue(withDefaults.isEmpty(), withDefaults.render());
    assertFalse(((dev.gitops.plan.Action.NoOp) withDefaults.actions().get(0)).diff().suppressed().isEmpty());
    assertEquals("web", withDefaults.owner(), "the owner is still the reconciler's name");
    assertFalse(overridden.isEmpty(), "explicit plan options replace the target's defaults");
  }

  /** A second wrapper, so that the defaults are asked through two. */
  private static final class Wrapped extends ForwardingTarget {
    Wrapped(Target delegate) {
      super(delegate);
    }
  }

  @Test
  void planPreviewsWithoutWriting() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));

    Plan plan = rig.reconciler().plan("main");

    assertEquals(1, plan.changes().size());
    assertEquals(cm("a"), plan.changes().get(0).id());
    assertEquals(List.of(), rig.writes());
    assertNull(rig.color("a"));
  }

  @Test
  void anInvalidDesiredStateIsRefusedBeforeAnyWriteNamingTheFile() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue"), "broken.json", "{\"kind\": "));

    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> rig.reconciler().reconcile("main"));

    assertTrue(e.getMessage().contains("broken.json"), e.getMessage());
    assertEquals(List.of(), rig.writes());
    assertEquals(1, rig.listener.failures.size());
    assertFalse(rig.listener.events.stream().anyMatch(ev -> ev.startsWith("planned")));
  }

  @Test
  void pruneDeletesOwnedResourcesThatLeftGitAndPruneOffKeepsThem() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue"), "b.json", configMap("b", "green"),
        "c.json", configMap("c", "red")));
    rig.reconciler().reconcile("main");
    Map<String, String> removeB = new HashMap<>();
    removeB.put("b.json", null);
    rig.repo.commit(removeB);

    ReconcileResult kept = rig.reconciler(rig.memory).prune(false).build().reconcile("main");
    assertTrue(kept.plan().isEmpty(), kept.plan()::summary);
    assertEquals("green", rig.color("b"));

    ReconcileResult pruned = rig.reconciler().reconcile("main");
    assertEquals("Plan: 0 to create, 0 to update, 1 to delete, 0 to adopt.", pruned.plan().summary());
    assertNull(rig.color("b"));
    assertEquals("blue", rig.color("a"));
  }

  @Test
  void aResourceOwnedByAnotherReconcilerIsRefusedAndLeftAlone() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    rig.handEdit("a", "red");
    rig.memory.put(rig.memory.get(cm("a")).resource(), "other");

    assertThrows(PlanRefusedException.class, () -> rig.reconciler().reconcile("main"));

    assertEquals("red", rig.color("a"));
    assertEquals("other", rig.owner("a"));
  }

  @Test
  void aListenerThatThrowsNeverStopsAReconcile() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    ReconcileListener throwing = new ReconcileListener() {
      @Override public void planned(Plan plan) {
        throw new IllegalStateException("listener bug");
      }

      @Override public void applied(dev.gitops.apply.Outcome outcome) {
        throw new IllegalStateException("listener bug");
      }
    };

    ReconcileResult result = rig.reconciler(rig.memory).listener(throwing).build().reconcile("main");

    assertTrue(result.isSuccess());
    assertEquals("blue", rig.color("a"));
  }

  @Test
  void timingsMeasureEachPhaseWithTheInjectedClock() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    java.time.Clock ticking = new java.time.Clock() {
      private java.time.Instant now = Rig.START;

      @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }

      @Override public java.time.Clock withZone(java.time.ZoneId zone) { return this; }

      @Override public synchronized java.time.Instant instant() {
        now = now.plusMillis(1);
        return now;
      }
    };

    ReconcileResult result = rig.reconciler(rig.memory).clock(ticking).build().reconcile("main");

    java.time.Duration ms = java.time.Duration.ofMillis(1);
    assertEquals(new ReconcileResult.Timings(ms, ms, ms, ms, ms), result.timings());
    assertEquals(java.time.Duration.ofMillis(5), result.timings().total());
  }
}
