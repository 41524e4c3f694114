package dev.gitops.apply;

import dev.gitops.model.ActualState;
import dev.gitops.model.Observed;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.Scope;
import dev.gitops.target.Target;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The stale-plan check: re-reads a wave's resources once and names the steps whose resource moved
 * since the plan (fingerprint or owner changed). Not part of the public API.
 */
final class StaleCheck {
  private StaleCheck() {}

  /** True for the steps the check applies to: those that write a resource. */
  public static boolean writes(Action a) {
    return switch (a.kind()) {
      case CREATE, UPDATE, ADOPT, DELETE -> true;
      case NOOP, RUN -> false;
    };
  }

  /**
   * Reads {@code writes}' resources from {@code target} and returns, per moved step, what moved.
   *
   * @throws dev.gitops.target.TargetException when the read fails
   */
  public static Map<ResourceId, String> moved(Target target, String owner, Collection<Action> writes) {
    Map<ResourceId, String> moved = new TreeMap<>();
    if (writes.isEmpty()) {
      return moved;
    }
    Set<ResourceId> ids = new TreeSet<>();
    writes.forEach(a -> ids.add(a.id()));
    ActualState now = target.read(Scope.of(owner, ids));
    for (Action a : writes) {
      String reason = check(a, now.get(a.id()), owner);
      if (reason != null) {
        moved.put(a.id(), reason);
      }
    }
    return moved;
  }

  private static String check(Action a, Observed current, String owner) {
    String found = current == null ? Action.ABSENT : current.fingerprint();
    if (!found.equals(a.expected())) {
      return a.id() + " moved since the plan (planned against " + a.expected() + ", found "
          + found + ")";
    }
    if (current == null) {
      return null;
    }
    boolean ownerOk = switch (a.kind()) {
      case UPDATE, DELETE -> current.isOwnedBy(owner);
      case ADOPT -> current.owner().isEmpty() || current.isOwnedBy(owner);
      default -> true;
    };
    return ownerOk ? null : a.id() + " is now owned by " + current.owner() + ", not " + owner;
  }
}
