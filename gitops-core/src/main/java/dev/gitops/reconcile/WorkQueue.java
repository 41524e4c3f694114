package dev.gitops.reconcile;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A first-in first-out queue of work run by at most {@code workers} tasks of an {@link Executor} at
 * once: a bounded worker pool over any executor. Fair as long as each client keeps at most one task
 * queued (a {@link Fleet} queues a reconciler once however often it is woken), so nothing queued
 * waits behind more than one turn of everyone else. Thread-safe.
 */
final class WorkQueue {
  private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);

  private final Executor executor;
  private final int workers;
  private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
  /** True on a thread while it runs this queue's tasks. */
  private final ThreadLocal<Boolean> draining = ThreadLocal.withInitial(() -> false);
  private int active;

  WorkQueue(Executor executor, int workers) {
    this.executor = executor;
    this.workers = workers;
  }

  /** Queues {@code task}; starts a worker when fewer than {@code workers} run. */
  void submit(Runnable task) {
    synchronized (this) {
      ready.add(task);
      if (active >= workers) {
        return;
      }
      active++;
    }
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        active--;
      }
      LOG.warn("fleet: the executor refused a worker; {} tasks wait", queued(), e);
    }
  }

  /** {@return how many tasks wait for a worker} */
  synchronized int queued() {
    return ready.size();
  }

  /** {@return how many workers run now} */
  synchronized int active() {
    return active;
  }

  /** {@return true when called from one of this queue's tasks (a run, a poll, a listener of theirs)} */
  boolean onWorker() {
    return draining.get();
  }

  private void drain() {
    boolean nested = draining.get(); // a caller's executor may run a worker inline, inside a task
    draining.set(true);
    try {
      drainAll();
    } finally {
      if (!nested) {
        draining.remove();
      }
    }
  }

  private void drainAll() {
    while (true) {
      Runnable task;
      synchronized (this) {
        task = ready.poll();
        if (task == null) {
          active--;
          return;
        }
      }
      try {
        task.run();
      } catch (Throwable e) { // a task reports its own failures; this keeps the worker alive regardless
        LOG.error("fleet: a task threw", e);
      }
    }
  }
}
