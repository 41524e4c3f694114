package dev.gitops.source;

import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A ref resolved and its revision's files read on a thread of their own, ahead of the caller asking
 * ({@link GitSource#prepare}), and handed over once: to the next resolve of the same ref, then to the
 * fetch of the revision it found. A caller that asks for anything else, or whose wait fails or outlasts
 * the bound, does the work itself as if nothing had been prepared (and reports its own error): what
 * went wrong ahead is never reported. Thread-safe.
 */
final class SourceAhead {
  private record Ahead(String ref, CompletableFuture<Revision> revision, CompletableFuture<Snapshot> snapshot) {}

  private final AtomicReference<Ahead> prepared = new AtomicReference<>();
  private final AtomicReference<Ahead> resolved = new AtomicReference<>();
  private final Duration bound;

  /** Waits at most {@code bound} for what was prepared (the reader's own calls are bounded too). */
  SourceAhead(Duration bound) {
    this.bound = bound;
  }

  /** Starts resolving {@code ref} and reading its revision with {@code reader} on a daemon thread named {@code name}, once. */
  void start(String ref, GitReader reader, String name) {
    Ahead ahead = new Ahead(ref, new CompletableFuture<>(), new CompletableFuture<>());
    if (!prepared.compareAndSet(null, ahead)) {
      return;
    }
    Thread thread = new Thread(() -> {
      try {
        Revision revision = reader.resolve(ref);
        ahead.revision.complete(revision);
        ahead.snapshot.complete(reader.fetch(revision));
      } catch (RuntimeException | Error e) { // left for the caller's own call to report
        ahead.revision.completeExceptionally(e);
        ahead.snapshot.completeExceptionally(e);
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** The revision prepared for {@code ref}, when there is one that succeeded; else null. Takes it. */
  Revision revision(String ref) {
    Ahead ahead = prepared.getAndSet(null);
    if (ahead == null || !ahead.ref.equals(ref)) {
      return null;
    }
    Revision revision = awaited(ahead.revision);
    if (revision != null) {
      resolved.set(ahead);
    }
    return revision;
  }

  /** The files prepared for {@code revision}, when it is the one the last {@link #revision} gave; else null. Takes them. */
  Snapshot snapshot(Revision revision) {
    Ahead ahead = resolved.getAndSet(null);
    if (ahead == null || !revision.equals(ahead.revision.getNow(null))) {
      return null;
    }
    return awaited(ahead.snapshot);
  }

  /** Waits for the work still going on ahead, if any, and drops it: before the cache is closed under it. */
  void drain() {
    Ahead ahead = prepared.getAndSet(null);
    if (ahead == null) {
      ahead = resolved.getAndSet(null);
    }
    if (ahead != null) {
      awaited(ahead.snapshot);
    }
  }

  private <T> T awaited(CompletableFuture<T> future) {
    try {
      return future.get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | TimeoutException e) {
      return null;
    }
  }
}
