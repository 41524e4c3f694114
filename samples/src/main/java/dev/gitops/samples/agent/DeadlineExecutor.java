package dev.gitops.samples.agent;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK server's executor: at most {@code threads} exchanges at once, each cut off at its deadline.
 *
 * <p>The JDK's {@code HttpServer} hands a connection to its executor as soon as its first byte
 * arrives; the task then reads the request line, the headers and (in the handler) the body with
 * blocking reads on the connection's {@code SocketChannel}, which is interruptible. So this executor
 * bounds a request's whole time, headers and body, by interrupting its thread at
 * {@code timeout} after the first byte: the read throws {@code ClosedByInterruptException}, the
 * channel is closed and the server drops the connection. A request that arrives while every thread
 * is busy is refused (the server closes its connection at once) rather than queued behind slow
 * clients. Thread-safe.
 */
final class DeadlineExecutor implements Executor, AutoCloseable {
  private final ThreadPoolExecutor pool;
  private final ScheduledThreadPoolExecutor deadlines;
  private final long timeoutNanos;

  /**
   * @param name the threads' name prefix
   * @param threads at most this many exchanges at once, 1 or more
   * @param timeout a request's whole time, from its first byte to its answer; positive
   */
  DeadlineExecutor(String name, int threads, Duration timeout) {
    if (threads < 1 || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("want 1 thread or more and a positive timeout, not " + threads + ", " + timeout);
    }
    AtomicInteger count = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(0, threads, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
      Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    this.deadlines = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, name + "-deadlines");
      thread.setDaemon(true);
      return thread;
    });
    this.deadlines.setRemoveOnCancelPolicy(true);
    this.timeoutNanos = timeout.toNanos();
  }

  /**
   * Runs {@code exchange} on a free thread; its deadline starts now.
   *
   * @throws java.util.concurrent.RejectedExecutionException when every thread is busy (the JDK
   *     server then closes the connection)
   */
  @Override
  public void execute(Runnable exchange) {
    long deadline = System.nanoTime() + timeoutNanos;
    pool.execute(() -> runUntil(exchange, deadline));
  }

  private void runUntil(Runnable exchange, long deadline) {
    Thread worker = Thread.currentThread();
    Object guard = new Object();
    boolean[] done = {false};
    ScheduledFuture<?> cut = deadlines.schedule(() -> {
      synchronized (guard) {
        if (!done[0]) {
          worker.interrupt();
        }
      }
    }, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    try {
      exchange.run();
    } finally {
      synchronized (guard) {
        done[0] = true;
      }
      cut.cancel(false);
      Thread.interrupted(); // a cut that came late must not reach the thread's next exchange
    }
  }

  /** Interrupts every exchange in progress; no new one starts. */
  @Override
  public void close() {
    pool.shutdownNow();
    deadlines.shutdownNow();
  }
}
