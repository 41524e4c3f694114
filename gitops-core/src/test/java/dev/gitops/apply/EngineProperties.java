package dev.gitops.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.gitops.model.DesiredState;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanOptions;
import dev.gitops.plan.Planner;
import dev.gitops.target.InMemoryTarget;
import dev.gitops.target.Scope;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The engine's laws over plan and apply, each checked on 1,000 small generated worlds. */
class EngineProperties {
  private static final PlanOptions PLAN = PlanOptions.defaults().withOwner(Gen.OWNER)
      .withAdoption(PlanOptions.Adoption.ADOPT).withAllowEmptyPrune(true);
  private static final ApplyOptions APPLY = new FakeTime().options();

  private static Plan plan(DesiredState desired, InMemoryTarget target) {
    return new Planner().plan(desired, target.read(Scope.of(Gen.OWNER, desired.byId().keySet())), PLAN);
  }

  private static InMemoryTarget applied(Gen.World w, DesiredState desired) {
    InMemoryTarget target = InMemoryTarget.of(w.actual());
    ApplyReport report = new Applier().apply(plan(desired, target), target, APPLY);
    assertTrue(report.isSuccess(), report::toString);
    return target;
  }

  @Test
  void applyingAPlanMakesTheOwnedStateEqualTheDesired() {
    qt().withExamples(1000).forAll(Gen.worlds(8)).checkAssert(w -> {
      DesiredState desired = DesiredState.of(w.desired());
      InMemoryTarget target = applied(w, desired);
      for (Resource want : desired.resources()) {
        Observed have = target.get(want.id());
        assertNotNull(have, want.id() + " exists");
        assertEquals(Gen.OWNER, have.owner(), want.id() + " owned");
        assertEquals(want.content(), have.resource().content(), want.id() + " converged");
      }
      Set<ResourceId> owned = new TreeSet<>(target.read(Scope.owned(Gen.OWNER)).byId().keySet());
      assertEquals(desired.byId().keySet(), owned, "owned = desired: the rest was pruned");
    });
  }

  @Test
  void aSecondPlanIsEmpty() {
    qt().withExamples(1000).forAll(Gen.worlds(8)).checkAssert(w -> {
      DesiredState desired = DesiredState.of(w.desired());
      InMemoryTarget target = applied(w, desired);
      Plan second = plan(desired, target);
      assertTrue(second.isEmpty(), () -> second.summary() + " " + second.changes());
    });
  }

  @Test
  void pruneNeverTouchesResourcesOwnedByOthersOrByNobody() {
    qt().withExamples(1000).forAll(Gen.worlds(10)).checkAssert(w -> {
      DesiredState desired = DesiredState.of(w.desired());
      InMemoryTarget before = InMemoryTarget.of(w.actual());
      InMemoryTarget target = applied(w, desired);
      for (Observed o : before.snapshot().observed()) {
        if (o.isOwnedBy(Gen.OWNER) || desired.contains(o.id())) {
          continue;
        }
        Observed after = target.get(o.id());
        assertNotNull(after, o.id() + " still there");
        assertEquals(o.owner(), after.owner());
        assertEquals(o.version(), after.version(), o.id() + " never written");
        assertEquals(o.resource().content().digest(), after.resource().content().digest());
      }
      assertTrue(target.calls().stream().filter(c -> c.startsWith("apply "))
          .map(c -> ResourceId.parse(c.substring(c.indexOf(' ', 6) + 1)))
          .allMatch(id -> desired.contains(id) || before.get(id).isOwnedBy(Gen.OWNER)),
          () -> "writes only desired or owned ids: " + target.calls());
    });
  }

  /**
   * A stale plan never overwrites what moved since it: the applier's own check refuses the step
   * before the target sees it, so the law holds for targets that do not re-check (server-side
   * apply on Kubernetes overwrites whatever is there).
   */
  @Test
  void aStalePlanNeverOverwritesWhatMovedSinceIt() {
    qt().withExamples(1000).forAll(Gen.worlds(8), Gen.drifts()).checkAssert((w, drift) -> {
      DesiredState desired = DesiredState.of(w.desired());
      InMemoryTarget target = InMemoryTarget.of(w.actual());
      Plan plan = plan(desired, target);
      Map<ResourceId, Observed> drifted = new TreeMap<>();
      for (Resource edit : drift) {
        Observed now = target.get(edit.id());
        target.put(edit, now == null ? "" : now.owner());
        drifted.put(edit.id(), target.get(edit.id()));
      }
      target.clearCalls();
      ApplyReport report = new Applier().apply(plan, target, APPLY);
      drifted.values().forEach(d -> assertEquals(d, target.get(d.id()), d.id() + " kept its drift"));
      // The applier refuses a moved step itself: the target is never asked to write it. (The
      // in-memory target would refuse it too; its call log shows who refused.)
      List<String> asked = target.calls().stream().filter(c -> c.startsWith("apply ")).toList();
      for (ResourceId id : drifted.keySet()) {
        assertTrue(asked.stream().noneMatch(c -> c.endsWith(" " + id)),
            () -> id + " moved since the plan, yet the target was asked to write it: " + asked);
      }
      for (Outcome o : report.outcomes()) {
        if (drifted.containsKey(o.action().id()) && o.action().kind() != Action.Kind.NOOP) {
          assertEquals(Outcome.Kind.SKIPPED, o.kind(), () -> o.action().id() + " refused: " + report);
        }
      }
      List<ResourceId> stale = report.stale();
      assertTrue(drifted.keySet().containsAll(stale), () -> "only moved ids are stale: " + stale);
    });
  }
}
