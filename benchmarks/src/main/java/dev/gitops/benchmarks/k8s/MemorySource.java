package dev.gitops.benchmarks.k8s;

import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import dev.gitops.source.Source;

/** A source whose one revision the benchmark replaces between reconciles. */
final class MemorySource implements Source {
  private volatile Snapshot snapshot;

  MemorySource(Snapshot snapshot) {
    this.snapshot = snapshot;
  }

  void set(Snapshot next) {
    snapshot = next;
  }

  @Override
  public Revision latest() {
    return snapshot.revision();
  }

  @Override
  public Snapshot fetch(Revision revision) {
    return snapshot;
  }
}
