package dev.gitops.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs tasks 0..n-1 with at most {@code parallelism} at once: inline when one at a time suffices,
 * else on an injected executor or one created on first use and shut down by {@link #close()}.
 * Not part of the public API.
 */
final class Workers implements AutoCloseable {
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
   * @throws InterruptedException when interrupted while waiting; running tasks are interrupted
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
    Runnable worker = () -> {
      for (int i = next.getAndIncrement(); i < n && !Thread.currentThread().isInterrupted();
          i = next.getAndIncrement()) {
        task.accept(i);
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
      futures.forEach(f -> f.cancel(true));
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw (Error) cause;
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
