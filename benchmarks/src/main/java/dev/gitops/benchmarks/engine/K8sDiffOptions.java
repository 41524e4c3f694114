package dev.gitops.benchmarks.engine;

import dev.gitops.k8s.KubernetesDiff;
import dev.gitops.plan.PlanOptions;

/** The plan options the benchmarks plan with: a Kubernetes reconciler's. Stateless. */
final class K8sDiffOptions {
  private K8sDiffOptions() {
  }

  /** Plan options for owner {@code gitops} with the Kubernetes diff preset {@link KubernetesDiff#options()}. */
  static PlanOptions planOptions() {
    return PlanOptions.defaults().withOwner("gitops").withDiff(KubernetesDiff.options());
  }
}
