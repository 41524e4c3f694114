package dev.gitops.micrometer;

import dev.gitops.model.ActualState;
import dev.gitops.model.DesiredState;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.ForwardingTarget;
import dev.gitops.target.Health;
import dev.gitops.target.Scope;
import dev.gitops.target.Target;
import java.util.function.Supplier;

/**
 * A target whose reads, writes and health checks are counted and timed by {@link GitOpsMetrics};
 * everything else (lock, history, plan defaults) is the wrapped target's.
 */
final class MeteredTarget extends ForwardingTarget {
  private final GitOpsMetrics metrics;

  MeteredTarget(Target delegate, GitOpsMetrics metrics) {
    super(delegate);
    this.metrics = metrics;
  }

  @Override
  public ActualState read(Scope scope, DesiredState desired) {
    return measured("read", () -> super.read(scope, desired));
  }

  @Override
  public String applyWithDetail(Action action, String owner) {
    return measured("apply", () -> super.applyWithDetail(action, owner));
  }

  @Override
  public Health health(ResourceId id) {
    return measured("health", () -> super.health(id));
  }

  private <T> T measured(String operation, Supplier<T> call) {
    return metrics.measured(GitOpsMetrics.TARGET_REQUESTS, GitOpsMetrics.TARGET_REQUEST_DURATION,
        "operation", operation, call);
  }
}
