package dev.gitops.plan;

import static org.quicktheories.QuickTheory.qt;

import dev.gitops.internal.plan.Fingerprints;
import dev.gitops.model.Observed;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.PlanGen.Scenario;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.SourceDSL;

/** The planner's laws over small generated scenarios (see {@link PlanGen}). */
class PlannerProperties {
  static final int EXAMPLES = 1000;
  static final PlanOptions OPTIONS = PlanOptions.defaults().withOwner(PlanGen.OWNER)
      .withAdoption(PlanOptions.Adoption.ADOPT).withAllowEmptyPrune(true);
  final Planner planner = new Planner();

  /** The plan's JSON, or the refusal's message. */
  String outcome(Scenario s) {
    try {
      return planner.plan(s.desired(), s.actual(), OPTIONS).toJson();
    } catch (PlanRefusedException e) {
      return "refused: " + e.getMessage();
    }
  }

  Plan planOrNull(Scenario s) {
    try {
      return planner.plan(s.desired(), s.actual(), OPTIONS);
    } catch (PlanRefusedException e) {
      return null;
    }
  }

  @Test
  void shuffledInputsGiveByteIdenticalPlans() {
    qt().withExamples(EXAMPLES).forAll(PlanGen.desired(), PlanGen.actual(), SourceDSL.longs().between(1, 1000))
        .check((d, a, seed) -> outcome(Scenario.of(d, a, 0)).equals(outcome(Scenario.of(d, a, seed))));
  }

  @Test
  void planOnlyUpdatesAndDeletesWhatTheOwnerOwnsAndAdoptsOnlyWhatNobodyOwns() {
    qt().withExamples(EXAMPLES).forAll(PlanGen.desired(), PlanGen.actual()).check((d, a) -> {
      Scenario s = Scenario.of(d, a, 0);
      Plan plan = planOrNull(s);
      if (plan == null) {
        return s.actual().observed().stream().anyMatch(o -> o.owner().equals("other") && s.desired().contains(o.id()));
      }
      for (Action step : plan.actions()) {
        Observed o = s.actual().get(step.id());
        boolean ok = switch (step.kind()) {
          case UPDATE, DELETE, NOOP -> o != null && o.isOwnedBy(PlanGen.OWNER);
          case ADOPT -> o != null && o.owner().isEmpty();
          case CREATE -> o == null;
          case RUN -> step.id().equals(PlanGen.RELOAD.id());
        };
        if (!ok) {
          return false;
        }
      }
      return s.actual().observed().stream()
          .filter(o -> !o.isOwnedBy(PlanGen.OWNER) && !s.desired().contains(o.id()))
          .allMatch(o -> plan.action(o.id()).isEmpty());
    });
  }

  @Test
  void everyDependsOnEdgeAndWaveIsRespected() {
    qt().withExamples(EXAMPLES).forAll(PlanGen.desired(), PlanGen.actual()).check((d, a) -> {
      Scenario s = Scenario.of(d, a, 0);
      Plan plan = planOrNull(s);
      if (plan == null) {
        return true;
      }
      Map<ResourceId, Integer> waveOf = new HashMap<>();
      plan.waves().forEach(w -> w.actions().forEach(x -> waveOf.put(x.id(), w.index())));
      List<ResourceId> desired = List.copyOf(s.desired().byId().keySet());
      int lastApply = -1;
      int firstOther = Integer.MAX_VALUE;
      for (Map.Entry<ResourceId, Integer> e : waveOf.entrySet()) {
        if (s.desired().contains(e.getKey())) {
          lastApply = Math.max(lastApply, e.getValue());
        } else {
          firstOther = Math.min(firstOther, e.getValue());
        }
      }
      if (lastApply >= firstOther) {
        return false;
      }
      for (ResourceId id : desired) {
        for (ResourceId dep : s.desired().dependsOn(id)) {
          if (waveOf.get(dep) >= waveOf.get(id)) {
            return false;
          }
        }
        for (ResourceId other : desired) {
          if (s.wave(other) < s.wave(id) && waveOf.get(other) >= waveOf.get(id)) {
            return false;
          }
        }
      }
      return desired.stream().allMatch(waveOf::containsKey);
    });
  }

  @Test
  void jsonRoundTripIsIdentity() {
    qt().withExamples(EXAMPLES).forAll(PlanGen.desired(), PlanGen.actual()).check((d, a) -> {
      Plan plan = planOrNull(Scenario.of(d, a, 0));
      if (plan == null) {
        return true;
      }
      Plan revised = plan.withRevision("r" + d.size() + PlanGen.HIDDEN.get(d.size() % PlanGen.HIDDEN.size()));
      String json = revised.toJson();
      Plan back = Plan.fromJson(json);
      return back.equals(revised) && back.toJson().equals(json) && !back.isRedacted()
          && json.codePoints().noneMatch(c -> c != '\n' && dev.gitops.internal.Printable.hidden(c));
    });
  }

  @Test
  void fingerprintsAreEqualExactlyWhenJsonIsEqualButForTheRevision() {
    qt().withExamples(EXAMPLES).forAll(PlanGen.desired(), PlanGen.actual(), PlanGen.desired(), PlanGen.actual())
        .check((d1, a1, d2, a2) -> {
          boolean same = (d1.size() + a1.size()) % 2 == 0;
          Plan p1 = planOrNull(Scenario.of(d1, a1, 0));
          Plan p2 = same ? planOrNull(Scenario.of(d1, a1, 7)) : planOrNull(Scenario.of(d2, a2, 0));
          if (p1 == null || p2 == null) {
            return true;
          }
          boolean jsonEqual = p1.withRevision("").toJson().equals(p2.withRevision("").toJson());
          boolean fingerprintEqual = p1.withRevision("a").fingerprint().equals(p2.withRevision("b").fingerprint());
          return jsonEqual == fingerprintEqual;
        });
  }

  @Test
  void fingerprintIsTheDefinitionOverTheWavesWhateverTheWaveOrder() {
    // A kind order that scatters resources over waves, so that no-op ids gathered in id order
    // while planning are read back in another order.
    PlanOptions scattered = new PlanOptions(OPTIONS.owner(), OPTIONS.prune(),
        OPTIONS.allowEmptyPrune(), OPTIONS.maxDeletes(), OPTIONS.maxDeletePercent(),
        OPTIONS.adoption(), OPTIONS.diff(), id -> Math.floorMod(id.name().hashCode(), 3));
    qt().withExamples(EXAMPLES).forAll(PlanGen.desired(), PlanGen.actual()).check((d, a) -> {
      Scenario s = Scenario.of(d, a, 0);
      for (PlanOptions options : List.of(OPTIONS, scattered)) {
        Plan plan;
        try {
          plan = planner.plan(s.desired(), s.actual(), options);
        } catch (PlanRefusedException e) {
          return true;
        }
        String definition = Fingerprints.of(plan.owner(), plan.waves(), options.diff().sensitive());
        if (!plan.fingerprint().equals(definition)) {
          return false;
        }
      }
      return true;
    });
  }
}
