package dev.gitops.reconcile;

import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import dev.gitops.source.Source;
import java.util.concurrent.atomic.AtomicInteger;

/** A source that counts the calls it forwards, to tell a cheap skip from a full run. */
final class CountingSource implements Source {
  private final Source delegate;
  final AtomicInteger latest = new AtomicInteger();
  final AtomicInteger fetches = new AtomicInteger();
  final AtomicInteger contentKeys = new AtomicInteger();
  volatile RuntimeException failLatest;
  /** Thrown by the next fetch, then cleared. */
  volatile Error errorOnFetch;

  CountingSource(Source delegate) {
    this.delegate = delegate;
  }

  @Override
  public Revision latest() {
    latest.incrementAndGet();
    RuntimeException e = failLatest;
    if (e != null) {
      throw e;
    }
    return delegate.latest();
  }

  @Override
  public Revision resolve(String ref) {
    return delegate.resolve(ref);
  }

  @Override
  public Snapshot fetch(Revision revision) {
    fetches.incrementAndGet();
    Error e = errorOnFetch;
    if (e != null) {
      errorOnFetch = null;
      throw e;
    }
    return delegate.fetch(revision);
  }

  @Override
  public java.util.Optional<String> pollKey() {
    return delegate.pollKey();
  }

  @Override
  public String contentKey(Revision revision) {
    contentKeys.incrementAndGet();
    return delegate.contentKey(revision);
  }

  @Override
  public String describe() {
    return delegate.describe();
  }
}
