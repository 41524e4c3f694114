package dev.gitops.reconcile;

import dev.gitops.plan.Action;
import dev.gitops.target.ForwardingTarget;
import dev.gitops.target.Target;
import dev.gitops.target.TargetException;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A target seen through a stop flag: once the flag is up, steps that have not started are refused
 * (a non-retryable {@link TargetException}, so the applier fails them without retrying and skips
 * later waves); steps already running finish. Everything else, capabilities included, passes
 * through. Not part of the public API.
 */
final class StoppingTarget extends ForwardingTarget {
  /** Start of the message of refused steps. */
  public static final String REFUSED = "not started: ";

  private final BooleanSupplier stop;
  private final String why;

  /**
   * @param delegate the real target
   * @param stop true once no further step may start
   * @param why what is stopping, for the refusal's message ({@code agent web is stopping})
   */
  public StoppingTarget(Target delegate, BooleanSupplier stop, String why) {
    super(delegate);
    this.stop = Objects.requireNonNull(stop, "stop");
    this.why = Objects.requireNonNull(why, "why");
  }

  @Override
  public String applyWithDetail(Action action, String owner) {
    if (stop.getAsBoolean()) {
      throw new TargetException(action.id(), REFUSED + why, false, null);
    }
    return super.applyWithDetail(action, owner);
  }
}
