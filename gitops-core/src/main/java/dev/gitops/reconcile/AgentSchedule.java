package dev.gitops.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a {@link PullAgent} runs next: at most one run scheduled at a time, on the caller's scheduler
 * or on a private daemon thread (shut down with the agent). Not thread-safe: the agent calls it
 * holding its monitor.
 */
final class AgentSchedule {
  private static final Logger LOG = LoggerFactory.getLogger(PullAgent.class);

  private final String name;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final Clock clock;
  private ScheduledFuture<?> next;
  private Instant nextRun;

  /**
   * @param name the reconciler's name, for the thread and logs
   * @param scheduler the caller's scheduler, or null for a private one
   */
  AgentSchedule(String name, ScheduledExecutorService scheduler, Clock clock) {
    this.name = name;
    this.ownsScheduler = scheduler == null;
    this.scheduler = ownsScheduler ? Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gitops-agent-" + name);
      t.setDaemon(true);
      return t;
    }) : scheduler;
    this.clock = clock;
  }

  /** Schedules {@code run} after {@code delay}, replacing any scheduled run. */
  void schedule(Duration delay, Runnable run) {
    cancel();
    try {
      next = scheduler.schedule(run, delay.toNanos(), TimeUnit.NANOSECONDS);
      nextRun = clock.instant().plus(delay);
    } catch (RejectedExecutionException e) {
      LOG.warn("agent {}: scheduler refused the next run; the agent is idle", name, e);
    }
  }

  /** The run that is starting is no longer "next". */
  void started() {
    next = null;
    nextRun = null;
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

  /** Shuts the private scheduler down; a caller's scheduler is left alone. */
  void shutdown() {
    if (ownsScheduler) {
      scheduler.shutdown();
    }
  }
}
