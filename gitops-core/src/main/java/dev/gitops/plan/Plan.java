package dev.gitops.plan;

import dev.gitops.model.ResourceId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a reconcile will do: ordered {@link Wave}s of {@link Action}s, made by {@link Planner} from a
 * desired and an actual state. A value: it can be rendered for review, serialised to JSON, asserted
 * in a unit test ({@code dev.gitops.testing.PlanAssert}) and applied later — the applier refuses the
 * steps whose resource moved since.
 *
 * @param owner the reconciler the plan was made for
 * @param revision the desired state's revision id, {@code ""} when unknown
 * @param waves the steps, in order
 * @param fingerprint digest over the plan's inputs as far as they matter for its steps: equal for two
 *     plans that would do the same thing to the same actual state
 */
public record Plan(String owner, String revision, List<Wave> waves, String fingerprint) {
  /** Validates and copies. */
  public Plan {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(revision, "revision");
    waves = List.copyOf(waves);
    Objects.requireNonNull(fingerprint, "fingerprint");
  }

  /** Every step, wave by wave, no-ops included. */
  public List<Action> actions() {
    return waves.stream().flatMap(w -> w.actions().stream()).toList();
  }

  /** Steps that change something (no no-ops). */
  public List<Action> changes() {
    return actions().stream().filter(a -> a.kind() != Action.Kind.NOOP).toList();
  }

  /** The step for {@code id}, if the plan has one. */
  public Optional<Action> action(ResourceId id) {
    return actions().stream().filter(a -> a.id().equals(id)).findFirst();
  }

  /** True when no step changes anything. */
  public boolean isEmpty() {
    return waves.stream().allMatch(Wave::isEmpty);
  }

  /** How many steps of each kind. */
  public Map<Action.Kind, Integer> counts() {
    Map<Action.Kind, Integer> counts = new EnumMap<>(Action.Kind.class);
    for (Action.Kind k : Action.Kind.values()) {
      counts.put(k, 0);
    }
    for (Wave w : waves) {
      for (Action a : w.actions()) {
        counts.merge(a.kind(), 1, Integer::sum);
      }
    }
    return counts;
  }

  /**
   * One line: {@code Plan: 2 to create, 1 to update, 1 to delete, 0 to adopt.} — with
   * {@code , 1 handler to run} before the period when handlers are triggered.
   */
  public String summary() {
    Map<Action.Kind, Integer> c = counts();
    int runs = c.get(Action.Kind.RUN);
    return "Plan: " + c.get(Action.Kind.CREATE) + " to create, " + c.get(Action.Kind.UPDATE)
        + " to update, " + c.get(Action.Kind.DELETE) + " to delete, " + c.get(Action.Kind.ADOPT)
        + " to adopt" + (runs == 0 ? "" : ", " + runs + (runs == 1 ? " handler" : " handlers") + " to run")
        + ".";
  }

  /** The summary line; never contents. */
  @Override
  public String toString() {
    return summary();
  }
}
