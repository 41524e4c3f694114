package dev.gitops.reconcile;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
    this.scheduler = ownsScheduler ? timer("gitops-fleet-timer") : settings.scheduler();
    // as many threads as the work queue starts: its workers, and those it gave up on past a deadline
    this.ownExecutor = settings.executor() == null
        ? Executors.newCachedThreadPool(daemons("gitops-fleet-worker")) : null;
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

  /**
   * Shuts the private threads down; the caller's are left alone. The private timer still runs the
   * timers not cancelled (the deadlines of runs in progress), then ends.
   */
  void shutdown() {
    if (ownsScheduler) {
      scheduler.shutdown();
    }
    if (ownExecutor != null) {
      ownExecutor.shutdown();
    }
  }

  /**
   * Once every run has ended or passed its deadline: shuts the apply pool down, and waits for the
   * private workers to end (true at once when the executor is the caller's): those of {@code queue},
   * and, unless a thread was given up on past its deadline (it may never end), every private thread.
   */
  boolean awaitTermination(WorkQueue queue, long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    applyPool.shutdown(); // no live run is left to submit a step (FleetScheduler waited for them)
    if (ownExecutor == null) {
      return true;
    }
    return queue.awaitIdle(nanos) && (queue.abandoned() > 0
        || ownExecutor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
  }

  /**
   * A daemon timer thread that drops cancelled timers at once, so that it ends soon after shutdown
   * (the timers not cancelled, run deadlines, still run after it); also a {@link PullAgent}'s.
   */
  static ScheduledExecutorService timer(String name) {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemons(name));
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  /** Daemon threads named {@code prefix-1}, {@code prefix-2}...; also a {@link PullAgent}'s. */
  static ThreadFactory daemons(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
