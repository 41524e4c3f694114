package dev.gitops.source;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The whole-call bound of a {@link Remote}. JGit's timeout bounds each read: a peer that sends a
 * byte now and then (a trickle) keeps an ls-remote or a fetch alive for ever. While a call runs, the
 * connections it opens are registered here ({@link #track}); when the call outlives its limit they
 * are closed from a timer thread, so the read blocked on them fails at once, and {@link #stop}
 * tells the caller the call expired. One call at a time (a {@link Remote} serialises its calls);
 * thread-safe. Not part of the public API.
 */
final class CallDeadline {
  private final Duration limit;
  /** What the running call opened; guarded by this. */
  private final List<Closeable> open = new ArrayList<>();
  /** The running call's timer, null between calls; guarded by this. */
  private CompletableFuture<Void> timer;
  /** True once the running call's limit passed; guarded by this. */
  private boolean expired;

  /**
   * @param limit the longest one call may take; positive
   */
  CallDeadline(Duration limit) {
    this.limit = limit;
  }

  /** The longest one call may take. */
  Duration limit() {
    return limit;
  }

  /** Starts the clock of one call. */
  synchronized void start() {
    expired = false;
    open.clear();
    CompletableFuture<Void> started = new CompletableFuture<>();
    timer = started;
    // orTimeout's task is removed from the JDK's shared timer once the call completes the future
    started.orTimeout(limit.toNanos(), TimeUnit.NANOSECONDS).whenComplete((v, e) -> {
      if (e != null) {
        expire(started);
      }
    });
  }

  /**
   * Registers a connection of the running call, to be closed when the call expires; one registered
   * after that is closed at once. Outside a call it is ignored.
   */
  void track(Closeable connection) {
    boolean late;
    synchronized (this) {
      late = expired;
      if (!late && timer != null) {
        open.add(connection);
      }
    }
    if (late) {
      closeQuietly(connection);
    }
  }

  /** True when the running (or last) call's limit passed. */
  synchronized boolean expired() {
    return expired;
  }

  /**
   * Ends the clock of the running call.
   *
   * @return true when the call expired: its connections were (or are being) closed
   */
  synchronized boolean stop() {
    if (timer != null) {
      timer.complete(null);
      timer = null;
    }
    open.clear();
    return expired;
  }

  private void expire(CompletableFuture<Void> of) {
    List<Closeable> toClose;
    synchronized (this) {
      if (timer != of) {
        return; // that call ended first
      }
      expired = true;
      toClose = List.copyOf(open);
    }
    // never on the JDK's timer thread: closing a TLS connection may write
    CompletableFuture.runAsync(() -> toClose.forEach(CallDeadline::closeQuietly));
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException | RuntimeException e) {
      // the call fails anyway, as timed out
    }
  }
}
