package dev.gitops.apply;

import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.Resource;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.Wave;
import dev.gitops.target.InMemoryTarget;
import java.util.ArrayList;
import java.util.List;

/** Hand-made plans, so the applier is tested without the planner. */
final class Plans {
  static final String OWNER = "test";

  private Plans() {}

  /** A plan of the given waves. */
  @SafeVarargs
  static Plan of(List<Action>... waves) {
    List<Wave> out = new ArrayList<>();
    for (List<Action> w : waves) {
      out.add(new Wave(out.size(), w));
    }
    return new Plan(OWNER, "", out, "sha256:test");
  }

  static Action create(Resource r) {
    return new Action.Create(r);
  }

  /** An update of what {@code target} holds now to {@code r}. */
  static Action update(InMemoryTarget target, Resource r) {
    return new Action.Update(r, ResourceDiff.none(r.id()), target.get(r.id()).fingerprint());
  }

  /** A delete of what {@code target} holds now. */
  static Action delete(InMemoryTarget target, Resource r) {
    return new Action.Delete(r.id(), target.get(r.id()).fingerprint());
  }
}
