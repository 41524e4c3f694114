package dev.gitops.plan;

import java.util.List;

/**
 * Steps that may run together. Waves run in order; the applier waits for the target's health
 * verdict on a wave before starting the next.
 *
 * @param index position in the plan, from 0
 * @param actions the steps, sorted by id
 */
public record Wave(int index, List<Action> actions) {
  /**
   * Validates and copies.
   *
   * @param index position in the plan, from 0; negative throws {@link IllegalArgumentException}
   * @param actions the steps, already sorted by id; copied
   */
  public Wave {
    if (index < 0) {
      throw new IllegalArgumentException("index must not be negative: " + index);
    }
    actions = List.copyOf(actions);
  }

  /** {@return true when every step is a no-op (a wave with no steps is empty too)} */
  public boolean isEmpty() {
    return actions.stream().allMatch(a -> a.kind() == Action.Kind.NOOP);
  }
}
