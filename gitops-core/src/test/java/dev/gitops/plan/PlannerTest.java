package dev.gitops.plan;

import static dev.gitops.model.Fixtures.configMap;
import static dev.gitops.plan.PlanFixtures.deployment;
import static dev.gitops.plan.PlanFixtures.observed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.diff.Change;
import dev.gitops.diff.PathRule;
import dev.gitops.model.ActualState;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.testing.PlanAssert;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerTest {
  static final PlanOptions WEB = PlanOptions.defaults().withOwner("web");
  final Planner planner = new Planner();

  Plan plan(List<Resource> desired, List<Observed> actual, PlanOptions options) {
    return planner.plan(DesiredState.of(desired), ActualState.of(actual), options);
  }

  @Test
  void createsWhatTheTargetLacks() {
    Plan plan = plan(List.of(deployment("web", 2)), List.of(), WEB);
    Action.Create create = (Action.Create) plan.action(deployment("web", 2).id()).orElseThrow();
    assertEquals(deployment("web", 2), create.desired());
    assertEquals(Action.ABSENT, create.expected());
    assertEquals("Plan: 1 to create, 0 to update, 0 to delete, 0 to adopt.", plan.summary());
    assertEquals("web", plan.owner());
    assertEquals("", plan.revision());
  }

  @Test
  void updatesOwnedResourceWithItsDiffAndTheObservedFingerprint() {
    Plan plan = plan(List.of(deployment("web", 3)), List.of(observed(deployment("web", 2), "web", "17")), WEB);
    Action.Update u = (Action.Update) plan.action(deployment("web", 3).id()).orElseThrow();
    assertEquals("version:17", u.expected());
    assertEquals(List.of("/spec/replicas"), u.diff().changes().stream().map(Change::path).toList());
    assertEquals(deployment("web", 3), u.desired());
  }

  @Test
  void convergedResourceIsANoOpAndThePlanIsEmpty() {
    Plan plan = plan(List.of(deployment("web", 2)), List.of(observed(deployment("web", 2), "web")), WEB);
    assertTrue(plan.isEmpty());
    assertEquals(Action.Kind.NOOP, plan.action(deployment("web", 2).id()).orElseThrow().kind());
    assertEquals(1, plan.waves().size());
    assertEquals("Plan: 0 to create, 0 to update, 0 to delete, 0 to adopt.", plan.summary());
  }

  @Test
  void noOpKeepsTheCountOfSuppressedDifferences() {
    PlanOptions ignoring = WEB.withDiff(WEB.diff().ignoring(PathRule.forKind("Deployment", "/spec/replicas")));
    Plan plan = plan(List.of(deployment("web", 3)), List.of(observed(deployment("web", 2), "web")), ignoring);
    Action.NoOp noop = (Action.NoOp) plan.action(deployment("web", 3).id()).orElseThrow();
    assertTrue(plan.isEmpty());
    assertEquals(1, noop.diff().suppressed().size());
    assertEquals(1, noop.diff().suppressed().get(0).count());
  }

  @Test
  void adoptsAnUnownedResourceWhenAdoptionIsAllowed() {
    Observed unowned = observed(deployment("web", 2), "");
    Plan plan = plan(List.of(deployment("web", 3)), List.of(unowned),
        WEB.withAdoption(PlanOptions.Adoption.ADOPT));
    Action.Adopt a = (Action.Adopt) plan.action(deployment("web", 3).id()).orElseThrow();
    assertEquals(unowned.fingerprint(), a.expected());
    assertFalse(a.diff().isEmpty());
    assertEquals("Plan: 0 to create, 0 to update, 0 to delete, 1 to adopt.", plan.summary());
  }

  @Test
  void adoptsAnUnownedIdenticalResourceWithAnEmptyDiff() {
    Plan plan = plan(List.of(deployment("web", 2)), List.of(observed(deployment("web", 2), "")),
        WEB.withAdoption(PlanOptions.Adoption.ADOPT));
    Action.Adopt a = (Action.Adopt) plan.action(deployment("web", 2).id()).orElseThrow();
    assertTrue(a.diff().isEmpty());
    assertFalse(plan.isEmpty());
  }

  @Test
  void refusesAnUnownedResourceWhenAdoptionIsRefused() {
    PlanRefusedException e = assertThrows(PlanRefusedException.class, () -> plan(
        List.of(deployment("web", 3)), List.of(observed(deployment("web", 2), "")), WEB));
    assertEquals("plan refused: apps/Deployment/default/web exists and is not owned by 'web'"
        + " (owner: none; adoption is refused)", e.getMessage());
    assertEquals(List.of(deployment("web", 3).id()), e.ids());
  }

  @Test
  void neverStealsAResourceOwnedByAnotherReconciler() {
    Resource web = Resource.of(ResourceId.of("Deployment", "default", "web"), deployment("web", 1).content());
    PlanRefusedException e = assertThrows(PlanRefusedException.class, () -> plan(
        List.of(web), List.of(observed(web, "other")), WEB.withAdoption(PlanOptions.Adoption.ADOPT)));
    assertEquals("plan refused: Deployment/default/web exists and is not owned by 'web' (owner: 'other')",
        e.getMessage());
  }

  @Test
  void refusalListsEveryRefusedResource() {
    PlanRefusedException e = assertThrows(PlanRefusedException.class, () -> plan(
        List.of(deployment("a", 1), deployment("b", 1), deployment("c", 1)),
        List.of(observed(deployment("a", 1), "other"), observed(deployment("c", 1), "")), WEB));
    assertEquals(2, e.reasons().size());
    assertEquals(List.of(deployment("a", 1).id(), deployment("c", 1).id()), e.ids());
    assertTrue(e.getMessage().startsWith("plan refused for 2 reasons:\n"), e.getMessage());
    assertTrue(e.getMessage().contains("apps/Deployment/default/a exists and is not owned by 'web' (owner: 'other')"));
    assertTrue(e.getMessage().contains("apps/Deployment/default/c exists and is not owned by 'web' (owner: none"));
  }

  @Test
  void prunesOwnedResourcesThatLeftTheDesiredState() {
    Observed old = observed(deployment("old", 1), "web");
    Plan plan = plan(List.of(deployment("web", 1)), List.of(old), WEB);
    Action.Delete d = (Action.Delete) plan.action(old.id()).orElseThrow();
    assertEquals(old.fingerprint(), d.expected());
    PlanAssert.assertThat(plan).creates(deployment("web", 1).id()).deletes(old.id())
        .appliesBefore(deployment("web", 1).id(), old.id());
  }

  @Test
  void pruneOffDeletesNothing() {
    Plan plan = plan(List.of(deployment("web", 1)), List.of(observed(deployment("old", 1), "web")),
        WEB.withPrune(false));
    PlanAssert.assertThat(plan).deletesNothing().doesNotMention(deployment("old", 1).id());
  }

  @Test
  void pruneLeavesResourcesOfOthersAndOfNobodyAloneWithoutListingThem() {
    Plan plan = plan(List.of(deployment("web", 1)),
        List.of(observed(deployment("theirs", 1), "other"), observed(deployment("nobodys", 1), "")), WEB);
    PlanAssert.assertThat(plan).deletesNothing()
        .doesNotMention(deployment("theirs", 1).id()).doesNotMention(deployment("nobodys", 1).id());
    assertEquals(1, plan.actions().size());
  }

  @Test
  void emptyDesiredStateNeverPrunesUnlessAllowed() {
    List<Observed> owned = List.of(observed(deployment("a", 1), "web"), observed(deployment("b", 1), "web"));
    PlanRefusedException e = assertThrows(PlanRefusedException.class, () -> plan(List.of(), owned, WEB));
    assertEquals("plan refused: the desired state is empty: refusing to delete 2 resource(s) owned by"
        + " 'web' (allowEmptyPrune is off): [apps/Deployment/default/a, apps/Deployment/default/b]",
        e.getMessage());
    Plan allowed = plan(List.of(), owned, WEB.withAllowEmptyPrune(true));
    PlanAssert.assertThat(allowed).deletes(deployment("a", 1).id()).deletes(deployment("b", 1).id());
  }

  @Test
  void emptyDesiredStateWithNothingOwnedIsAnEmptyPlan() {
    assertTrue(plan(List.of(), List.of(observed(deployment("x", 1), "other")), WEB).isEmpty());
  }

  @Test
  void deleteBudgetByCountStopsALargerPrune() {
    List<Observed> owned = List.of(observed(deployment("a", 1), "web"), observed(deployment("b", 1), "web"),
        observed(deployment("keep", 1), "web"));
    List<Resource> desired = List.of(deployment("keep", 1));
    PlanRefusedException e = assertThrows(PlanRefusedException.class,
        () -> plan(desired, owned, WEB.withDeleteBudget(1, 100)));
    assertEquals("plan refused: would delete 2 resource(s) owned by 'web', over the budget of 1:"
        + " [apps/Deployment/default/a, apps/Deployment/default/b]", e.getMessage());
    PlanAssert.assertThat(plan(desired, owned, WEB.withDeleteBudget(2, 100)))
        .deletes(deployment("a", 1).id()).deletes(deployment("b", 1).id());
  }

  @Test
  void deleteBudgetByPercentageOfOwnedStopsALargerPrune() {
    List<Observed> owned = List.of(observed(deployment("a", 1), "web"), observed(deployment("b", 1), "web"),
        observed(deployment("c", 1), "web"), observed(deployment("d", 1), "web"));
    List<Resource> desired = List.of(deployment("c", 1), deployment("d", 1));
    PlanRefusedException e = assertThrows(PlanRefusedException.class,
        () -> plan(desired, owned, WEB.withDeleteBudget(-1, 49)));
    assertEquals("plan refused: would delete 2 of 4 resource(s) owned by 'web', over the budget of 49%:"
        + " [apps/Deployment/default/a, apps/Deployment/default/b]", e.getMessage());
    assertEquals(2, plan(desired, owned, WEB.withDeleteBudget(-1, 50)).counts().get(Action.Kind.DELETE));
  }

  @Test
  void refusalsForOwnershipAndBudgetAreReportedTogether() {
    PlanRefusedException e = assertThrows(PlanRefusedException.class, () -> plan(
        List.of(deployment("a", 1)),
        List.of(observed(deployment("a", 1), "other"), observed(deployment("b", 1), "web")),
        WEB.withDeleteBudget(0, 100)));
    assertEquals(2, e.reasons().size());
    assertEquals(List.of(deployment("a", 1).id(), deployment("b", 1).id()), e.ids());
  }

  @Test
  void revisionIsNotPartOfTheFingerprint() {
    Plan plan = plan(List.of(deployment("web", 1)), List.of(), WEB);
    Plan named = plan.withRevision("3f2c1e0");
    assertEquals("3f2c1e0", named.revision());
    assertEquals(plan.fingerprint(), named.fingerprint());
  }

  @Test
  void fingerprintDiffersWhenThePlanDoesSomethingElse() {
    Plan a = plan(List.of(deployment("web", 1)), List.of(), WEB);
    Plan b = plan(List.of(deployment("web", 2)), List.of(), WEB);
    Plan c = plan(List.of(deployment("web", 1)), List.of(), WEB);
    assertEquals(a.fingerprint(), c.fingerprint());
    assertFalse(a.fingerprint().equals(b.fingerprint()));
    assertTrue(a.fingerprint().startsWith("sha256:"));
  }

  @Test
  void samePlanFromEqualInputs() {
    List<Resource> desired = List.of(deployment("a", 1), configMap("c", Map.of("k", "v")));
    List<Observed> actual = List.of(observed(deployment("b", 1), "web"));
    assertEquals(plan(desired, actual, WEB), plan(List.of(desired.get(1), desired.get(0)), actual, WEB));
  }

  @Test
  void aResourceOfAnotherContentKindIsUpdatedWhole() {
    Resource tree = deployment("web", 1);
    Resource bytes = dev.gitops.model.Fixtures.file("x", "y").withContent(dev.gitops.model.Content.bytes(new byte[] {1},
        dev.gitops.model.FileMode.REGULAR));
    Observed odd = observed(Resource.of(tree.id(), bytes.content()), "web");
    Plan plan = plan(List.of(tree), List.of(odd), WEB);
    Action.Update u = (Action.Update) plan.action(tree.id()).orElseThrow();
    assertEquals(odd.fingerprint(), u.expected());
    assertTrue(u.diff().changes().stream().allMatch(c -> c.op() == Change.Op.ADD), u.diff().toString());
  }
}
