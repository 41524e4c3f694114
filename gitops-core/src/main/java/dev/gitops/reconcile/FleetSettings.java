package dev.gitops.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;

/**
 * A {@link Fleet}'s options, as its builder left them.
 *
 * @param workers runs and polls at once
 * @param interval time between polls of a repository, and between a reconciler's checks
 * @param jitter spread of every delay
 * @param driftInterval time between plans of an unchanged reconciler
 * @param selfHeal repair drift (true) or report it only
 * @param backoffBase first delay after a failure
 * @param backoffCap longest delay after failures
 * @param clock the clock of every reconciler, null for each reconciler's own
 * @param random seeds each reconciler's and repository's jitter
 * @param owns which reconcilers this replica runs
 * @param executor runs the workers, null for a private pool
 * @param scheduler times the runs, null for a private timer thread
 * @param lockTargets runs hold their target's lock
 * @param runTimeout the longest a run may take before it is interrupted and its worker given up on
 */
record FleetSettings(int workers, Duration interval, double jitter, Duration driftInterval, boolean selfHeal,
                     Duration backoffBase, Duration backoffCap, Clock clock, Random random,
                     Predicate<String> owns, Executor executor, ScheduledExecutorService scheduler,
                     boolean lockTargets, Duration runTimeout) {

  /** A new timing policy with its own random, seeded from {@link #random}. */
  Delays delays() {
    long seed;
    synchronized (random) {
      seed = random.nextLong();
    }
    return new Delays(interval, jitter, backoffBase, backoffCap, new Random(seed));
  }

  /** The clock that times {@code reconciler}'s drift checks and next runs. */
  Clock clock(Reconciler reconciler) {
    return clock != null ? clock : reconciler.clock();
  }

  /** True when this replica runs the reconciler {@code name}. */
  boolean owns(String name) {
    return owns.test(name);
  }
}
