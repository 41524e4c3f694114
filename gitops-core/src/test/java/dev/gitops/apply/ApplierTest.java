package dev.gitops.apply;

import static dev.gitops.apply.Plans.OWNER;
import static dev.gitops.apply.Plans.create;
import static dev.gitops.apply.Plans.delete;
import static dev.gitops.apply.Plans.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.Fixtures;
import dev.gitops.model.Resource;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.target.InMemoryTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApplierTest {
  private final InMemoryTarget target = InMemoryTarget.empty();
  private final FakeTime time = new FakeTime();
  private final Applier applier = new Applier();
  private final Resource a = Fixtures.configMap("a", "1");
  private final Resource b = Fixtures.configMap("b", "1");
  private final Resource c = Fixtures.configMap("c", "1");

  private static List<Outcome.Kind> kinds(ApplyReport report) {
    return report.outcomes().stream().map(Outcome::kind).toList();
  }

  @Test
  void appliesEveryStepAndReportsOneOutcomePerStepInPlanOrder() {
    target.apply(create(b), OWNER);
    target.apply(create(c), OWNER);
    Resource b2 = Fixtures.configMap("b", "2");
    Plan plan = Plans.of(List.of(create(a), new Action.NoOp(c.id(), ResourceDiff.none(c.id()))),
        List.of(update(target, b2), delete(target, c)));
    ApplyReport report = applier.apply(plan, target, time.options());
    assertEquals(List.of(Outcome.Kind.APPLIED, Outcome.Kind.UNCHANGED, Outcome.Kind.APPLIED,
        Outcome.Kind.APPLIED), kinds(report));
    assertEquals(plan.actions(), report.outcomes().stream().map(Outcome::action).toList());
    assertTrue(report.isSuccess(), report::toString);
    assertEquals(a.content(), target.get(a.id()).resource().content());
    assertEquals(b2.content(), target.get(b.id()).resource().content());
    assertNull(target.get(c.id()));
    assertEquals("Applied: 3 applied, 1 unchanged, 0 failed, 0 skipped in 0 ms.", report.summary());
  }

  @Test
  void stepsWhoseResourceMovedSinceThePlanAreRefusedByName() {
    target.apply(create(b), OWNER);
    Plan plan = Plans.of(List.of(create(a), update(target, Fixtures.configMap("b", "2"))),
        List.of(create(c)));
    target.put(Fixtures.configMap("b", "hand-edit"), OWNER);
    target.put(a, "");
    target.clearCalls();
    ApplyReport report = applier.apply(plan, target, time.options());
    assertEquals(List.of(a.id(), b.id()), report.stale());
    Outcome.Skipped skipped = (Outcome.Skipped) report.outcomes().get(1);
    assertTrue(skipped.reason().startsWith(ApplyReport.STALE + " ConfigMap/default/b moved since the plan"),
        skipped.reason());
    assertEquals(new Outcome.Skipped(plan.actions().get(2), "an earlier wave failed"),
        report.outcomes().get(2));
    assertEquals(List.of("read"), target.calls(), "one read per wave, nothing written");
    assertEquals("", target.get(a.id()).owner(), "stale create did not take the resource");
    assertFalse(report.isSuccess());
  }

  @Test
  void retryableFailuresAreRetriedWithExponentialBackoffAndJitter() {
    target.failNext(a.id(), 3, true);
    ApplyOptions options = time.options().withRetry(5, Duration.ofMillis(100), Duration.ofMillis(250));
    ApplyReport report = applier.apply(Plans.of(List.of(create(a))), target, options);
    assertEquals(List.of(Outcome.Kind.APPLIED), kinds(report));
    List<Duration> sleeps = time.sleeps();
    assertEquals(3, sleeps.size());
    long[] caps = {100, 200, 250};
    for (int i = 0; i < 3; i++) {
      long ms = sleeps.get(i).toNanos();
      assertTrue(ms >= caps[i] * 500_000 && ms <= caps[i] * 1_000_000, "retry " + i + ": " + sleeps);
    }
    assertEquals(time.sleeps().stream().reduce(Duration.ZERO, Duration::plus),
        report.outcomes().get(0).took(), "took includes the retries");
    ApplyReport again = new Applier().apply(Plans.of(List.of(create(b))), withFailures(b), options);
    assertEquals(Outcome.Kind.APPLIED, again.outcomes().get(0).kind());
  }

  private InMemoryTarget withFailures(Resource r) {
    InMemoryTarget t = InMemoryTarget.empty();
    t.failNext(r.id(), 3, true);
    return t;
  }

  @Test
  void retriesStopAfterMaxAttempts() {
    target.failNext(a.id(), 3, true);
    ApplyReport report = applier.apply(Plans.of(List.of(create(a))), target,
        time.options().withRetry(3, Duration.ofMillis(10), Duration.ofSeconds(1)));
    Outcome.Failed failed = report.failures().get(0);
    assertTrue(failed.cause().getMessage().contains("injected retryable failure"));
    assertEquals(3, target.calls().stream().filter(s -> s.startsWith("apply")).count());
    assertNull(target.get(a.id()));
  }

  @Test
  void aFatalFailureIsNotRetriedAndStopsLaterWavesButNotItsSiblings() {
    target.failNext(a.id(), 1, false);
    Plan plan = Plans.of(List.of(create(a), create(b)), List.of(create(c)));
    ApplyReport report = applier.apply(plan, target, time.options());
    assertEquals(List.of(Outcome.Kind.FAILED, Outcome.Kind.APPLIED, Outcome.Kind.SKIPPED), kinds(report));
    assertEquals(List.of(), time.sleeps());
    assertNull(target.get(c.id()));
    assertTrue(report.toString().contains("failed create ConfigMap/default/a: ConfigMap/default/a: "
        + "injected fatal failure"), report::toString);
  }

  @Test
  void continueOnFailureRunsLaterWaves() {
    target.failNext(a.id(), 1, false);
    Plan plan = Plans.of(List.of(create(a)), List.of(create(c)));
    ApplyReport report = applier.apply(plan, target, time.options().withContinueOnFailure(true));
    assertEquals(List.of(Outcome.Kind.FAILED, Outcome.Kind.APPLIED), kinds(report));
  }

  @Test
  void dryRunWritesNothingAndSkipsEveryChange() {
    target.apply(create(b), OWNER);
    Plan plan = Plans.of(List.of(create(a), new Action.NoOp(b.id(), ResourceDiff.none(b.id()))),
        List.of(delete(target, b)));
    target.clearCalls();
    ApplyReport report = applier.apply(plan, target, time.options().withDryRun(true));
    assertEquals(List.of(), target.calls());
    assertEquals(List.of(Outcome.Kind.SKIPPED, Outcome.Kind.UNCHANGED, Outcome.Kind.SKIPPED), kinds(report));
    assertEquals("dry run", ((Outcome.Skipped) report.outcomes().get(0)).reason());
    assertTrue(report.dryRun());
    assertTrue(report.isSuccess());
  }

  @Test
  void progressListenerHearsEveryOutcomeAsItHappens() {
    List<String> heard = new ArrayList<>();
    target.failNext(b.id(), 1, false);
    Plan plan = Plans.of(List.of(create(a), create(b)), List.of(create(c)));
    ApplyReport report = applier.apply(plan, target,
        time.options().withProgress(o -> heard.add(o.kind().word() + " " + o.action().id().name())));
    assertEquals(List.of("applied a", "failed b", "skipped c"), heard);
    assertEquals(3, report.outcomes().size());
  }

  @Test
  void aFailingListenerDoesNotBreakTheApply() {
    ApplyReport report = applier.apply(Plans.of(List.of(create(a))), target,
        time.options().withProgress(o -> {
          throw new IllegalStateException("listener bug");
        }));
    assertTrue(report.isSuccess());
  }

  @Test
  void aPlanReadBackWithRedactedSecretsIsRefusedBeforeAnyWrite() throws Exception {
    var secret = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"db\",\"namespace\":\"default\"},"
            + "\"data\":{\"password\":\"aHVudGVyMg==\"}}");
    Resource r = Resource.of(dev.gitops.model.ResourceId.of("Secret", "default", "db"),
        dev.gitops.model.Content.tree(secret));
    Plan plan = new dev.gitops.plan.Planner().plan(dev.gitops.model.DesiredState.of(List.of(r)),
        target.read(OWNER), dev.gitops.plan.PlanOptions.defaults().withOwner(OWNER));
    Plan readBack = Plan.fromJson(plan.toJson());
    assertTrue(readBack.isRedacted());
    target.clearCalls();

    var e = org.junit.jupiter.api.Assertions.assertThrows(dev.gitops.GitOpsException.class,
        () -> applier.apply(readBack, target, ApplyOptions.defaults()));
    assertTrue(e.getMessage().contains("redacted"), e.getMessage());
    assertFalse(e.getMessage().contains("aHVudGVyMg=="), e.getMessage());
    assertEquals(List.of(), target.calls(), "nothing was read or written");
  }
}
