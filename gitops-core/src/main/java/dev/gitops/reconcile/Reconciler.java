package dev.gitops.reconcile;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.apply.ApplyReport;
import dev.gitops.apply.Applier;
import dev.gitops.apply.Outcome;
import dev.gitops.internal.Checks;
import dev.gitops.model.ActualState;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanOptions;
import dev.gitops.plan.Planner;
import dev.gitops.source.Loader;
import dev.gitops.source.Source;
import dev.gitops.target.Scope;
import dev.gitops.target.Target;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile loop over a source, a loader and a target: fetch → load → read → plan → apply. The
 * engine under both {@link PullAgent} (pull) and {@link PushDeployer} (push).
 *
 * <p>The whole desired state is loaded and validated, the target read and the plan made before the
 * first write: a loader's {@code InvalidDesiredStateException} or a planner's refusal leaves the
 * target untouched. Everything the reconciler applies is owned by its {@link #name()}.
 *
 * <p>Logs through SLF4J (logger {@code dev.gitops.reconcile.Reconciler}) what an operator must see,
 * with the key-values {@code reconciler}, {@code revision}, {@code resource} and {@code reason}: drift
 * found (WARN, one line per resource, field paths only) and healed (INFO), refusals and failures
 * (WARN), applies that changed something (INFO). Names are escaped; Secret values, values of fields
 * marked sensitive and credentials in URLs are masked.
 *
 * <p><b>Unchanged inputs are not planned again.</b> When the target supplies a
 * {@link Target#stateToken state token} and a plan came out empty, the reconciler remembers the
 * source's {@link Source#contentKey content key} of that revision, the scope and the token. A later
 * plan or reconcile whose revision has the same content key (for Git: the same tree at the path)
 * while the target's token for the scope is the same returns that empty plan without fetching,
 * loading, reading or planning: the planner is pure, so the same inputs give the same plan. Any
 * other answer — another key, another or no token, a plan that was not empty — runs every phase.
 * A target without tokens (the default) is read and planned every time.
 *
 * <p>Thread-safe as far as its source, loader and target are; it takes no lock itself (the pull
 * agent never runs two reconciles at once, the push deployer holds the target's lock); what it
 * remembers of the last empty plan is one immutable value, replaced whole.
 */
public final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  private final String name;
  private final Source source;
  private final Loader loader;
  private final Target target;
  private final PlanOptions planOptions;
  private final ApplyOptions applyOptions;
  private final ReconcileListener listener;
  private final Clock clock;
  /** Kept across runs: it keeps the compiled diff rules of the plan options. */
  private final Planner planner = new Planner();
  /** The last plan that was empty, with what it was made from; null when the last was not. */
  private volatile Converged converged;

  /** An empty plan and its inputs: the source's content key, the scope read and the target's token. */
  private record Converged(String contentKey, Scope scope, String token, Plan plan) { }

  private Reconciler(Builder b) {
    this.name = Checks.notBlank(b.name, "name");
    this.source = Objects.requireNonNull(b.source, "source");
    this.loader = Objects.requireNonNull(b.loader, "loader");
    this.target = Objects.requireNonNull(b.target, "target");
    PlanOptions options = (b.planOptions == null ? target.planDefaults() : b.planOptions).withOwner(name);
    this.planOptions = b.prune == null ? options : options.withPrune(b.prune);
    this.applyOptions = b.applyOptions;
    ReconcileListener user = new SafeListener(name, LOG, b.listener);
    this.listener = new SafeListener(name, LOG, new ReconcileLog(name, LOG, user));
    this.clock = b.clock;
  }

  /** {@return a builder; {@code name}, {@code source}, {@code loader} and {@code target} are required} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the name: owner of everything this reconciler applies} */
  public String name() {
    return name;
  }

  /** {@return the source of desired state} */
  public Source source() {
    return source;
  }

  /** {@return the target this reconciler converges} */
  public Target target() {
    return target;
  }

  /**
   * Previews: resolves {@code ref} ({@code null} for the source's configured ref), fetches, loads,
   * reads the target and plans. Writes nothing.
   *
   * @param ref a branch, tag, commit id or {@code semver:<range>}; null for the configured ref
   * @return the plan, empty when the target already matches
   * @throws dev.gitops.source.SourceException when the source fails
   * @throws dev.gitops.model.InvalidDesiredStateException listing every problem of the desired state
   * @throws dev.gitops.target.TargetException when the target cannot be read
   */
  public Plan plan(String ref) {
    return prepare(resolve(ref)).plan();
  }

  /**
   * Reconciles: resolves {@code ref} ({@code null} for the source's configured ref), plans as
   * {@link #plan} does, then applies. Step failures are values in the result's report.
   *
   * @param ref a branch, tag, commit id or {@code semver:<range>}; null for the configured ref
   * @return the revision, the plan applied, one outcome per step and the phase timings
   * @throws dev.gitops.GitOpsException as {@link #plan} does; nothing was written then
   */
  public ReconcileResult reconcile(String ref) {
    return apply(prepare(resolve(ref)), applyOptions);
  }

  /** Resolves a ref; null means the source's configured ref. */
  Revision resolve(String ref) {
    try {
      return ref == null ? source.latest() : source.resolve(ref);
    } catch (RuntimeException e) {
      listener.failed(e);
      throw e;
    }
  }

  /**
   * Fetches, loads, reads and plans {@code revision}; reports failures to the listener. When the
   * revision's content key and the target's state token equal those of the last empty plan, that
   * plan is the answer: nothing is fetched, loaded, read or planned.
   */
  Prepared prepare(Revision revision) {
    return prepare(revision, phase -> { });
  }

  /**
   * As {@link #prepare(Revision)}, telling {@code phase} each phase as it starts: {@code fetch},
   * {@code load}, {@code read}, {@code plan}, {@code report} (the listener hears of the plan).
   */
  Prepared prepare(Revision revision, Consumer<String> phase) {
    try {
      phase.accept("fetch");
      listener.revisionSeen(revision);
      Instant t0 = clock.instant();
      Prepared unchanged = unchanged(revision, t0);
      if (unchanged != null) {
        phase.accept("report");
        listener.planned(unchanged.plan());
        return unchanged;
      }
      Snapshot snapshot = source.fetch(revision);
      Instant t1 = clock.instant();
      phase.accept("load");
      DesiredState desired = loader.load(snapshot);
      Instant t2 = clock.instant();
      phase.accept("read");
      Scope scope = Scope.of(name, desired.byId().keySet());
      Optional<String> token = target.stateToken(scope);
      ActualState actual = target.read(scope, desired);
      Instant t3 = clock.instant();
      phase.accept("plan");
      Plan plan = planner.plan(desired, actual, planOptions).withRevision(revision.id());
      Instant t4 = clock.instant();
      converged = plan.isEmpty() && token.isPresent()
          ? new Converged(source.contentKey(revision), scope, token.get(), plan) : null;
      phase.accept("report");
      listener.planned(plan);
      return new Prepared(revision, plan, new ReconcileResult.Timings(between(t0, t1),
          between(t1, t2), between(t2, t3), between(t3, t4), Duration.ZERO));
    } catch (RuntimeException e) {
      listener.failed(e);
      throw e;
    }
  }

  /**
   * The last empty plan for {@code revision} when neither side changed since it was made: the same
   * content key (the source's files) and the same state token (the target's), else null. The
   * content key's time counts as loading, the token's as reading.
   */
  private Prepared unchanged(Revision revision, Instant t0) {
    Converged last = converged;
    if (last == null || !last.contentKey().equals(source.contentKey(revision))) {
      return null;
    }
    Instant t1 = clock.instant();
    if (!target.stateToken(last.scope()).filter(last.token()::equals).isPresent()) {
      return null;
    }
    return new Prepared(revision, last.plan().withRevision(revision.id()), new ReconcileResult.Timings(
        Duration.ZERO, between(t0, t1), between(t1, clock.instant()), Duration.ZERO, Duration.ZERO));
  }

  /** Applies a prepared plan with {@code options} plus this reconciler's progress events. */
  ReconcileResult apply(Prepared prepared, ApplyOptions options) {
    return apply(prepared, options, target);
  }

  /**
   * Applies a prepared plan; once {@code stop} is up, steps not started yet are refused (see
   * {@link StoppingTarget}), those running finish.
   */
  ReconcileResult apply(Prepared prepared, ApplyOptions options, BooleanSupplier stop, String why) {
    return apply(prepared, options, new StoppingTarget(target, stop, why));
  }

  private ReconcileResult apply(Prepared prepared, ApplyOptions options, Target to) {
    Consumer<Outcome> progress = options.progress();
    try {
      Instant t0 = clock.instant();
      ApplyReport report = new Applier().apply(prepared.plan(), to,
          options.withProgress(o -> {
            progress.accept(o);
            listener.applied(o);
          }));
      ReconcileResult result = new ReconcileResult(prepared.revision(), prepared.plan(), report,
          prepared.timings().withApply(between(t0, clock.instant())));
      listener.reconciled(result);
      return result;
    } catch (RuntimeException e) {
      listener.failed(e);
      throw e;
    }
  }

  ApplyOptions applyOptions() {
    return applyOptions;
  }

  ReconcileListener listener() {
    return listener;
  }

  Clock clock() {
    return clock;
  }

  private static Duration between(Instant from, Instant to) {
    Duration d = Duration.between(from, to);
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** {@code Reconciler[web: <source> -> <target>]}. */
  @Override
  public String toString() {
    return "Reconciler[" + name + ": " + source.describe() + " -> " + target.describe() + "]";
  }

  /** Builds a {@link Reconciler}. Not thread-safe. */
  public static final class Builder {
    private String name;
    private Source source;
    private Loader loader;
    private Target target;
    private PlanOptions planOptions;
    private ApplyOptions applyOptions = ApplyOptions.defaults();
    private Boolean prune;
    private ReconcileListener listener = ReconcileListener.NONE;
    private Clock clock = Clock.systemUTC();

    private Builder() { }

    /**
     * The reconciler's name, owner of what it applies. Required.
     *
     * @param value a name unique among the reconcilers sharing a target, e.g. {@code web}
     * @return this builder
     */
    public Builder name(String value) {
      this.name = Checks.notBlank(value, "name");
      return this;
    }

    /**
     * Where desired state comes from. Required.
     *
     * @param value the source, e.g. a {@link dev.gitops.source.GitSource}
     * @return this builder
     */
    public Builder source(Source value) {
      this.source = Objects.requireNonNull(value, "source");
      return this;
    }

    /**
     * How a snapshot becomes a desired state. Required.
     *
     * @param value the loader matching the target, e.g. {@code ManifestLoader} for Kubernetes
     * @return this builder
     */
    public Builder loader(Loader value) {
      this.loader = Objects.requireNonNull(value, "loader");
      return this;
    }

    /**
     * What to converge. Required.
     *
     * @param value the target
     * @return this builder
     */
    public Builder target(Target value) {
      this.target = Objects.requireNonNull(value, "target");
      return this;
    }

    /**
     * How to plan; the owner is replaced by the name. Default: the target's
     * {@link Target#planDefaults()} (a Kubernetes target's diff rules, kind order and ignore rules);
     * to change a few, start from those.
     *
     * @param value the plan options; not null
     * @return this builder
     */
    public Builder planOptions(PlanOptions value) {
      this.planOptions = Objects.requireNonNull(value, "planOptions");
      return this;
    }

    /**
     * How to apply. Default {@link ApplyOptions#defaults()}.
     *
     * @param value the apply options; not null
     * @return this builder
     */
    public Builder applyOptions(ApplyOptions value) {
      this.applyOptions = Objects.requireNonNull(value, "applyOptions");
      return this;
    }

    /**
     * Prune owned resources that left the desired state; overrides the plan options' setting.
     *
     * @param value true to delete them, false to leave them in place
     * @return this builder
     */
    public Builder prune(boolean value) {
      this.prune = value;
      return this;
    }

    /**
     * Receives events. Default: none.
     *
     * @param value the listener; its exceptions are logged, never break a run
     * @return this builder
     */
    public Builder listener(ReconcileListener value) {
      this.listener = Objects.requireNonNull(value, "listener");
      return this;
    }

    /**
     * Measures phase timings. Default: the system UTC clock.
     *
     * @param value the clock; not null
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Builds.
     *
     * @return the reconciler
     * @throws NullPointerException when name, source, loader or target is missing
     */
    public Reconciler build() {
      return new Reconciler(this);
    }
  }
}
