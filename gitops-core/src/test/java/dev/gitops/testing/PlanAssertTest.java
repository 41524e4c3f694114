package dev.gitops.testing;

import static dev.gitops.model.Fixtures.configMap;
import static dev.gitops.model.Fixtures.file;
import static dev.gitops.plan.PlanFixtures.deployment;
import static dev.gitops.plan.PlanFixtures.inWave;
import static dev.gitops.plan.PlanFixtures.observed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.ActualState;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Handler;
import dev.gitops.model.Origin;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanOptions;
import dev.gitops.plan.Planner;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanAssertTest {
  static final String WEB = "apps/Deployment/default/web";
  static final String API = "apps/Deployment/default/api";
  static final String APP = "ConfigMap/default/app";
  static final String OLD = "apps/Deployment/default/old";

  final Plan plan = new Planner().plan(
      DesiredState.of(List.of(deployment("web", 2), inWave(deployment("api", 3), 1), configMap("app", Map.of("a", "1")),
          configMap("same", Map.of()), file("nginx/nginx.conf", "x\n")),
          List.of(new Handler("reload", "nginx -s reload", List.of("nginx/**"), Origin.UNKNOWN)), List.of()),
      ActualState.of(List.of(observed(deployment("api", 1), ""), observed(configMap("app", Map.of("a", "2")), "web"),
          observed(configMap("same", Map.of()), "web"), observed(deployment("old", 1), "web"),
          observed(deployment("theirs", 1), "other"))),
      PlanOptions.defaults().withOwner("web").withAdoption(PlanOptions.Adoption.ADOPT));

  final Plan empty = new Planner().plan(DesiredState.of(List.of(configMap("same", Map.of()))),
      ActualState.of(List.of(observed(configMap("same", Map.of()), "web"))), PlanOptions.defaults().withOwner("web"));

  @Test
  void passingChecksChain() {
    PlanAssert.assertThat(plan).creates(WEB).creates("File//nginx/nginx.conf").updates(APP).adopts(API)
        .deletes(OLD).runs("reload").leavesUnchanged("ConfigMap/default/same")
        .doesNotMention("apps/Deployment/default/theirs").isNotEmpty()
        .changesExactly(WEB, API, APP, OLD, "File//nginx/nginx.conf", "Handler//reload")
        .appliesBefore(WEB, API).appliesBefore(API, OLD)
        .hasSummary("Plan: 2 to create, 1 to update, 1 to delete, 1 to adopt, 1 handler to run.")
        .hasWaves(4).hasSameFingerprintAs(plan);
    PlanAssert.assertThat(empty).isEmpty().deletesNothing().changesExactly(new String[0]);
  }

  @Test
  void wrongKindSaysWhatThePlanWillDoAndListsTheSteps() {
    AssertionError e = assertThrows(AssertionError.class, () -> PlanAssert.assertThat(plan).updates(WEB));
    assertEquals("expected to update " + WEB + ", but the plan will create it\n"
        + "Plan: 2 to create, 1 to update, 1 to delete, 1 to adopt, 1 handler to run.\n"
        + "  wave 0: ~ update ConfigMap/default/app\n"
        + "  wave 0: = noop ConfigMap/default/same\n"
        + "  wave 0: + create apps/Deployment/default/web\n"
        + "  wave 0: + create File//nginx/nginx.conf\n"
        + "  wave 1: & adopt apps/Deployment/default/api\n"
        + "  wave 2: - delete apps/Deployment/default/old\n"
        + "  wave 3: ! run Handler//reload", e.getMessage());
  }

  @Test
  void missingStepIsReported() {
    AssertionError e = assertThrows(AssertionError.class,
        () -> PlanAssert.assertThat(plan).deletes("apps/Deployment/default/theirs"));
    assertTrue(e.getMessage().startsWith("expected to delete apps/Deployment/default/theirs, but the plan has"
        + " no step for it\n"), e.getMessage());
    assertThrows(AssertionError.class, () -> PlanAssert.assertThat(plan).runs("restart"));
    assertThrows(AssertionError.class, () -> PlanAssert.assertThat(plan).creates(APP));
    assertThrows(AssertionError.class, () -> PlanAssert.assertThat(plan).adopts(WEB));
    assertThrows(AssertionError.class, () -> PlanAssert.assertThat(plan).leavesUnchanged(WEB));
    assertThrows(AssertionError.class, () -> PlanAssert.assertThat(plan).doesNotMention(OLD));
  }

  @Test
  void deletesNothingNamesTheDeletes() {
    AssertionError e = assertThrows(AssertionError.class, () -> PlanAssert.assertThat(plan).deletesNothing());
    assertTrue(e.getMessage().startsWith("expected no deletes, found [" + OLD + "]\n"), e.getMessage());
  }

  @Test
  void emptinessChecks() {
    assertTrue(assertThrows(AssertionError.class, () -> PlanAssert.assertThat(plan).isEmpty())
        .getMessage().startsWith("expected an empty plan\n"));
    assertThrows(AssertionError.class, () -> PlanAssert.assertThat(empty).isNotEmpty());
  }

  @Test
  void summaryMismatchShowsBoth() {
    AssertionError e = assertThrows(AssertionError.class, () -> PlanAssert.assertThat(empty).hasSummary("Plan: x."));
    assertTrue(e.getMessage().startsWith("expected summary 'Plan: x.', found 'Plan: 0 to create, 0 to update,"
        + " 0 to delete, 0 to adopt.'"), e.getMessage());
  }

  @Test
  void changesExactlyNamesMissingAndUnexpected() {
    AssertionError e = assertThrows(AssertionError.class,
        () -> PlanAssert.assertThat(plan).changesExactly(WEB, "ConfigMap/default/same"));
    assertTrue(e.getMessage().contains("missing [ConfigMap/default/same], unexpected [ConfigMap/default/app, "),
        e.getMessage());
  }

  @Test
  void orderingCheckNamesBothWaves() {
    AssertionError e = assertThrows(AssertionError.class, () -> PlanAssert.assertThat(plan).appliesBefore(OLD, WEB));
    assertTrue(e.getMessage().startsWith("expected " + OLD + " (wave 2) to run in an earlier wave than " + WEB
        + " (wave 0)"), e.getMessage());
    assertThrows(AssertionError.class, () -> PlanAssert.assertThat(plan).appliesBefore(WEB, APP));
    assertThrows(AssertionError.class,
        () -> PlanAssert.assertThat(plan).appliesBefore(WEB, "apps/Deployment/default/theirs"));
  }

  @Test
  void waveCountAndFingerprintChecks() {
    assertThrows(AssertionError.class, () -> PlanAssert.assertThat(plan).hasWaves(1));
    assertThrows(AssertionError.class, () -> PlanAssert.assertThat(plan).hasSameFingerprintAs(empty));
  }
}
