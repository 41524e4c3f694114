package dev.gitops.reconcile;

import dev.gitops.internal.LoggedThrowable;
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
 *
 * <p>A worker whose task overran its deadline can be {@linkplain #abandon abandoned}: it no longer
 * counts against {@code workers} (another starts in its place when work waits) and, once its task
 * returns, it takes no further task. At most {@code maxAbandoned} abandoned workers are alive at
 * once; past that, a worker keeps its place until its task returns.
 */
final class WorkQueue {
  private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);

  /** One worker: a loop of tasks on one thread. Its field is guarded by the queue's monitor. */
  static final class Slot {
    private boolean abandoned;
  }

  private final Executor executor;
  private final int workers;
  private final int maxAbandoned;
  private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
  /** The worker running on a thread, while it runs this queue's tasks. */
  private final ThreadLocal<Slot> current = new ThreadLocal<>();
  private int active;
  private int abandoned;

  WorkQueue(Executor executor, int workers, int maxAbandoned) {
    this.executor = executor;
    this.workers = workers;
    this.maxAbandoned = maxAbandoned;
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
    startWorker();
  }

  /**
   * Gives up on the worker {@code slot}, whose task overran its deadline and may never return: it
   * stops counting against {@code workers}, and a new worker starts when tasks wait.
   *
   * @return false when {@code maxAbandoned} workers are abandoned already (this one keeps its place
   *     until its task returns), or when it was abandoned before
   */
  boolean abandon(Slot slot) {
    synchronized (this) {
      if (slot.abandoned || abandoned >= maxAbandoned) {
        return false;
      }
      slot.abandoned = true;
      abandoned++;
      active--;
      notifyAll();
      if (ready.isEmpty()) {
        return true;
      }
      active++;
    }
    startWorker();
    return true;
  }

  /** {@return how many tasks wait for a worker} */
  synchronized int queued() {
    return ready.size();
  }

  /** {@return how many workers run now, abandoned ones not counted} */
  synchronized int active() {
    return active;
  }

  /**
   * Waits until no worker runs, abandoned ones not counted.
   *
   * @return false when {@code nanos} passed first
   */
  synchronized boolean awaitIdle(long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    while (active > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** {@return how many abandoned workers' tasks have not returned yet} */
  synchronized int abandoned() {
    return abandoned;
  }

  /** {@return true when called from one of this queue's tasks (a run, a poll, a listener of theirs)} */
  boolean onWorker() {
    return current.get() != null;
  }

  /** {@return the worker running the calling thread's task, null when not called from a task} */
  Slot slot() {
    return current.get();
  }

  private void startWorker() {
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        active--;
        notifyAll();
      }
      LOG.warn("fleet: the executor refused a worker; {} tasks wait", queued(), e);
    }
  }

  private void drain() {
    Slot outer = current.get(); // a caller's executor may run a worker inline, inside a task
    Slot slot = new Slot();
    current.set(slot);
    try {
      drainAll(slot);
    } finally {
      if (outer == null) {
        current.remove();
      } else {
        current.set(outer);
      }
    }
  }

  private void drainAll(Slot slot) {
    while (true) {
      Runnable task;
      synchronized (this) {
        if (slot.abandoned) { // its task returned at last; another worker took its place long ago
          abandoned--;
          return;
        }
        task = ready.poll();
        if (task == null) {
          active--;
          notifyAll();
          return;
        }
      }
      try {
        task.run();
      } catch (Throwable e) { // a task reports its own failures; this keeps the worker alive regardless
        LOG.error("fleet: a task threw", LoggedThrowable.of(e)); // its messages may quote names
      }
    }
  }
}
