package dev.gitops.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a {@link PullAgent} runs next, and on which threads: at most one run scheduled at a time. On
 * the caller's scheduler, runs, run deadlines and the listener's news of a timed-out run are its
 * tasks. Without one, a private daemon timer thread times runs and deadlines and runs no user code,
 * and runs take daemon threads of a private pool, so that a run stuck past its deadline, in code that
 * ignores interrupts, never keeps the timer from timing (both shut down with the agent). Not
 * thread-safe: the agent calls it holding its monitor.
 */
final class AgentSchedule {
  private static final Logger LOG = LoggerFactory.getLogger(PullAgent.class);

  private final String name;
  private final ScheduledExecutorService timer;
  /** Runs the runs; null on the caller's scheduler. */
  private final ExecutorService workers;
  private final Clock clock;
  private ScheduledFuture<?> next;
  private Instant nextRun;

  /**
   * @param name the reconciler's name, for the threads and logs
   * @param scheduler the caller's scheduler, or null for private threads
   */
  AgentSchedule(String name, ScheduledExecutorService scheduler, Clock clock) {
    this.name = name;
    this.timer = scheduler == null ? FleetTimers.timer("gitops-agent-" + name + "-timer") : scheduler;
    this.workers = scheduler == null ? Executors.newCachedThreadPool(FleetTimers.daemons("gitops-agent-" + name))
        : null;
    this.clock = clock;
  }

  /** Schedules {@code run} after {@code delay}, replacing any scheduled run. */
  void schedule(Duration delay, Runnable run) {
    cancel();
    try {
      next = timer.schedule(workers == null ? run : () -> execute(run), delay.toNanos(), TimeUnit.NANOSECONDS);
      nextRun = clock.instant().plus(delay);
    } catch (RejectedExecutionException e) {
      LOG.warn("agent {}: scheduler refused the next run; the agent is idle", LogText.NONE.escape(name), e);
    }
  }

  /** Runs {@code task} after {@code delay} on the timer (a run's deadline); null when refused. */
  ScheduledFuture<?> after(Duration delay, Runnable task) {
    try {
      return timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      LOG.warn("agent {}: the scheduler refused a run's deadline; that run has none", LogText.NONE.escape(name), e);
      return null;
    }
  }

  /** Runs {@code task} at once where runs run: a private thread, or a task of the caller's scheduler. */
  void execute(Runnable task) {
    try {
      (workers == null ? timer : workers).execute(task);
    } catch (RejectedExecutionException e) {
      LOG.warn("agent {}: the scheduler refused a task; the agent is stopping", LogText.NONE.escape(name), e);
    }
  }

  /** The run that is starting is no longer "next". */
  void started() {
    next = null;
    nextRun = null;
  }

  /** {@return true while a run is scheduled and has not started} */
  boolean pending() {
    return next != null && !next.isDone();
  }

  /** Cancels the scheduled run, if any. */
  void cancel() {
    if (next != null) {
      next.cancel(false);
      next = null;
    }
    nextRun = null;
  }

  /** {@return when the next run is scheduled, null when none is} */
  Instant nextRun() {
    return nextRun;
  }

  /**
   * Shuts the private threads down (the timer still runs the deadline of a run in progress, then
   * ends); a caller's scheduler is left alone.
   */
  void shutdown() {
    if (workers != null) {
      timer.shutdown();
      workers.shutdown();
    }
  }
}
