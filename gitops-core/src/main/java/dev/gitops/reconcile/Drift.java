package dev.gitops.reconcile;

import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.ResourceId;
import dev.gitops.model.Revision;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The target moved away from a revision it had converged to: a hand edit, a hand delete, another
 * tool. Carries the plan that would repair it.
 *
 * @param revision the revision the target had converged to (unchanged in the source)
 * @param plan the repair plan, never empty
 */
public record Drift(Revision revision, Plan plan) {
  /**
   * Validates.
   *
   * @param revision the revision the target had converged to; not null
   * @param plan the repair plan; not null
   */
  public Drift {
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(plan, "plan");
  }

  /** {@return the drifted resources: every id whose repair step changes something, in plan order} */
  public List<ResourceId> ids() {
    return plan.changes().stream().map(Action::id).toList();
  }

  /**
   * {@return the field-level differences of the drifted resources that still exist (updates and
   * adoptions), in plan order; hand-deleted resources have none}
   */
  public List<ResourceDiff> diffs() {
    List<ResourceDiff> out = new ArrayList<>();
    for (Action a : plan.changes()) {
      if (a instanceof Action.Update u) {
        out.add(u.diff());
      } else if (a instanceof Action.Adopt ad) {
        out.add(ad.diff());
      }
    }
    return out;
  }

  /**
   * One line per drifted field, {@code ConfigMap/default/web /data/color}, or per drifted resource
   * as a whole ({@code ConfigMap/default/web (deleted)} when it was removed by hand). Never values.
   *
   * @return the lines, in plan order; safe to log (sensitive fields show only their path)
   */
  public List<String> fields() {
    List<String> out = new ArrayList<>();
    for (Action a : plan.changes()) {
      ResourceDiff diff = a instanceof Action.Update u ? u.diff()
          : a instanceof Action.Adopt ad ? ad.diff() : null;
      if (diff != null && !diff.isEmpty()) {
        diff.changes().forEach(c -> out.add(a.id() + " " + c.path()));
      } else {
        out.add(a.id() + " (" + describe(a.kind()) + ")");
      }
    }
    return out;
  }

  private static String describe(Action.Kind kind) {
    return switch (kind) {
      case CREATE -> "deleted";
      case DELETE -> "left the desired state";
      case ADOPT -> "ownership lost";
      case UPDATE -> "changed";
      case RUN -> "handler due";
      case NOOP -> "unchanged";
    };
  }

  /** Revision and drifted fields; never values. */
  @Override
  public String toString() {
    return "Drift from " + revision + ": " + String.join(", ", fields());
  }
}
