package dev.gitops.target;

import dev.gitops.model.ActualState;
import dev.gitops.model.DesiredState;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.PlanOptions;
import java.util.Optional;

/**
 * A system we converge: a Kubernetes cluster, a host's files, an in-memory map.
 *
 * <p>A target marks what it applies as owned by the owner's name (a label, an inventory) and reports
 * that ownership when it reads. Implementations are thread-safe: the applier may call
 * {@link #apply} for the actions of one wave in parallel.
 *
 * <p><b>Optional capabilities</b> ({@link Lockable}, {@link DeployHistory}) are asked of the target
 * through {@link #lockable()} and {@link #deployHistory()}, never found by {@code instanceof} on
 * whatever object one holds: a target that wraps another ({@link ForwardingTarget}) passes them
 * through, so a push deploy under a wrapper still holds the real target's lock.
 */
public interface Target {

  /**
   * Reads every resource {@code scope.owner()} owns plus {@code scope.ids()}.
   *
   * @param scope the owner whose resources to read, and further ids to read whoever owns them
   * @return one observation per resource found, with its owner; ids that do not exist are absent
   * @throws TargetException when the target cannot be read
   */
  ActualState read(Scope scope);

  /**
   * Reads as {@link #read(Scope)} does, told what the caller is about to plan against: a target may
   * use {@code desired} to skip fetching content it can prove equal to the desired one (a files
   * target over SSH compares digests on the host and transfers only the files that differ). The
   * result must equal {@code read(scope)}'s; {@code desired} is a hint, never a filter. The
   * reconciler reads through this method; the applier's stale check through {@link #read(Scope)}.
   * Default: {@code read(scope)}.
   *
   * @param scope as for {@link #read(Scope)}
   * @param desired the desired state the read will be planned against; not null
   * @return what {@code read(scope)} returns
   * @throws TargetException when the target cannot be read
   */
  default ActualState read(Scope scope, DesiredState desired) {
    return read(scope);
  }

  /**
   * Performs one step for {@code owner}: create, update or adopt (writing {@code owner} as owner),
   * delete, or run a handler. No-ops are never passed. Preconditions are checked by the applier
   * beforehand; a target may check again ({@link Action#expected()}) and throw a
   * {@link StaleResourceException}.
   *
   * @param action the step; never a no-op
   * @param owner the reconciler applying it, recorded as owner of what it writes
   * @throws TargetException when the step fails; {@link TargetException#retryable()} says whether the
   *     applier should retry
   */
  void apply(Action action, String owner);

  /**
   * As {@link #apply}, returning what the target has to say about the step for
   * {@link dev.gitops.apply.Outcome.Applied#detail()} (a handler's output), {@code ""} for nothing.
   * The applier calls this method; a target with something to report overrides it, and a target
   * that wraps another forwards it. Default: {@link #apply}, then {@code ""}.
   *
   * @param action the step; never a no-op
   * @param owner the reconciler applying it, recorded as owner of what it writes
   * @return the detail, never null
   * @throws TargetException as {@link #apply}
   */
  default String applyWithDetail(Action action, String owner) {
    apply(action, owner);
    return "";
  }

  /**
   * True when {@link #apply} itself enforces {@link Action#expected()} atomically — it fails with a
   * {@link StaleResourceException} when the resource moved since the plan (e.g. a
   * {@code resourceVersion} precondition the server checks) — so the applier's re-read before each
   * wave would cost requests and prove nothing more, and is skipped. Default: false.
   *
   * @return true when {@link #apply} checks {@link Action#expected()} itself
   */
  default boolean checksPreconditions() {
    return false;
  }

  /**
   * A token of what {@link #read(Scope) read(scope)} would report now, when the target can tell
   * without reading (a watch-fed cache's change counters, say): equal tokens asked of this target
   * for the same scope mean that nothing the read reports changed in between. A token is asked
   * before the read it stands for. A {@code Reconciler} whose desired state did not change, and whose
   * last plan with this token was empty, neither reads nor plans again (see
   * {@link dev.gitops.reconcile.Reconciler}). Empty when the target cannot vouch for the scope
   * now, e.g. its cache is not synced or a bound on its staleness is due. Default: empty (every
   * reconcile reads). A target that wraps another and changes what it reads must not forward it.
   *
   * @param scope the scope a read would be asked for
   * @return the token, or empty when a read is needed to know
   */
  default Optional<String> stateToken(Scope scope) {
    return Optional.empty();
  }

  /**
   * The health of an applied resource. Default: {@link Health#HEALTHY}.
   *
   * @param id a resource the applier just created, updated or adopted
   * @return the verdict now; the applier polls again while it is progressing
   */
  default Health health(ResourceId id) {
    return Health.HEALTHY;
  }

  /**
   * {@return a short description for logs: {@code dir:/srv/app}, {@code ssh://deploy@web1/srv};
   * never a credential}
   */
  default String describe() {
    return getClass().getSimpleName();
  }

  /**
   * Reads only what {@code owner} owns.
   *
   * @param owner a reconciler name
   * @return one observation per resource {@code owner} owns
   * @throws TargetException when the target cannot be read
   */
  default ActualState read(String owner) {
    return read(Scope.owned(owner));
  }

  /**
   * How plans for this target are best made: the diff rules that know its content (what the
   * target adds and which differences do not count, which lists match by key, what is sensitive),
   * its kind order and the rules its options ignore. A {@code Reconciler} plans with these unless
   * given other options; start from them to change a few ({@code target.planDefaults().withAdoption(ADOPT)}).
   * Default: {@link PlanOptions#defaults()}.
   *
   * @return the plan options for this target, never null
   */
  default PlanOptions planDefaults() {
    return PlanOptions.defaults();
  }

  /**
   * The target's lock, when it has one. Default: this target itself when it implements
   * {@link Lockable}, else empty. A target that wraps another returns the wrapped target's
   * ({@link ForwardingTarget} does).
   *
   * @return the lock, or empty when the target has none
   */
  default Optional<Lockable> lockable() {
    return this instanceof Lockable lockable ? Optional.of(lockable) : Optional.empty();
  }

  /**
   * The lock that guards what {@code owner} writes, which {@code PushDeployer} and the pull agents
   * take (so a push and a pull of one owner never mix their writes). Default: the whole target's
   * ({@link #lockable()}). A target whose owners' resources never overlap (a Kubernetes cluster,
   * where an object's owner is a label) may return one lock per owner, so that the reconcilers of
   * different owners on one target do not take turns. A target that wraps another returns the
   * wrapped target's ({@link ForwardingTarget} does).
   *
   * @param owner the reconciler whose writes the lock guards
   * @return the lock, or empty when the target has none
   */
  default Optional<Lockable> lockable(String owner) {
    return lockable();
  }

  /**
   * The deploy history kept on the target, when it keeps one. Default: this target itself when it
   * implements {@link DeployHistory}, else empty. A target that wraps another returns the wrapped
   * target's ({@link ForwardingTarget} does).
   *
   * @return the history, or empty when the target keeps none
   */
  default Optional<DeployHistory> deployHistory() {
    return this instanceof DeployHistory history ? Optional.of(history) : Optional.empty();
  }
}
