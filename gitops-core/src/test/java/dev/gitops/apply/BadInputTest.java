package dev.gitops.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.DesiredState;
import dev.gitops.model.Fixtures;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Observed;
import dev.gitops.model.Origin;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanOptions;
import dev.gitops.plan.Planner;
import dev.gitops.target.InMemoryTarget;
import dev.gitops.target.Scope;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BadInputTest {
  private static Resource at(Resource r, String file, int line) {
    return r.withOrigin(new Origin(file, line));
  }

  private static Resource annotated(String name, String key, String value) {
    return Fixtures.configMap(name, Map.of("k", "v"), Map.of(key, value));
  }

  @Test
  void everyProblemIsReportedAtOnceWithFileAndLineAndNothingIsApplied() {
    InMemoryTarget target = InMemoryTarget.of(List.of(
        Observed.of(Fixtures.configMap("live", "1"), Gen.OWNER)));
    var before = target.snapshot();
    List<Resource> resources = List.of(
        at(Fixtures.configMap("web", "1"), "deploy/web.yaml", 1),
        at(Fixtures.configMap("web", "2"), "deploy/copy.yaml", 9),
        at(annotated("x", Resource.DEPENDS_ON, "ConfigMap/default/y"), "deploy/cycle.yaml", 1),
        at(annotated("y", Resource.DEPENDS_ON, "ConfigMap/default/x"), "deploy/cycle.yaml", 12),
        at(annotated("lonely", Resource.DEPENDS_ON, "ConfigMap/default/ghost"), "deploy/dep.yaml", 3),
        at(annotated("early", Resource.WAVE, "first"), "deploy/wave.yaml", 5));
    List<Problem> loader = List.of(
        new Problem("deploy/bad.yaml", 7, null, "missing kind"),
        new Problem("deploy/bad.yaml", 14, null, "missing metadata.name"));

    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class, () -> {
      DesiredState desired = DesiredState.of(resources, List.of(), loader);
      Plan plan = new Planner().plan(desired,
          target.read(Scope.of(Gen.OWNER, desired.byId().keySet())),
          PlanOptions.defaults().withOwner(Gen.OWNER));
      new Applier().apply(plan, target, ApplyOptions.defaults());
    });

    List<String> where = e.problems().stream().map(p -> p.file() + ":" + p.line()).toList();
    assertTrue(where.containsAll(List.of("deploy/bad.yaml:7", "deploy/bad.yaml:14",
        "deploy/copy.yaml:9", "deploy/dep.yaml:3", "deploy/wave.yaml:5")), where::toString);
    assertTrue(where.stream().anyMatch(w -> w.startsWith("deploy/cycle.yaml:")), where::toString);
    assertTrue(e.problems().stream().allMatch(p -> !p.file().isEmpty() && p.line() > 0));
    String message = e.getMessage();
    for (String expected : List.of("missing kind", "missing metadata.name",
        "duplicate resource, also declared at deploy/web.yaml:1", "depends-on cycle",
        "ConfigMap/default/ghost, which is not in the desired state",
        "gitops.dev/wave must be an integer, not 'first'")) {
      assertTrue(message.contains(expected), () -> "'" + expected + "' in:\n" + message);
    }
    assertTrue(message.startsWith(e.problems().size() + " problems in the desired state:"), message);
    assertEquals(List.of(), target.calls(), "the target was not even read");
    assertEquals(before, target.snapshot());
  }

  @Test
  void oneProblemAloneIsStillRefusedBeforeAnyWrite() {
    InMemoryTarget target = InMemoryTarget.empty();
    assertThrows(InvalidDesiredStateException.class, () -> {
      DesiredState desired = DesiredState.of(List.of(
          at(annotated("early", Resource.WAVE, "1.5"), "deploy/wave.yaml", 2)));
      new Applier().apply(new Planner().plan(desired, target.read(Gen.OWNER),
          PlanOptions.defaults()), target, ApplyOptions.defaults());
    });
    assertTrue(target.calls().stream().noneMatch(c -> c.startsWith("apply")));
  }
}
