package dev.gitops.source;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A daemon thread that puts a stand-in (a FIFO, a link out of the root) at a path and back, by atomic
 * renames, again and again until closed: what a test races a read against. Closing stops it after a whole
 * swap, so everything is back in its place, and fails the test when the swaps stopped on an error (a test
 * whose swaps stopped early would prove nothing). Not thread-safe.
 */
final class PathSwapper implements AutoCloseable {
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicInteger swaps = new AtomicInteger();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final Thread thread;

  private PathSwapper(Path path, Path standIn, Path aside) {
    thread = new Thread(() -> {
      try {
        while (!stop.get()) {
          Files.move(path, aside, ATOMIC_MOVE);
          Files.move(standIn, path, ATOMIC_MOVE);
          Files.move(path, standIn, ATOMIC_MOVE);
          Files.move(aside, path, ATOMIC_MOVE);
          swaps.incrementAndGet();
        }
      } catch (IOException | RuntimeException e) {
        failure.set(e);
      }
    }, "swapper");
    thread.setDaemon(true);
  }

  /**
   * Starts swapping {@code standIn} in at {@code path}: {@code path} is renamed to {@code aside},
   * {@code standIn} to {@code path}, then both back.
   */
  static PathSwapper start(Path path, Path standIn, Path aside) {
    PathSwapper swapper = new PathSwapper(path, standIn, aside);
    swapper.thread.start();
    return swapper;
  }

  /** How many whole swaps (in and back) were made so far. */
  int swaps() {
    return swaps.get();
  }

  /** Stops the swaps and waits (10 s at most) for the last to end. */
  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    thread.join(10_000);
    if (failure.get() != null) {
      throw new AssertionError("the swaps stopped on an error after " + swaps() + ": " + failure.get(), failure.get());
    }
  }
}
