package dev.gitops.reconcile;

import dev.gitops.apply.Outcome;
import dev.gitops.model.Revision;
import dev.gitops.plan.Plan;

/**
 * Events of a {@link Reconciler} and of the {@link PullAgent} or {@link PushDeployer} driving it.
 * Every method has a no-op default, so a listener implements only what it needs.
 *
 * <p>Methods are called on the thread doing the work, never concurrently for one reconciler (a
 * reconcile is one sequence), except {@link #applied} which the applier may call from the threads
 * applying one wave, and {@link #failed} with a {@link RunTimedOutException}, which a pull agent or
 * fleet calls from another of its threads while the run that passed its deadline may still be stuck
 * inside the reconciler. Whatever a listener throws, an {@link Error} too, is logged once at WARN with
 * the reconciler's name and ignored: it never stops a reconcile (an {@link OutOfMemoryError} stops a
 * pull agent, as one of its own does). A listener that blocks holds up its reconcile: for a
 * {@link PullAgent} that agent, for a {@link Fleet} one of its workers.
 */
public interface ReconcileListener {

  /** A listener that ignores every event. */
  ReconcileListener NONE = new ReconcileListener() { };

  /**
   * A revision was resolved and is about to be fetched.
   *
   * @param revision the resolved revision
   */
  default void revisionSeen(Revision revision) { }

  /**
   * A plan was made (before anything is written).
   *
   * @param plan the plan, a value
   */
  default void planned(Plan plan) { }

  /**
   * One step of a plan finished: applied, unchanged, failed or skipped.
   *
   * @param outcome the step's outcome
   */
  default void applied(Outcome outcome) { }

  /**
   * A pull agent found the target drifted from an unchanged revision.
   *
   * @param drift what drifted
   */
  default void driftFound(Drift drift) { }

  /**
   * A reconcile failed with an exception (source, loader, target, planner or lock), or a pull run
   * passed its deadline ({@link RunTimedOutException}, once per such run).
   *
   * @param error the failure
   */
  default void failed(Exception error) { }

  /**
   * A reconcile finished applying; the result says whether every step succeeded.
   *
   * @param result the reconcile's result
   */
  default void reconciled(ReconcileResult result) { }
}
