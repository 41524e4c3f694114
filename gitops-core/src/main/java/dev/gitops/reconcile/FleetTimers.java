package dev.gitops.reconcile;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Fleet}'s threads: one timer thread that only queues work, and the workers' executor,
 * each the caller's or private (daemon threads, shut down with the fleet). Thread-safe.
 */
final class FleetTimers {
  private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);

  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final Executor executor;
  private final ExecutorService ownExecutor;
  /**
   * Runs the wave steps of reconcilers whose apply options bring no executor: threads reused from
   * run to run (else every apply starts and stops its own); each apply still runs at most its
   * parallelism at once.
   */
  private final ExecutorService applyPool;

  FleetTimers(FleetSettings settings) {
    this.ownsScheduler = settings.scheduler() == null;
    this.scheduler = ownsScheduler ? Executors.newSingleThreadScheduledExecutor(daemons("gitops-fleet-timer"))
        : settings.scheduler();
    this.ownExecutor = settings.executor() == null
        ? Executors.newFixedThreadPool(settings.workers(), daemons("gitops-fleet-worker")) : null;
    this.executor = ownExecutor != null ? ownExecutor : settings.executor();
    this.applyPool = Executors.newCachedThreadPool(daemons("gitops-fleet-apply"));
  }

  /** Where the wave steps of reconcilers without an executor of their own run. */
  ExecutorService applyPool() {
    return applyPool;
  }

  /** Where the workers run. */
  Executor executor() {
    return executor;
  }

  /** Runs {@code task} after {@code delay} on the timer; null when the timer was shut down. */
  ScheduledFuture<?> after(Duration delay, Runnable task) {
    try {
      return scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      LOG.warn("fleet: the scheduler refused a timer; that reconciler or repository is idle", e);
      return null;
    }
  }

  /** Shuts the private threads down; the caller's are left alone. */
  void shutdown() {
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
    if (ownExecutor != null) {
      ownExecutor.shutdown();
    }
  }

  /**
   * Once every run has ended: shuts the apply pool down, and waits for the private workers to end
   * (true at once when the executor is the caller's).
   */
  boolean awaitTermination(long nanos) throws InterruptedException {
    applyPool.shutdown(); // no run is left to submit a step (FleetScheduler waited for them)
    return ownExecutor == null || ownExecutor.awaitTermination(nanos, TimeUnit.NANOSECONDS);
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
