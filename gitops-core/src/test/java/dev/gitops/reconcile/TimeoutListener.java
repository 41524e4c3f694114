package dev.gitops.reconcile;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Records the timeouts it hears and the threads it hears them on; blocks, then throws, when asked. */
final class TimeoutListener implements ReconcileListener {
  final List<RunTimedOutException> timeouts = new CopyOnWriteArrayList<>();
  final List<Thread> threads = new CopyOnWriteArrayList<>();
  final CountDownLatch told = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);
  private final boolean blockThenThrow;

  TimeoutListener(boolean blockThenThrow) {
    this.blockThenThrow = blockThenThrow;
  }

  RunTimedOutException awaitTold() throws InterruptedException {
    assertTrue(told.await(30, TimeUnit.SECONDS), "the listener was never told of the timeout");
    return timeouts.get(0);
  }

  @Override
  public void failed(Exception error) {
    if (!(error instanceof RunTimedOutException timedOut)) {
      return;
    }
    timeouts.add(timedOut);
    threads.add(Thread.currentThread());
    told.countDown();
    if (blockThenThrow) {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("listener bug");
    }
  }
}
