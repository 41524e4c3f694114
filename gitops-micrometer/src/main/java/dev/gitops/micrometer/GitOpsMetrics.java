package dev.gitops.micrometer;

import dev.gitops.apply.Outcome;
import dev.gitops.reconcile.AgentStatus;
import dev.gitops.reconcile.Drift;
import dev.gitops.reconcile.PullAgent;
import dev.gitops.reconcile.ReconcileListener;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.source.Source;
import dev.gitops.target.Target;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One reconciler's meters in a Micrometer {@link MeterRegistry}, fed as its
 * {@link ReconcileListener} and by the {@link #source(Source) source} and {@link #target(Target)
 * target} it wraps. Every meter is tagged {@code reconciler=<name>}; names follow Micrometer's
 * conventions (dotted, base units) and become Prometheus' ({@code _total}, {@code _seconds}) in a
 * Prometheus registry. Where a peer has the same measure, the meaning follows the peer's:
 *
 * <table>
 * <caption>Meters (Prometheus name in a Prometheus registry)</caption>
 * <tr><th>Micrometer name, type</th><th>tags</th><th>what</th><th>peer</th></tr>
 * <tr><td>{@value #RECONCILE_DURATION}, timer</td><td>{@code phase}: fetch, load, read, plan, apply</td>
 *     <td>time of each phase of a reconcile that got as far as applying</td>
 *     <td>Flux {@code gotk_reconcile_duration_seconds}, Argo CD {@code argocd_app_reconcile}</td></tr>
 * <tr><td>{@value #RECONCILES}, counter</td><td>{@code result}: success, failure;
 *     {@code reason}: {@code Reconciled}, {@code ApplyFailed} or the exception's class
 *     ({@code SourceException}, {@code StalePlanException}, ...)</td>
 *     <td>reconciles by result, failures and refusals by reason</td>
 *     <td>Argo CD {@code argocd_app_sync_total}</td></tr>
 * <tr><td>{@value #STEPS}, counter</td><td>{@code action}: create, update, delete, adopt, run,
 *     noop; {@code outcome}: applied, unchanged, failed, skipped</td>
 *     <td>plan steps applied: {@code outcome=applied} are the writes</td><td></td></tr>
 * <tr><td>{@value #DRIFT_FOUND}, counter</td><td></td>
 *     <td>drift checks that found the target moved away from an unchanged revision</td><td></td></tr>
 * <tr><td>{@value #DRIFT_RESOURCES}, counter</td><td></td>
 *     <td>resources found drifted, summed over those checks</td><td></td></tr>
 * <tr><td>{@value #DRIFT_HEALED}, counter</td><td></td>
 *     <td>drifts repaired: the next reconcile after a drift was found succeeded</td><td></td></tr>
 * <tr><td>{@value #GIT_REQUESTS}, counter</td><td>{@code request_type}: latest (a poll, Git's
 *     ls-remote), resolve, fetch; {@code result}: success, failure</td>
 *     <td>requests to the source, through {@link #source(Source)}</td>
 *     <td>Argo CD {@code argocd_git_request_total}</td></tr>
 * <tr><td>{@value #GIT_REQUEST_DURATION}, timer</td><td>{@code request_type}</td>
 *     <td>their duration</td><td>Argo CD {@code argocd_git_request_duration_seconds}</td></tr>
 * <tr><td>{@value #TARGET_REQUESTS}, counter</td><td>{@code operation}: read, apply, health;
 *     {@code result}: success, failure</td>
 *     <td>requests to the target (the API server, the hosts), through {@link #target(Target)}</td>
 *     <td>Argo CD {@code argocd_kubectl_exec_total}</td></tr>
 * <tr><td>{@value #TARGET_REQUEST_DURATION}, timer</td><td>{@code operation}</td>
 *     <td>their duration</td><td></td></tr>
 * <tr><td>{@value #LAST_APPLIED}, gauge</td><td>{@code revision}</td>
 *     <td>1 for the last revision applied with every step successful (an info metric; the series
 *     of the previous revision is removed)</td><td>Flux {@code gotk_resource_info}, Argo CD
 *     {@code argocd_app_info}</td></tr>
 * <tr><td>{@value #CONDITION}, gauge</td><td>{@code type}: ready, drifted, stalled</td>
 *     <td>1 while the agent's condition holds, else 0; through {@link #watch(PullAgent)}</td>
 *     <td>Flux {@code gotk_reconcile_condition}</td></tr>
 * <tr><td>{@value #SUSPENDED}, gauge</td><td></td>
 *     <td>1 while the agent is suspended; through {@link #watch(PullAgent)}</td>
 *     <td>Flux {@code gotk_suspend_status}</td></tr>
 * </table>
 *
 * <pre>{@code
 * GitOpsMetrics metrics = GitOpsMetrics.of(registry, "web");
 * Reconciler web = Reconciler.builder().name("web")
 *     .source(metrics.source(GitSource.of(repoUri, "main")))
 *     .loader(new ManifestLoader())
 *     .target(metrics.target(KubernetesTarget.of(client)))
 *     .listener(metrics).build();
 * }</pre>
 *
 * <p>Thread-safe. Meters are registered when first used; the reconciler's meters stay in the
 * registry until {@link #close()}.
 */
public final class GitOpsMetrics implements ReconcileListener, AutoCloseable {
  /** Timer: each phase of a reconcile, tag {@code phase}. */
  public static final String RECONCILE_DURATION = "gitops.reconcile.duration";
  /** Counter: reconciles, tags {@code result} and {@code reason}. */
  public static final String RECONCILES = "gitops.reconcile";
  /** Counter: plan steps, tags {@code action} and {@code outcome}. */
  public static final String STEPS = "gitops.steps";
  /** Counter: drift checks that found drift. */
  public static final String DRIFT_FOUND = "gitops.drift.found";
  /** Counter: resources found drifted. */
  public static final String DRIFT_RESOURCES = "gitops.drift.resources";
  /** Counter: drifts repaired. */
  public static final String DRIFT_HEALED = "gitops.drift.healed";
  /** Counter: source requests, tags {@code request_type} and {@code result}. */
  public static final String GIT_REQUESTS = "gitops.git.requests";
  /** Timer: source requests, tag {@code request_type}. */
  public static final String GIT_REQUEST_DURATION = "gitops.git.request.duration";
  /** Counter: target requests, tags {@code operation} and {@code result}. */
  public static final String TARGET_REQUESTS = "gitops.target.requests";
  /** Timer: target requests, tag {@code operation}. */
  public static final String TARGET_REQUEST_DURATION = "gitops.target.request.duration";
  /** Gauge: 1 for the last applied revision, tag {@code revision}. */
  public static final String LAST_APPLIED = "gitops.last.applied.revision";

  /** Gauge: 1 while a condition of the watched agent holds, tag {@code type}. */
  public static final String CONDITION = "gitops.condition";
  /** Gauge: 1 while the watched agent is suspended. */
  public static final String SUSPENDED = "gitops.suspended";

  private static final String[] PHASES = {"fetch", "load", "read", "plan", "apply"};

  private final MeterRegistry registry;
  private final Tags tags;
  private final MultiGauge lastApplied;
  private volatile Drift pending;

  private GitOpsMetrics(MeterRegistry registry, String reconciler) {
    this.registry = registry;
    this.tags = Tags.of("reconciler", reconciler);
    this.lastApplied = MultiGauge.builder(LAST_APPLIED).tags(tags)
        .description("1 for the last revision applied with every step successful").register(registry);
  }

  /**
   * Meters for one reconciler.
   *
   * @param registry where the meters go; not null
   * @param reconciler the reconciler's {@link dev.gitops.reconcile.Reconciler#name() name}, the
   *     value of every meter's {@code reconciler} tag; not blank
   * @return the meters; pass them to {@code Reconciler.Builder.listener}
   * @throws NullPointerException when {@code registry} is null
   * @throws IllegalArgumentException when {@code reconciler} is blank
   */
  public static GitOpsMetrics of(MeterRegistry registry, String reconciler) {
    Objects.requireNonNull(registry, "registry");
    if (reconciler == null || reconciler.isBlank()) {
      throw new IllegalArgumentException("reconciler: a reconciler's name is required, got " + reconciler);
    }
    return new GitOpsMetrics(registry, reconciler);
  }

  /**
   * Wraps a source so that its requests are counted and timed ({@value #GIT_REQUESTS},
   * {@value #GIT_REQUEST_DURATION}). What the source throws is counted as a failure and rethrown.
   *
   * @param source the source to measure; not null
   * @return a source forwarding every call to {@code source}
   */
  public Source source(Source source) {
    return new MeteredSource(Objects.requireNonNull(source, "source"), this);
  }

  /**
   * Wraps a target so that its reads, writes and health checks are counted and timed
   * ({@value #TARGET_REQUESTS}, {@value #TARGET_REQUEST_DURATION}). The wrapper forwards everything
   * else, the target's lock, history and plan defaults included.
   *
   * @param target the target to measure; not null
   * @return a target forwarding every call to {@code target}
   */
  public Target target(Target target) {
    return new MeteredTarget(Objects.requireNonNull(target, "target"), this);
  }

  /**
   * Adds gauges of an agent's status: {@value #CONDITION} per condition type and {@value #SUSPENDED},
   * read from {@link PullAgent#status()} at each scrape. The registry holds the agent weakly.
   *
   * @param agent the agent driving this reconciler; not null
   * @return {@code agent}, for {@code metrics.watch(PullAgent.every(...).start())}
   */
  public PullAgent watch(PullAgent agent) {
    Objects.requireNonNull(agent, "agent");
    for (AgentStatus.Condition.Type type : AgentStatus.Condition.Type.values()) {
      Gauge.builder(CONDITION, agent, a -> a.status().is(type) ? 1 : 0).tags(tags)
          .tag("type", type.name().toLowerCase(Locale.ROOT))
          .description("1 while the agent's condition holds").register(registry);
    }
    Gauge.builder(SUSPENDED, agent, a -> a.status().suspended() ? 1 : 0).tags(tags)
        .description("1 while the agent is suspended").register(registry);
    return agent;
  }

  @Override
  public void applied(Outcome outcome) {
    counter(STEPS, "action", outcome.action().kind().word(), "outcome", outcome.kind().word()).increment();
  }

  @Override
  public void driftFound(Drift drift) {
    pending = drift;
    counter(DRIFT_FOUND).increment();
    counter(DRIFT_RESOURCES).increment(drift.ids().size());
  }

  @Override
  public void failed(Exception error) {
    pending = null;
    counter(RECONCILES, "result", "failure", "reason", error.getClass().getSimpleName()).increment();
  }

  @Override
  public void reconciled(ReconcileResult result) {
    Drift healed = pending;
    pending = null;
    ReconcileResult.Timings t = result.timings();
    Duration[] took = {t.fetch(), t.load(), t.read(), t.plan(), t.apply()};
    for (int i = 0; i < PHASES.length; i++) {
      Timer.builder(RECONCILE_DURATION).tags(tags).tag("phase", PHASES[i])
          .description("Time of one phase of a reconcile").publishPercentileHistogram()
          .register(registry).record(took[i]);
    }
    if (result.isSuccess()) {
      counter(RECONCILES, "result", "success", "reason", "Reconciled").increment();
      if (healed != null) {
        counter(DRIFT_HEALED).increment();
      }
      if (!result.revision().id().isEmpty()) {
        lastApplied.register(List.of(MultiGauge.Row.of(Tags.of("revision", result.revision().id()), 1)), true);
      }
    } else {
      counter(RECONCILES, "result", "failure", "reason", "ApplyFailed").increment();
    }
  }

  /**
   * Runs one request to the source or the target, counts it by result (a thrown exception is a
   * failure, and is thrown on) and records its duration.
   */
  <T> T measured(String counter, String timer, String tag, String type, Supplier<T> call) {
    long start = System.nanoTime();
    boolean ok = false;
    try {
      T out = call.get();
      ok = true;
      return out;
    } finally {
      counter(counter, tag, type, "result", ok ? "success" : "failure").increment();
      Timer.builder(timer).tags(tags).tag(tag, type).register(registry)
          .record(Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /** Removes this reconciler's meters from the registry (e.g. when the reconciler is removed). */
  @Override
  public void close() {
    registry.getMeters().stream()
        .filter(m -> m.getId().getName().startsWith("gitops.") && tags.stream().allMatch(
            t -> t.getValue().equals(m.getId().getTag(t.getKey()))))
        .forEach(registry::remove);
  }

  private Counter counter(String name, String... keyValues) {
    return Counter.builder(name).tags(tags).tags(keyValues).register(registry);
  }

  /** {@code GitOpsMetrics[web]}. */
  @Override
  public String toString() {
    return "GitOpsMetrics[" + tags.stream().findFirst().map(t -> t.getValue()).orElse("") + "]";
  }
}
