package dev.gitops.apply;

import dev.gitops.plan.Plan;
import dev.gitops.target.Target;
import java.util.Objects;

/**
 * Carries out a {@link Plan} against a {@link Target} and reports one {@link Outcome} per step, in
 * plan order ({@code noop} steps are reported {@code unchanged}).
 *
 * <ul>
 *   <li>Waves run in order; within a wave up to {@link ApplyOptions#parallelism()} steps run at once.
 *   <li>Stale-plan refusal: before a wave writes, the applier re-reads the wave's resources once
 *       ({@code target.read(Scope.of(owner, ids))}) and skips every step whose resource moved
 *       since the plan — fingerprint not {@link dev.gitops.plan.Action#expected()}, or owner changed —
 *       with a reason starting {@link ApplyReport#STALE} that names what moved. A target that
 *       {@link dev.gitops.target.Target#checksPreconditions() checks preconditions itself} is not
 *       re-read: its steps fail the same way, as stale, when the resource moved.
 *   <li>Retryable {@link dev.gitops.target.TargetException}s are retried with exponential backoff
 *       and jitter, waiting at least as long as the target asked
 *       ({@link dev.gitops.target.TargetException#retryAfter()}, an HTTP {@code Retry-After}); a
 *       target that asks for longer than {@link ApplyOptions.Retry#maxDelay()} fails the step at
 *       once, saying what it asked, so no wait is ever longer than that. Other failures fail the
 *       step at once. One failure never hides the others.
 *   <li>After a wave, the applier waits until the resources it created, updated or adopted are
 *       healthy ({@code HEALTHY} or {@code UNKNOWN}); a {@code DEGRADED} verdict or the timeout
 *       turns that step's outcome into a failure naming what it is still waiting for.
 *   <li>A wave with a failed or skipped step stops later waves (their steps are skipped,
 *       {@code an earlier wave failed}) unless {@link ApplyOptions#continueOnFailure()}.
 *   <li>Dry run writes nothing and reports every change skipped ({@code dry run}).
 * </ul>
 *
 * <p>Logs one line per wave at info and one per step at debug (SLF4J, logger
 * {@code dev.gitops.apply.Applier}); never contents. Stateless and thread-safe. Never throws for a
 * target failure: failures are outcomes. An interrupt stops the apply: steps in flight are
 * interrupted and waited for (a minute at most) so that their outcomes are reported and none
 * outlives the apply, steps not started are skipped ({@code interrupted}), steps written whose
 * health wait it cut fail (their health is unknown, so the report is never a success), and the
 * thread's interrupt flag is kept.
 *
 * <pre>{@code
 * ApplyReport report = new Applier().apply(plan, target, ApplyOptions.defaults());
 * if (!report.isSuccess()) System.err.println(report);
 * }</pre>
 */
public final class Applier {

  /** An applier. */
  public Applier() {
    // stateless
  }

  /**
   * Applies {@code plan} to {@code target} as {@code plan.owner()}.
   *
   * @param plan the plan to carry out, as made (or read back from JSON with its values)
   * @param target where to write; the same kind of target the plan was made against
   * @param options parallelism, retries, health wait, dry run and environment
   * @return one outcome per step of the plan, in plan order
   * @throws dev.gitops.GitOpsException when the plan is {@linkplain Plan#isRedacted() redacted} (read
   *     back from JSON without its secret values): nothing is written
   */
  public ApplyReport apply(Plan plan, Target target, ApplyOptions options) {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(options, "options");
    if (plan.isRedacted()) {
      throw new dev.gitops.GitOpsException("the plan (" + plan.summary() + ") was read back from JSON with its "
          + "secret values redacted, so it cannot be applied as it is: re-plan revision "
          + (plan.revision().isEmpty() ? "<unknown>" : plan.revision())
          + " from its source and compare fingerprints (PushDeployer.deploy(ref, approvedPlan) does both)");
    }
    try (ApplyRun run = new ApplyRun(plan, target, options)) {
      return run.run();
    }
  }
}
