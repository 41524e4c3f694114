package dev.gitops.apply;

import static dev.gitops.apply.Plans.OWNER;
import static dev.gitops.apply.Plans.create;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.reconcile.Wrappers;
import dev.gitops.model.ActualState;
import dev.gitops.model.Fixtures;
import dev.gitops.model.Resource;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.target.InMemoryTarget;
import dev.gitops.target.Scope;
import dev.gitops.target.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a target says about a step ({@link Target#applyWithDetail}) reaches the report. */
class ApplierDetailTest {
  private final FakeTime time = new FakeTime();
  private final Resource a = Fixtures.configMap("a", "1");
  private final Resource b = Fixtures.configMap("b", "1");

  /** Says "wrote NAME\nok" for a, nothing for the rest. */
  private static final class Talking implements Target {
    private final InMemoryTarget inner = InMemoryTarget.empty();

    @Override public ActualState read(Scope scope) { return inner.read(scope); }

    @Override public void apply(Action action, String owner) { inner.apply(action, owner); }

    @Override public String applyWithDetail(Action action, String owner) {
      apply(action, owner);
      return action.id().name().equals("a") ? "wrote a\nok\n" : "";
    }
  }

  @Test
  void detailOfAStepLandsInItsAppliedOutcomeAndInTheReportText() {
    ApplyReport report = new Applier().apply(Plans.of(List.of(create(a), create(b))), new Talking(),
        time.options());
    assertTrue(report.isSuccess(), report::toString);
    assertEquals("wrote a\nok\n", ((Outcome.Applied) report.outcomes().get(0)).detail());
    assertEquals("", ((Outcome.Applied) report.outcomes().get(1)).detail());
    String text = report.toString();
    assertTrue(text.endsWith("\n  applied create " + a.id() + ":\n    wrote a\n    ok"), text);
    assertTrue(!text.contains(b.id().toString()), "a step without detail adds no line: " + text);
  }

  @Test
  void aTargetThatOnlyImplementsApplyReportsNoDetail() {
    InMemoryTarget plain = InMemoryTarget.empty();
    ApplyReport report = new Applier().apply(Plans.of(List.of(create(a))), plain, time.options());
    assertEquals("", ((Outcome.Applied) report.outcomes().get(0)).detail());
    assertEquals(report.summary(), report.toString());
  }

  @Test
  void theStoppingWrapperOfTheReconcilerForwardsTheDetail() {
    Plan plan = Plans.of(List.of(create(a)));
    ApplyReport report = new Applier().apply(plan, Wrappers.stopping(new Talking(), () -> false, "test"),
        time.options());
    assertEquals("wrote a\nok\n", ((Outcome.Applied) report.outcomes().get(0)).detail());
    ApplyReport stopped = new Applier().apply(plan, Wrappers.stopping(new Talking(), () -> true, "test"),
        time.options());
    assertEquals(Outcome.Kind.FAILED, stopped.outcomes().get(0).kind());
    assertTrue(stopped.toString().contains(Wrappers.REFUSED + "test"), stopped::toString);
  }
}
