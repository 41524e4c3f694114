package dev.gitops.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many pull reconcilers in one process, the way a controller reconciles many custom resources: each
 * behaves as a {@link PullAgent} would (drift checks, self-heal, backoff, the target's lock, the
 * same {@link AgentStatus}), but they share what can be shared.
 *
 * <ul>
 *   <li><b>One poll per repository.</b> Reconcilers whose sources have equal
 *   {@link dev.gitops.source.Source#pollKey() poll keys} (a {@code GitSource}: the same URL and ref,
 *   whatever path) are polled once per interval, through one of them; a new revision wakes only the
 *   reconcilers whose {@link dev.gitops.source.Source#contentKey content} changed (for Git: the tree
 *   at their path); the others never plan for it.</li>
 *   <li><b>A bounded worker pool, fair.</b> At most {@code workers} runs and polls at once, taken
 *   first in, first out, and a reconciler is queued at most once however often it is woken: a slow
 *   reconciler holds one worker, a failing one backs off on its own, neither starves the others.
 *   A run's wave steps, when its {@code ApplyOptions} bring no executor, run on threads the fleet
 *   keeps for all its reconcilers (each apply still at most its parallelism at once), ended by
 *   {@link #awaitTermination} and {@link #close()}.</li>
 *   <li><b>Every run has a deadline</b> ({@linkplain Builder#runTimeout an hour} by default): a run
 *   stuck in a call that never returns is reported ({@code RunTimedOut}), interrupted, and another
 *   worker takes its place, while its reconciler waits for the stuck thread before its next run.</li>
 *   <li><b>Isolated failures.</b> Whatever one run throws ({@link Error}s too) is that reconciler's
 *   {@code Stalled} status and listener event; an {@link OutOfMemoryError} stops that reconciler
 *   only, loudly. A failed poll stalls the reconcilers of that repository only.</li>
 *   <li><b>Added and removed at run time</b>, each with its own status, and the whole fleet's
 *   ({@link #status()}). A {@linkplain Builder#shard shard predicate} leaves the reconcilers another
 *   replica owns alone (with {@code dev.gitops.k8s.lease.Shard}: {@code shard.owned()}, over the
 *   members its last heartbeat saw).</li>
 * </ul>
 *
 * <p>Targets are the reconcilers' own: Kubernetes targets built on one client share that client's
 * cluster reads.
 *
 * <pre>{@code
 * Fleet fleet = Fleet.builder().workers(8).interval(Duration.ofMinutes(1)).build().start();
 * for (String app : apps) {
 *   fleet.add(Reconciler.builder().name(app).source(GitSource.builder(url).path("apps/" + app).build())
 *       .loader(new ManifestLoader()).target(KubernetesTarget.of(client)).build());
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Fleet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);

  private final FleetScheduler scheduler;

  private Fleet(FleetSettings settings) {
    this.scheduler = new FleetScheduler(settings);
  }

  /** {@return a builder with every option at its default} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts: every repository of the reconcilers added so far is polled at once.
   *
   * @return this fleet
   * @throws IllegalStateException when started before or stopped
   */
  public Fleet start() {
    scheduler.start();
    return this;
  }

  /**
   * Adds a reconciler. Once started, its repository is polled at once, or, when the fleet already
   * polls that repository, the last revision seen wakes it.
   *
   * @param reconciler the reconciler; its name must be new to the fleet
   * @throws IllegalArgumentException when the fleet has a reconciler of that name
   * @throws IllegalStateException when the fleet was stopped
   */
  public void add(Reconciler reconciler) {
    scheduler.add(Objects.requireNonNull(reconciler, "reconciler"));
  }

  /**
   * Removes a reconciler: nothing more is scheduled for it, and a run in progress finishes its
   * current step and skips the rest. What it applied stays on the target. A reconciler added again
   * under the name while that run goes on waits for it to end ({@code Ready=false}, reason
   * {@code PreviousRunInProgress}): one name never has two runs at once.
   *
   * @param name the reconciler's name
   * @return false when the fleet has no reconciler of that name
   */
  public boolean remove(String name) {
    return scheduler.remove(name);
  }

  /**
   * Asks one reconciler for a run now that plans even when its revision is unchanged.
   *
   * @param name the reconciler's name
   * @return false when ignored: no such reconciler, its repository not polled yet, or stopped
   */
  public boolean triggerNow(String name) {
    return scheduler.triggerNow(name);
  }

  /** Polls every repository now (a webhook said Git changed); ignored before start and after stop. */
  public void pollNow() {
    scheduler.pollNow();
  }

  /**
   * One reconciler's status.
   *
   * @param name the reconciler's name
   * @return its status, empty when the fleet has no reconciler of that name
   */
  public Optional<AgentStatus> status(String name) {
    return scheduler.status(name);
  }

  /** {@return the whole fleet's status: counts, and every reconciler's status sorted by name} */
  public FleetStatus status() {
    return scheduler.status();
  }

  /**
   * Stops every reconciler: nothing more is scheduled, runs in progress finish their current step.
   * Returns at once; {@link #awaitTermination} waits for those runs. Harmless when repeated.
   */
  public void stop() {
    scheduler.stop();
  }

  /**
   * Waits until the fleet is stopped and every run in progress has ended or passed its
   * {@linkplain Builder#runTimeout deadline} (a thread stuck past it is not waited for).
   *
   * @param timeout the longest wait, for all runs together
   * @return true when every run ended or was given up on, false when {@code timeout} passed first
   * @throws InterruptedException when interrupted while waiting
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return scheduler.awaitTermination(timeout);
  }

  /**
   * {@link #stop()}, then waits up to a minute for the runs in progress; called from one of those
   * runs (a listener, a target, a source), it only stops, as it cannot wait for itself.
   */
  @Override
  public void close() {
    stop();
    if (scheduler.onWorker()) {
      return;
    }
    try {
      if (!awaitTermination(Duration.ofMinutes(1))) {
        LOG.warn("fleet: runs in progress did not end within a minute of stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code Fleet[fleet: 998/1000 ready, ...]}. */
  @Override
  public String toString() {
    return "Fleet[" + status() + "]";
  }

  /**
   * Builds a {@link Fleet}; get one from {@link Fleet#builder()}. Not thread-safe.
   *
   * <p>Defaults: as many workers as processors (at least 2), the {@link PullAgent}'s timings
   * (interval one minute, jitter 0.1, drift check every ten minutes, self-heal on, backoff from five
   * seconds doubling up to five minutes), each reconciler's own clock, every reconciler owned,
   * private daemon threads, a run timed out after an hour.
   */
  public static final class Builder {
    private int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
    private Duration interval = Duration.ofMinutes(1);
    private double jitter = 0.1;
    private Duration driftInterval = Duration.ofMinutes(10);
    private boolean selfHeal = true;
    private Duration backoffBase = Duration.ofSeconds(5);
    private Duration backoffCap = Duration.ofMinutes(5);
    private Clock clock;
    private Random random = new Random();
    private Predicate<String> owns = name -> true;
    private Executor executor;
    private ScheduledExecutorService scheduler;
    private boolean lockTargets = true;
    private Duration runTimeout = RunDeadlines.DEFAULT_TIMEOUT;

    private Builder() { }

    /**
     * The longest one run may take, from its start on a worker to its end, default an hour: a call
     * into a target, loader, listener or source that never returns (a read without a timeout, a
     * deadlock) must not hold a worker for ever, as {@code workers} such runs would starve the fleet.
     *
     * <p>A run that passes it is reported failed, reason {@code RunTimedOut}, its message naming the
     * deadline and the phase the run was in ({@code source}, {@code lock}, {@code fetch},
     * {@code load}, {@code read}, {@code plan}, {@code report}, {@code apply}), and retried after the
     * backoff, as any failure. Its thread is interrupted: the engine's own waits (health waits,
     * retries, wave steps) end at once, and no further step starts. Its worker is given up on:
     * another starts in its place, so {@code workers} runs go on whatever the stuck thread does;
     * {@link FleetStatus#abandoned()} counts the threads given up on that have not returned. At most
     * {@code workers} threads are given up on at once; past that, a run past its deadline keeps its
     * worker until it returns (logged at ERROR). A stuck thread still holds its reconciler: the
     * reconciler's next run waits until it returns ({@code Ready=false}, reason
     * {@code PreviousRunInProgress}), as does one added again under its name, so that one name never
     * has two runs at once; it also holds its target's lock until then. What the stuck run does when
     * it returns is not recorded: its late result never overwrites newer status. The reconciler's
     * {@link ReconcileListener#failed} hears a {@link RunTimedOutException} once, queued as a run is, on
     * a worker (the one that took the stuck one's place, or the next free one), never on the
     * {@linkplain #scheduler timer}; a listener that blocks there holds that worker until it returns.
     *
     * <p>With the caller's {@linkplain #executor executor}, the replacement is asked of it: a fixed
     * pool whose threads are all stuck cannot run it (size it {@code 2 * workers}).
     *
     * <p>The default is far above the engine's own bounded waits, so that a merely slow run is never
     * cut: five minutes per Git call and per wave's {@linkplain dev.gitops.apply.ApplyOptions#withHealthWait
     * health wait} by default, under a minute of a step's retries. A reconciler whose health wait
     * alone reaches the deadline is logged at WARN when added.
     *
     * @param value positive
     * @return this builder
     */
    public Builder runTimeout(Duration value) {
      this.runTimeout = Delays.positive(value, "runTimeout");
      return this;
    }

    /**
     * Whether a run holds its target's lock for its reconciler
     * ({@link dev.gitops.target.Target#lockable(String)}) from before the plan until the apply ends,
     * as a {@link PullAgent}'s does, so that a push deploy and a pull never mix their writes;
     * default true. A Kubernetes target locks per owner (one Lease per reconciler), so the
     * reconcilers of one cluster do not take turns; each run costs the lock's requests (a create
     * and a delete of the Lease). A target that has one lock for the whole target (a host's files)
     * makes its reconcilers take turns, and one that finds it taken waits the first backoff step:
     * turn it off for many reconcilers on such a target when no push deploy writes there.
     *
     * @param on false to plan and apply without the target's lock
     * @return this builder
     */
    public Builder lockTargets(boolean on) {
      this.lockTargets = on;
      return this;
    }

    /**
     * Runs and polls at once, at most.
     *
     * @param count positive
     * @return this builder
     */
    public Builder workers(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("workers must be positive: " + count);
      }
      this.workers = count;
      return this;
    }

    /**
     * Time between polls of a repository, and between a reconciler's looks at whether a drift check
     * or a retry is due. Positive.
     *
     * @param value the interval
     * @return this builder
     */
    public Builder interval(Duration value) {
      this.interval = Delays.positive(value, "interval");
      return this;
    }

    /**
     * Spread of every delay, as {@link PullAgent.Builder#jitter}.
     *
     * @param fraction in {@code [0, 1)}
     * @return this builder
     */
    public Builder jitter(double fraction) {
      this.jitter = Delays.jitter(fraction);
      return this;
    }

    /**
     * How often each reconciler plans against its target even when its files did not change.
     *
     * @param value positive
     * @return this builder
     */
    public Builder driftInterval(Duration value) {
      this.driftInterval = Delays.positive(value, "driftInterval");
      return this;
    }

    /**
     * Repair drift (true) or only report it (false).
     *
     * @param on true to repair
     * @return this builder
     */
    public Builder selfHeal(boolean on) {
      this.selfHeal = on;
      return this;
    }

    /**
     * Delay after a reconciler's (or a repository's) first failure, doubling up to {@code cap}.
     *
     * @param base the first delay
     * @param cap the longest delay
     * @return this builder
     */
    public Builder backoff(Duration base, Duration cap) {
      this.backoffCap = Delays.backoff(base, cap);
      this.backoffBase = base;
      return this;
    }

    /**
     * Tells every reconciler's drift-check due times and next-run times. Default: each one's own.
     *
     * @param value the clock
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Seeds the jitter of every reconciler and repository.
     *
     * @param value the random
     * @return this builder
     */
    public Builder random(Random value) {
      this.random = Objects.requireNonNull(value, "random");
      return this;
    }

    /**
     * Which reconcilers this replica runs, asked before every run; the others report
     * {@code Ready=false}, reason {@code NotOwned}, and are asked again an interval later.
     *
     * @param owns true for a reconciler's name that this replica owns now; fast (no remote call)
     * @return this builder
     */
    public Builder shard(Predicate<String> owns) {
      this.owns = Objects.requireNonNull(owns, "owns");
      return this;
    }

    /**
     * Runs the workers; the caller owns it (the fleet never shuts it down). Default: a private pool
     * of {@link #workers} daemon threads.
     *
     * @param value the executor
     * @return this builder
     */
    public Builder executor(Executor value) {
      this.executor = Objects.requireNonNull(value, "executor");
      return this;
    }

    /**
     * Times runs, polls and run deadlines (its tasks only queue work); the caller owns it. Every
     * run arms a deadline and cancels it: a {@code ScheduledThreadPoolExecutor} should
     * {@code setRemoveOnCancelPolicy(true)}. Default: a private daemon thread that does.
     *
     * @param value the scheduler
     * @return this builder
     */
    public Builder scheduler(ScheduledExecutorService value) {
      this.scheduler = Objects.requireNonNull(value, "scheduler");
      return this;
    }

    /** {@return a new fleet, not started yet; add reconcilers and call {@link Fleet#start()}} */
    public Fleet build() {
      return new Fleet(new FleetSettings(workers, interval, jitter, driftInterval, selfHeal, backoffBase,
          backoffCap, clock, random, owns, executor, scheduler, lockTargets, runTimeout));
    }
  }
}
