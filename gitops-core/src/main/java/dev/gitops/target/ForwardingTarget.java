package dev.gitops.target;

import dev.gitops.model.ActualState;
import dev.gitops.model.DesiredState;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.PlanOptions;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link Target} that forwards every method to another one: the base of every wrapper (a guard
 * that writes only while leading, a stand-in that plays a controller's part, a stop flag). A
 * subclass overrides only what it changes, and keeps everything else the wrapped target offers —
 * its optional capabilities ({@link #lockable()}, {@link #lockable(String)},
 * {@link #deployHistory()}) and its
 * {@link #planDefaults()} included, so that a push deploy through the wrapper still holds the
 * wrapped target's lock, records in its history and plans with its diff rules.
 *
 * <p>Writes have one hook and reads one: {@link #apply} always goes through
 * {@link #applyWithDetail} (which the applier calls), and {@link #read(String)} and
 * {@link #read(Scope)} through {@link #read(Scope, DesiredState)} (which the reconciler calls; the
 * others pass an empty desired state, which hints nothing); the others are final, so a subclass
 * cannot intercept one path and miss the other.
 *
 * <pre>{@code
 * Target audited = new ForwardingTarget(target) {
 *   @Override public String applyWithDetail(Action action, String owner) {
 *     log.info("{} {}", action.kind(), action.id());
 *     return super.applyWithDetail(action, owner);
 *   }
 * };
 * }</pre>
 *
 * <p>Thread-safe as far as the wrapped target and the subclass are.
 */
public abstract class ForwardingTarget implements Target {
  private final Target delegate;

  /**
   * Wraps {@code delegate}: every method forwards to it until a subclass overrides one.
   *
   * @param delegate the wrapped target
   * @throws NullPointerException when {@code delegate} is null
   */
  protected ForwardingTarget(Target delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * The wrapped target.
   *
   * @return the target this one forwards to
   */
  protected final Target delegate() {
    return delegate;
  }

  /** Reads through {@link #read(Scope, DesiredState)} with an empty desired state: no hint. */
  @Override
  public final ActualState read(Scope scope) {
    return read(scope, DesiredState.empty());
  }

  /** The one read hook: a subclass that changes or observes reads overrides this method. */
  @Override
  public ActualState read(Scope scope, DesiredState desired) {
    return delegate.read(scope, desired);
  }

  /** Reads through {@link #read(Scope, DesiredState)}. */
  @Override
  public final ActualState read(String owner) {
    return read(Scope.owned(owner));
  }

  /** Applies through {@link #applyWithDetail}, dropping the detail. */
  @Override
  public final void apply(Action action, String owner) {
    applyWithDetail(action, owner);
  }

  @Override
  public String applyWithDetail(Action action, String owner) {
    return delegate.applyWithDetail(action, owner);
  }

  @Override
  public boolean checksPreconditions() {
    return delegate.checksPreconditions();
  }

  /** The wrapped target's: a subclass that changes what {@link #read(Scope)} reports overrides it. */
  @Override
  public Optional<String> stateToken(Scope scope) {
    return delegate.stateToken(scope);
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
  public PlanOptions planDefaults() {
    return delegate.planDefaults();
  }

  @Override
  public Optional<Lockable> lockable() {
    return delegate.lockable();
  }

  @Override
  public Optional<Lockable> lockable(String owner) {
    return delegate.lockable(owner);
  }

  @Override
  public Optional<DeployHistory> deployHistory() {
    return delegate.deployHistory();
  }

  /** The wrapped target's. */
  @Override
  public String toString() {
    return delegate.toString();
  }
}
