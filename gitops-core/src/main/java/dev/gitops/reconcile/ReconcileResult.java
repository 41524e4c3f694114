package dev.gitops.reconcile;

import dev.gitops.apply.ApplyReport;
import dev.gitops.model.Revision;
import dev.gitops.plan.Plan;
import java.time.Duration;
import java.util.Objects;

/**
 * What one reconcile did: the revision, the plan made for it, the report of applying it and how long
 * each phase took.
 *
 * @param revision the revision reconciled
 * @param plan the plan applied
 * @param report one outcome per step
 * @param timings how long each phase took
 */
public record ReconcileResult(Revision revision, Plan plan, ApplyReport report, Timings timings) {
  /**
   * Validates.
   *
   * @param revision the revision reconciled; not null
   * @param plan the plan applied; not null
   * @param report one outcome per step; not null
   * @param timings how long each phase took; not null
   */
  public ReconcileResult {
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(timings, "timings");
  }

  /** {@return true when every step succeeded, as {@link ApplyReport#isSuccess()} says} */
  public boolean isSuccess() {
    return report.isSuccess();
  }

  /** {@code 3f2c1e0a9b8c (main): Plan: ... Applied: ...}; never contents. */
  @Override
  public String toString() {
    return revision + ": " + plan.summary() + " " + report.summary();
  }

  /**
   * How long each phase of a reconcile took, measured with the reconciler's clock.
   *
   * @param fetch reading the revision's files from the source
   * @param load turning them into a validated desired state
   * @param read reading the target
   * @param plan planning
   * @param apply applying ({@link Duration#ZERO} for a preview)
   */
  public record Timings(Duration fetch, Duration load, Duration read, Duration plan, Duration apply) {
    /**
     * Validates.
     *
     * @param fetch time reading the revision's files; not null
     * @param load time validating the desired state; not null
     * @param read time reading the target; not null
     * @param plan time planning; not null
     * @param apply time applying, {@link Duration#ZERO} for a preview; not null
     */
    public Timings {
      Objects.requireNonNull(fetch, "fetch");
      Objects.requireNonNull(load, "load");
      Objects.requireNonNull(read, "read");
      Objects.requireNonNull(plan, "plan");
      Objects.requireNonNull(apply, "apply");
    }

    /** {@return the sum of all five phases (time spent between phases is not counted)} */
    public Duration total() {
      return fetch.plus(load).plus(read).plus(plan).plus(apply);
    }

    /**
     * These timings with another apply time.
     *
     * @param took how long applying took; not null
     * @return a copy with {@code apply} replaced
     */
    public Timings withApply(Duration took) {
      return new Timings(fetch, load, read, plan, took);
    }

    /** {@code fetch 12 ms, load 3 ms, read 5 ms, plan 1 ms, apply 40 ms}. */
    @Override
    public String toString() {
      return "fetch " + fetch.toMillis() + " ms, load " + load.toMillis() + " ms, read "
          + read.toMillis() + " ms, plan " + plan.toMillis() + " ms, apply " + apply.toMillis() + " ms";
    }
  }
}
