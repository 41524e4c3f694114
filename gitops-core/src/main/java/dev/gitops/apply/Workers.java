package dev.gitops.apply;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs tasks 0..n-1 with at most {@code parallelism} at once: inline when one at a time suffices,
 * else on an injected executor or one created on first use and shut down by {@link #close()}.
 * Not part of the public API.
 */
final class Workers implements AutoCloseable {
  /**
   * The longest an interrupted apply waits for its steps in flight to return: a step that honours
   * the interrupt returns at once; one that ignores it (a call without a timeout) is left running
   * after this, its outcome reported as interrupted.
   */
  static final Duration GRACE = Duration.ofMinutes(1);

  private final int parallelism;
  private final ExecutorService injected;
  private ExecutorService owned;

  Workers(int parallelism, ExecutorService injected) {
    this.parallelism = parallelism;
    this.injected = injected;
  }

  /**
   * Calls {@code task} for each index in {@code [0, n)}, at most {@code parallelism} at once, and
   * returns when all returned. A worker whose thread is interrupted takes no further index.
   *
   * @throws InterruptedException when interrupted while waiting: running tasks are interrupted and
   *     waited for (at most {@link #GRACE}), so that no step of an apply outlives it (its outcome is
   *     recorded, and the target's lock is not released while it writes); tasks not started never start
   */
  void run(int n, IntConsumer task) throws InterruptedException {
    int count = Math.min(parallelism, n);
    if (count <= 1) {
      for (int i = 0; i < n && !Thread.currentThread().isInterrupted(); i++) {
        task.accept(i);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    InFlight inFlight = new InFlight();
    Runnable worker = () -> {
      if (!inFlight.enter()) {
        return;
      }
      try {
        for (int i = next.getAndIncrement(); i < n && !Thread.currentThread().isInterrupted();
            i = next.getAndIncrement()) {
          task.accept(i);
        }
      } finally {
        inFlight.leave();
      }
    };
    ExecutorService executor = executor();
    List<Future<?>> futures = new ArrayList<>();
    for (int w = 0; w < count; w++) {
      futures.add(executor.submit(worker));
    }
    try {
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      inFlight.stop();
      futures.forEach(f -> f.cancel(true));
      inFlight.awaitNone(GRACE);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw (Error) cause;
    }
  }

  /** Workers running now, and whether more may start; guarded by its monitor. */
  private static final class InFlight {
    private int running;
    private boolean stopped;

    synchronized boolean enter() {
      if (stopped) {
        return false;
      }
      running++;
      return true;
    }

    synchronized void leave() {
      running--;
      notifyAll();
    }

    synchronized void stop() {
      stopped = true;
    }

    /** Waits, uninterruptibly, until no worker runs or {@code grace} has passed. */
    synchronized void awaitNone(Duration grace) {
      long deadline = System.nanoTime() + grace.toNanos();
      for (long left = grace.toNanos(); running > 0 && left > 0; left = deadline - System.nanoTime()) {
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException again) {
          // already stopping: keep waiting out the grace; the caller rethrows the interrupt
        }
      }
    }
  }

  private synchronized ExecutorService executor() {
    if (injected != null) {
      return injected;
    }
    if (owned == null) {
      AtomicInteger thread = new AtomicInteger();
      ThreadFactory factory = r -> {
        Thread t = new Thread(r, "gitops-apply-" + thread.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
      owned = Executors.newFixedThreadPool(parallelism, factory);
    }
    return owned;
  }

  @Override
  public synchronized void close() {
    if (owned != null) {
      owned.shutdownNow();
      owned = null;
    }
  }
}
