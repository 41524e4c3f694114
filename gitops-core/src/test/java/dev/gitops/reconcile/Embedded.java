package dev.gitops.reconcile;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.source.DirectorySource;
import dev.gitops.target.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * What the embedding tests need on real threads: apps as folders of ConfigMap files read through a
 * {@link DirectorySource}, reconcilers over them, bounded waits and a census of live threads.
 */
final class Embedded {
  private static final Duration BOUND = Duration.ofSeconds(30);

  private Embedded() { }

  /** Folder {@code dir/app} holding {@code count} ConfigMaps {@code app-0..}, colored {@code color}. */
  static Path app(Path dir, String app, int count, String color) {
    try {
      Path folder = Files.createDirectories(dir.resolve(app));
      for (int i = 0; i < count; i++) {
        String name = app + "-" + i;
        Files.writeString(folder.resolve(name + ".json"), Rig.configMap(name, color));
      }
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A reconciler named {@code app} over folder {@code dir/app}, applying up to 4 steps at once, no retries. */
  static Reconciler.Builder reconciler(Path dir, String app, Target target) {
    return Reconciler.builder().name(app).source(DirectorySource.of(dir.resolve(app))).loader(new JsonLoader())
        .target(target).applyOptions(oneStepAtATime().withParallelism(4));
  }

  /** One step at a time, no retries, no health wait. */
  static ApplyOptions oneStepAtATime() {
    return ApplyOptions.defaults().withParallelism(1).withRetry(1, Duration.ZERO, Duration.ZERO)
        .withHealthWait(Duration.ZERO, Duration.ZERO);
  }

  /** Waits (bounded: a broken library fails the test instead of hanging it) until {@code done}. */
  static void await(String what, BooleanSupplier done) {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + BOUND + ": " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  /** {@return every live thread now} */
  static Set<Thread> threads() {
    return new HashSet<>(Thread.getAllStackTraces().keySet());
  }

  /** {@return the live threads started since {@code before}} */
  static List<Thread> startedSince(Set<Thread> before) {
    return threads().stream().filter(t -> !before.contains(t) && t.isAlive()).toList();
  }

  /** Waits (bounded) until every thread started since {@code before} ended, else fails naming them. */
  static void awaitNoThreadSince(Set<Thread> before) {
    long deadline = System.nanoTime() + BOUND.toNanos();
    for (Thread t : startedSince(before)) {
      try {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    List<String> left = startedSince(before).stream().map(Thread::getName).sorted().toList();
    if (!left.isEmpty()) {
      throw new AssertionError("threads left running after close: " + left);
    }
  }
}
