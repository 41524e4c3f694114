package dev.gitops.internal.reconcile;

import dev.gitops.model.ActualState;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.Health;
import dev.gitops.target.Scope;
import dev.gitops.target.Target;
import dev.gitops.target.TargetException;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A target seen through a stop flag: once the flag is up, steps that have not started are refused
 * (a non-retryable {@link TargetException}, so the applier fails them without retrying and skips
 * later waves); steps already running finish. Reads and health checks pass through. Not part of the
 * public API.
 */
public final class StoppingTarget implements Target {
  /** Start of the message of refused steps. */
  public static final String REFUSED = "not started: ";

  private final Target delegate;
  private final BooleanSupplier stop;
  private final String why;

  /**
   * @param delegate the real target
   * @param stop true once no further step may start
   * @param why what is stopping, for the refusal's message ({@code agent web is stopping})
   */
  public StoppingTarget(Target delegate, BooleanSupplier stop, String why) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.stop = Objects.requireNonNull(stop, "stop");
    this.why = Objects.requireNonNull(why, "why");
  }

  @Override
  public ActualState read(Scope scope) {
    return delegate.read(scope);
  }

  @Override
  public void apply(Action action, String owner) {
    if (stop.getAsBoolean()) {
      throw new TargetException(action.id(), REFUSED + why, false, null);
    }
    delegate.apply(action, owner);
  }

  @Override
  public String applyWithDetail(Action action, String owner) {
    if (stop.getAsBoolean()) {
      throw new TargetException(action.id(), REFUSED + why, false, null);
    }
    return delegate.applyWithDetail(action, owner);
  }

  @Override
  public boolean checksPreconditions() {
    return delegate.checksPreconditions();
  }

  @Override
  public Health health(ResourceId id) {
    return delegate.health(id);
  }

  @Override
  public String describe() {
    return delegate.describe();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
