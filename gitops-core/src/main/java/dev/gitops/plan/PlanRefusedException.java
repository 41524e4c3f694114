package dev.gitops.plan;

import dev.gitops.GitOpsException;
import dev.gitops.model.ResourceId;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The planner refused to make a plan: a desired resource exists on the target but belongs to
 * another reconciler (never stolen) or to nobody while adoption is refused, or a prune guard stopped
 * it (an empty desired state, a delete budget). Lists every reason, each naming the resources.
 * Nothing is applied.
 */
public class PlanRefusedException extends GitOpsException {
  private static final long serialVersionUID = 1L;
  private final transient List<Reason> reasons;

  /**
   * One reason for the refusal.
   *
   * @param ids the resources concerned, sorted
   * @param message what is wrong, naming them
   */
  public record Reason(List<ResourceId> ids, String message) {
    /**
     * Copies.
     *
     * @param ids the resources concerned, in any order; copied sorted
     * @param message what is wrong, naming them, for a person
     */
    public Reason {
      ids = ids.stream().sorted().toList();
    }

    @Override
    public String toString() {
      return message;
    }
  }

  /**
   * A refusal for {@code reasons}; the message lists them, one per line when there are several.
   *
   * @param reasons every reason; at least one, else {@link IllegalArgumentException}
   */
  public PlanRefusedException(List<Reason> reasons) {
    super(message(reasons));
    this.reasons = List.copyOf(reasons);
  }

  /** {@return every reason, in the order found (ownership before prune guards); never empty} */
  public List<Reason> reasons() {
    return reasons;
  }

  /** {@return every resource named by any reason, sorted, without duplicates} */
  public List<ResourceId> ids() {
    return reasons.stream().flatMap(r -> r.ids().stream()).distinct().sorted().toList();
  }

  private static String message(List<Reason> reasons) {
    if (reasons.isEmpty()) {
      throw new IllegalArgumentException("no reasons");
    }
    return reasons.size() == 1
        ? "plan refused: " + reasons.get(0).message()
        : "plan refused for " + reasons.size() + " reasons:\n"
            + reasons.stream().map(r -> "  " + r.message()).collect(Collectors.joining("\n"));
  }
}
