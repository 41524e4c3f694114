package dev.gitops.micrometer;

import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import dev.gitops.source.Source;
import java.util.function.Supplier;

/** A source whose requests are counted and timed by {@link GitOpsMetrics}. */
final class MeteredSource implements Source {
  private final Source delegate;
  private final GitOpsMetrics metrics;

  MeteredSource(Source delegate, GitOpsMetrics metrics) {
    this.delegate = delegate;
    this.metrics = metrics;
  }

  @Override
  public Revision latest() {
    return measured("latest", delegate::latest);
  }

  @Override
  public Revision resolve(String ref) {
    return measured("resolve", () -> delegate.resolve(ref));
  }

  @Override
  public Snapshot fetch(Revision revision) {
    return measured("fetch", () -> delegate.fetch(revision));
  }

  @Override
  public String describe() {
    return delegate.describe();
  }

  private <T> T measured(String type, Supplier<T> call) {
    return metrics.measured(GitOpsMetrics.GIT_REQUESTS, GitOpsMetrics.GIT_REQUEST_DURATION,
        "request_type", type, call);
  }

  /** The wrapped source's. */
  @Override
  public String toString() {
    return delegate.toString();
  }
}
