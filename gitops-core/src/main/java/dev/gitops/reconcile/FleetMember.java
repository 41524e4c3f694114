package dev.gitops.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One reconciler of a {@link Fleet}: its run (the pull agent's, fed by its repository's shared
 * poll), its state, and where it stands in the fleet's schedule. The scheduling fields are guarded
 * by the fleet's monitor, as are its run's deadline's; {@link #state} by this object's monitor, as
 * {@link PullRun} guards it.
 */
final class FleetMember extends RunDeadlines.Watch {
  final Reconciler reconciler;
  final PollGroup group;
  final AgentState state;
  final AtomicBoolean cancel = new AtomicBoolean();
  final CountDownLatch terminated = new CountDownLatch(1);
  final PullRun run;
  /** Queued for a worker. */
  boolean queued;
  /** A worker runs it now. */
  boolean running;
  /** Woken while running: queue it again as soon as the run ends. */
  boolean again;
  /** The next run plans whatever the revision (triggered). */
  boolean forced;
  /** Removed from the fleet, or the fleet stopped: nothing more is scheduled. */
  boolean removed;
  /**
   * A removed member of the same name whose run has not ended: this one is not queued until it
   * ends (then woken), so one name never has two runs at once; null when none.
   */
  FleetMember after;
  /** The content key of the revision the last poll saw for it, null before the first. */
  String seenKey;
  ScheduledFuture<?> timer;
  Instant nextRun;
  /** The worker of the run in progress, given up on when the run passes its deadline; null between runs. */
  WorkQueue.Slot slot;

  private final Clock clock;
  private final Duration driftInterval;
  private final Delays delays;

  FleetMember(Reconciler reconciler, PollGroup group, Clock clock, Duration driftInterval, boolean selfHeal,
              Delays delays, boolean lockTarget, java.util.concurrent.ExecutorService applyPool) {
    super(reconciler.name(), clock);
    this.state = new AgentState(clock);
    this.clock = clock;
    this.driftInterval = driftInterval;
    this.delays = delays;
    this.reconciler = reconciler;
    this.group = group;
    this.run = new PullRun(this, reconciler, state, cancel, clock, driftInterval, selfHeal, delays,
        group::latestOrFail, reconciler.source()::contentKey, lockTarget).applyingOn(applyPool);
  }

  @Override
  PullRun run() {
    return run;
  }

  /** Cancels the scheduled run, if any; holds the fleet's monitor. */
  void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    nextRun = null;
  }

  /** The status now; {@code nextRun} read under the fleet's monitor by the caller. */
  AgentStatus status(Instant next, boolean stopped) {
    synchronized (this) {
      return state.snapshot(name(), next, false, stopped);
    }
  }

  /**
   * The delay before this member's next run, given the one its run asked for: a member that is in
   * sync waits for its next drift check (a change in Git wakes it sooner), one that failed or waits
   * keeps its run's delay (the backoff).
   */
  Duration next(Duration asked) {
    Duration due;
    synchronized (this) {
      due = state.untilDriftCheck(clock.instant(), driftInterval);
      return due == null ? asked : delays.notBefore(due, driftInterval);
    }
  }

  /** {@return when the member would run after {@code delay} from now} */
  java.time.Instant at(Duration delay) {
    return clock.instant().plus(delay);
  }

  /** Reports that this member waits for the run of a removed member of the same name to end. */
  void waitForPredecessor() {
    synchronized (this) {
      state.waiting("PreviousRunInProgress",
          "a removed reconciler of the same name is still running; this one runs once that run ends");
    }
  }

  /** Reports that this member's next run waits for its run that passed its deadline to return. */
  void waitForExpiredRun() {
    run.waitingForLateRun(expiredWhen());
  }

  /** True when its last run failed. */
  boolean failing() {
    synchronized (this) {
      return state.failures > 0;
    }
  }
}
