package dev.gitops.reconcile;

import dev.gitops.GitOpsException;
import dev.gitops.internal.Checks;
import dev.gitops.internal.plan.PlanJsonReader;
import dev.gitops.internal.reconcile.LocalHistory;
import dev.gitops.model.ResourceId;
import dev.gitops.model.Revision;
import dev.gitops.plan.Plan;
import dev.gitops.target.DeployHistory;
import dev.gitops.target.DeployHistory.Deployment;
import dev.gitops.target.Lockable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Push semantics: deploys one chosen revision, optionally only if its plan is still the reviewed one.
 *
 * <p>A deploy holds the target's lock for its reconciler
 * ({@link dev.gitops.target.Target#lockable(String)}: the whole target's, or the owner's on a target
 * that locks per owner) from before the
 * plan is made until the apply ends, and fails fast with {@link dev.gitops.target.LockedException}
 * ({@code locked by X since T}) when another deployer holds it; targets without a lock are deployed
 * without one. Every deploy that reaches the apply is recorded in a bounded history kept on the
 * target when it keeps one ({@link dev.gitops.target.Target#deployHistory()}), else in this
 * deployer. Both are asked of the target, so they survive wrappers
 * ({@link dev.gitops.target.ForwardingTarget}). Thread-safe as far as the target is.
 */
public final class PushDeployer {
  private final Reconciler reconciler;
  private final String holder;
  private final int historySize;
  private final Duration lockStaleAfter;
  private final Clock clock;
  private final DeployHistory history;

  private PushDeployer(Builder b) {
    this.reconciler = b.reconciler;
    this.holder = b.holder;
    this.historySize = b.historySize;
    this.lockStaleAfter = b.lockStaleAfter;
    this.clock = b.clock == null ? reconciler.clock() : b.clock;
    this.history = reconciler.target().deployHistory().orElseGet(LocalHistory::new);
  }

  /**
   * A deployer with every default (see {@link Builder}).
   *
   * @param reconciler what each deploy reconciles; not null
   * @return the deployer
   */
  public static PushDeployer of(Reconciler reconciler) {
    return builder(reconciler).build();
  }

  /**
   * A builder for a deployer over {@code reconciler}.
   *
   * @param reconciler what each deploy reconciles; not null
   * @return a builder with every option at its default
   */
  public static Builder builder(Reconciler reconciler) {
    return new Builder(Objects.requireNonNull(reconciler, "reconciler"));
  }

  /**
   * The plan a deploy of {@code ref} would apply now; writes nothing and takes no lock. Save it for
   * review and pass it to {@link #deploy(String, Plan)}.
   *
   * @param ref a branch, tag, commit id or {@code semver:<range>}
   * @return the plan, empty when the target already matches {@code ref}
   * @throws GitOpsException as {@link Reconciler#plan} does
   */
  public Plan preview(String ref) {
    return reconciler.plan(ref);
  }

  /**
   * Deploys {@code ref} (a branch, tag or commit id) under the target's lock.
   *
   * @param ref a branch, tag, commit id or {@code semver:<range>}
   * @return the revision, the plan applied and one outcome per step; check
   *     {@link ReconcileResult#isSuccess()}
   * @throws dev.gitops.target.LockedException when another deploy holds the lock
   * @throws GitOpsException as {@link Reconciler#reconcile} does; nothing was written then
   */
  public ReconcileResult deploy(String ref) {
    return deploy(ref, null);
  }

  /**
   * Deploys {@code ref} only if the plan made now, under the lock, has the fingerprint of
   * {@code approved} (null: no check).
   *
   * @param ref a branch, tag, commit id or {@code semver:<range>}
   * @param approved the plan that was reviewed (from {@link #preview} or {@link Plan#fromJson});
   *     null to deploy whatever the plan is now
   * @return the revision, the plan applied and one outcome per step
   * @throws StalePlanException naming what moved, when the plan is no longer the approved one
   * @throws dev.gitops.target.LockedException when another deploy holds the lock
   * @throws GitOpsException as {@link Reconciler#reconcile} does; nothing was written then
   */
  public ReconcileResult deploy(String ref, Plan approved) {
    Checks.notBlank(ref, "ref");
    try (Lockable.Lock lock = lock()) {
      return deployLocked(ref, ref, approved);
    }
  }

  /**
   * Deploys again the last revision that was deployed successfully before the current one (the
   * newest successful deploy), under the lock.
   *
   * @return the result of deploying that revision, recorded in the history as
   *     {@code rollback to <id>}
   * @throws GitOpsException when the history holds no such revision
   * @throws dev.gitops.target.LockedException when another deploy holds the lock
   */
  public ReconcileResult rollback() {
    try (Lockable.Lock lock = lock()) {
      List<Deployment> done = history.history().stream().filter(Deployment::succeeded).toList();
      if (done.isEmpty()) {
        throw new GitOpsException(reconciler.target().describe() + ": no successful deploy to roll back from");
      }
      String current = done.get(0).revision();
      Deployment previous = done.stream().filter(d -> !d.revision().equals(current)).findFirst()
          .orElseThrow(() -> new GitOpsException(reconciler.target().describe()
              + ": no successful deploy before " + Revision.of(current).shortId() + " to roll back to"));
      return deployLocked(previous.revision(), "rollback to " + Revision.of(previous.revision()).shortId(), null);
    }
  }

  /** {@return the deploy history, newest first: the target's when it keeps one, else this process's} */
  public List<Deployment> history() {
    return history.history();
  }

  private ReconcileResult deployLocked(String ref, String recordedRef, Plan approved) {
    Prepared prepared = reconciler.prepare(reconciler.resolve(ref));
    if (approved != null) {
      check(approved, prepared);
    }
    ReconcileResult result;
    try {
      result = reconciler.apply(prepared, reconciler.applyOptions());
    } catch (RuntimeException e) {
      record(prepared, recordedRef, "failed");
      throw e;
    }
    record(prepared, recordedRef, result.isSuccess() ? "succeeded" : "failed");
    return result;
  }

  /**
   * Refuses {@code approvedPlan} unless the fresh plan is the same plan: the same fingerprint and,
   * step by step, the same owner, waves, ids, kinds, contents, diffs and preconditions, compared as
   * the plan's JSON holds them (a saved plan holds redaction markers where the fresh one holds
   * values). A fingerprint alone is only the approved plan's word about its steps.
   */
  private void check(Plan approvedPlan, Prepared prepared) {
    Plan approved = PlanJsonReader.readUnverified(approvedPlan.toJson());
    Plan fresh = PlanJsonReader.readUnverified(prepared.plan().toJson());
    boolean sameFingerprint = approvedPlan.fingerprint().equals(prepared.plan().fingerprint());
    boolean sameSteps = approved.owner().equals(fresh.owner()) && approved.waves().equals(fresh.waves());
    if (sameFingerprint && sameSteps) {
      return;
    }
    List<ResourceId> moved = PlanComparison.moved(approved, fresh);
    String revision = approved.revision().isEmpty() || approved.revision().equals(fresh.revision())
        ? "" : "; revision moved from " + Revision.of(approved.revision()).shortId() + " to "
            + Revision.of(fresh.revision()).shortId();
    String steps = moved.isEmpty() ? "no step changed, but the plan's inputs did"
        : "moved: " + moved.stream().map(id -> PlanComparison.describe(id, approved, fresh))
            .collect(Collectors.joining(", "));
    String what = !sameFingerprint ? steps : "its fingerprint is the fresh plan's but its steps are not"
        + " (was it edited?): " + (moved.isEmpty() ? "the owner or the waves differ" : steps);
    StalePlanException e = new StalePlanException(reconciler.name() + " on "
        + reconciler.target().describe() + ": the approved plan is stale (" + approved.summary()
        + " approved, " + fresh.summary() + " now); " + what + revision,
        approvedPlan.fingerprint(), prepared.plan().fingerprint(), moved);
    reconciler.listener().failed(e);
    throw e;
  }

  private void record(Prepared prepared, String ref, String outcome) {
    history.record(new Deployment(prepared.revision().id(), ref, prepared.plan().summary(), outcome,
        clock.instant(), holder), historySize);
  }

  private Lockable.Lock lock() {
    Lockable lockable = reconciler.target().lockable(reconciler.name()).orElse(null);
    if (lockable != null) {
      try {
        return lockable.lock(holder, lockStaleAfter);
      } catch (RuntimeException e) {
        reconciler.listener().failed(e);
        throw e;
      }
    }
    Instant since = clock.instant();
    return new Lockable.Lock() {
      @Override public String holder() { return holder; }
      @Override public Instant since() { return since; }
      @Override public void close() { }
    };
  }

  /** {@code PushDeployer[web as ci-42]}. */
  @Override
  public String toString() {
    return "PushDeployer[" + reconciler.name() + " as " + holder + "]";
  }

  /**
   * Builds a {@link PushDeployer}. Defaults: holder {@code <name>@pid<pid>}, history of 20 deploys,
   * locks never taken over, the reconciler's clock. Not thread-safe.
   */
  public static final class Builder {
    private final Reconciler reconciler;
    private String holder;
    private int historySize = 20;
    private Duration lockStaleAfter;
    private Clock clock;

    private Builder(Reconciler reconciler) {
      this.reconciler = reconciler;
      this.holder = reconciler.name() + "@pid" + ProcessHandle.current().pid();
    }

    /**
     * Who deploys (a CI job, a user), recorded with the lock and in the history; default
     * {@code <reconciler>@pid<pid>}.
     *
     * @param value a name people recognise, e.g. {@code ci-job-4711}; not blank
     * @return this builder
     */
    public Builder holder(String value) {
      this.holder = Checks.notBlank(value, "holder");
      return this;
    }

    /**
     * How many deploys the history keeps; default 20.
     *
     * @param value at least 2, so that a rollback has somewhere to go
     * @return this builder
     */
    public Builder historySize(int value) {
      if (value < 2) {
        throw new IllegalArgumentException("historySize must be at least 2: " + value);
      }
      this.historySize = value;
      return this;
    }

    /**
     * Take over a lock older than this (a crashed deployer's); default never. A target whose
     * holders renew their lock (a Kubernetes Lease) takes over a crashed deployer's lock once it
     * ran out unrenewed, whatever this says.
     *
     * @param value the age past which a lock counts as abandoned; null never takes over
     * @return this builder
     */
    public Builder lockStaleAfter(Duration value) {
      this.lockStaleAfter = value;
      return this;
    }

    /**
     * The clock that stamps history entries; default the reconciler's.
     *
     * @param value the clock; not null
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** {@return the deployer; it takes no lock until a deploy} */
    public PushDeployer build() {
      return new PushDeployer(this);
    }
  }
}
