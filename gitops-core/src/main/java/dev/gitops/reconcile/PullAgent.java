package dev.gitops.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pull semantics: keeps a target converged to the latest revision of a source, and repairs drift.
 *
 * <p>Each run asks the source for its {@link dev.gitops.source.Source#latest() latest} revision. When
 * it is the one last applied and no drift check is due, the run ends there (one cheap call). Every
 * {@code driftInterval}, even when Git did not change, the agent plans against the target; a
 * non-empty plan is drift, reported to {@link ReconcileListener#driftFound} and, with self-heal on,
 * repaired (off: reported only, the target is not touched). A new revision is always applied. After
 * a failure the next run comes after an exponential backoff, capped; a success resets it.
 *
 * <p>A run that plans holds the target's lock for its reconciler
 * ({@link dev.gitops.target.Target#lockable(String)}), the
 * one {@link PushDeployer} holds, from before the plan until the apply ends, so a pull and a push
 * never mix their writes; while another deployer holds it the run waits ({@code Ready=false},
 * reason {@code Locked}) and is retried after the first backoff step.
 *
 * <p>A run that throws anything, an {@link Error} included, is logged at ERROR, reported in
 * {@link #status()} ({@code Stalled} with the error's class as reason) and to
 * {@link ReconcileListener#failed}, and retried after the backoff. An {@link OutOfMemoryError} stops
 * the agent instead, as loudly ({@code Stalled}, reason {@code OutOfMemoryError}, {@code stopped}).
 *
 * <p>Every run has a deadline ({@linkplain Builder#runTimeout an hour} by default): a run stuck in a
 * call that never returns is reported ({@code RunTimedOut}), interrupted, and told to the listener,
 * and the next run waits for the stuck thread to return.
 *
 * <p>Runs are never concurrent: a {@link #triggerNow()} during a run makes the next run start as soon
 * as this one ends. {@link #stop()} lets the current apply finish its current step, skips the rest
 * (when the applier supports cancellation) and schedules nothing more. Thread-safe.
 */
public final class PullAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PullAgent.class);

  private final Reconciler reconciler;
  private final AgentLoop loop;

  private PullAgent(Builder b) {
    this.reconciler = b.reconciler;
    this.loop = new AgentLoop(reconciler, b.scheduler, b.clock == null ? reconciler.clock() : b.clock, b.runTimeout,
        b.driftInterval, b.selfHeal, new Delays(b.interval, b.jitter, b.backoffBase, b.backoffCap, b.random));
  }

  /**
   * A builder for an agent driving {@code reconciler}.
   *
   * @param reconciler what each run reconciles; not null
   * @return a builder with every option at its default
   */
  public static Builder builder(Reconciler reconciler) {
    return new Builder(Objects.requireNonNull(reconciler, "reconciler"));
  }

  /**
   * An agent with every default but the interval: {@code builder(reconciler).interval(interval).build()}.
   *
   * @param interval time between the end of one run and the start of the next, before jitter
   * @param reconciler what each run reconciles; not null
   * @return the agent, not started yet
   */
  public static PullAgent every(Duration interval, Reconciler reconciler) {
    return builder(reconciler).interval(interval).build();
  }

  /**
   * Starts: the first run is scheduled at once.
   *
   * @return this agent, for {@code PullAgent.every(...).start()}
   * @throws IllegalStateException when started before or stopped
   */
  public PullAgent start() {
    loop.start();
    return this;
  }

  /** Stops scheduling runs until {@link #resume()}; a run in progress finishes. */
  public void suspend() {
    loop.suspend();
  }

  /** Resumes after {@link #suspend()}: a run is scheduled at once. Harmless when not suspended. */
  public void resume() {
    loop.resume();
  }

  /**
   * Asks for a run now (a webhook said Git changed): it plans even when the revision is unchanged.
   * During a run, the next run starts as soon as this one ends.
   *
   * @return false when ignored: not started, suspended or stopped
   */
  public boolean triggerNow() {
    return loop.triggerNow();
  }

  /**
   * Stops: no further run is scheduled, and a run in progress finishes its current step and skips
   * the rest. Returns at once; {@link #awaitTermination} waits for that run (not for one past its
   * {@linkplain Builder#runTimeout deadline}). Harmless when repeated.
   */
  public void stop() {
    loop.stop();
  }

  /**
   * Waits until the agent is stopped and its last run has ended or passed its
   * {@linkplain Builder#runTimeout deadline} (a thread stuck past it is not waited for).
   *
   * @param timeout the longest wait
   * @return true when the agent terminated, false when {@code timeout} passed first
   * @throws InterruptedException when interrupted while waiting
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return loop.awaitTermination(timeout);
  }

  /**
   * {@link #stop()}, then waits up to a minute for the current run to end, or to pass its
   * {@linkplain Builder#runTimeout deadline} (not when called from that run, e.g. by a listener).
   */
  @Override
  public void close() {
    stop();
    if (loop.onRunThread()) {
      return;
    }
    try {
      if (!awaitTermination(Duration.ofMinutes(1))) {
        LOG.warn("agent {}: the current run did not end within a minute of stop", LogText.NONE.escape(reconciler.name()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@return a snapshot of the agent's state now: conditions, last revisions, next run; immutable} */
  public AgentStatus status() {
    return loop.status();
  }

  /** {@code PullAgent[web, Ready (...)]}. */
  @Override
  public String toString() {
    return "PullAgent[" + status() + "]";
  }

  /**
   * Builds a {@link PullAgent}; get one from {@link PullAgent#builder(Reconciler)}. Not thread-safe.
   *
   * <p>Defaults: interval one minute, jitter 0.1, drift check every ten minutes, self-heal on,
   * backoff from five seconds doubling up to five minutes, a run timed out after an hour, private
   * daemon threads (shut down on stop), the reconciler's clock, an unseeded {@link Random}.
   */
  public static final class Builder {
    private final Reconciler reconciler;
    private Duration interval = Duration.ofMinutes(1);
    private double jitter = 0.1;
    private Duration driftInterval = Duration.ofMinutes(10);
    private boolean selfHeal = true;
    private Duration backoffBase = Duration.ofSeconds(5);
    private Duration backoffCap = Duration.ofMinutes(5);
    private ScheduledExecutorService scheduler;
    private Clock clock;
    private Random random = new Random();
    private Duration runTimeout = RunDeadlines.DEFAULT_TIMEOUT;

    private Builder(Reconciler reconciler) {
      this.reconciler = reconciler;
    }

    /**
     * Time between runs when nothing fails. Positive.
     *
     * @param value the interval
     * @return this builder
     */
    public Builder interval(Duration value) {
      this.interval = Delays.positive(value, "interval");
      return this;
    }

    /**
     * Spread of every delay, a fraction in {@code [0, 1)}: a delay {@code d} becomes uniform in
     * {@code [d * (1 - f), d * (1 + f)]} (backoff never past its cap), so that many agents do not
     * poll in step.
     *
     * @param fraction the spread
     * @return this builder
     */
    public Builder jitter(double fraction) {
      this.jitter = Delays.jitter(fraction);
      return this;
    }

    /**
     * How often to plan against the target even when the revision is unchanged. Positive.
     *
     * @param value the drift-check interval
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
     * Delay after the first failure, doubling with each further one up to {@code cap}.
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
     * The longest one run may take, default an hour, as {@link Fleet.Builder#runTimeout}: a call into
     * a target, loader, listener or source that never returns must not hold the agent for ever. A
     * run past it is reported failed, reason {@code RunTimedOut}, naming the deadline and the phase,
     * and retried after the backoff; its thread is interrupted (the engine's own waits end, no
     * further step starts) and what it does when it returns is not recorded. The listener's
     * {@link ReconcileListener#failed} hears a {@link RunTimedOutException} once, on a thread of the
     * agent (never the one timing the deadline). Runs are never concurrent: while the stuck thread
     * has not returned, the next run waits ({@code Ready=false}, reason
     * {@code PreviousRunInProgress}), and the stuck run still holds the target's lock.
     * {@link PullAgent#stop()}, {@link PullAgent#close()} and {@link PullAgent#awaitTermination} do
     * not wait for a thread stuck past its deadline. With a caller's {@linkplain #scheduler
     * scheduler}, deadlines and the listener's news are its tasks: a single-thread scheduler whose
     * thread is stuck in a run cannot time that run out (give it two threads).
     *
     * @param value positive
     * @return this builder
     */
    public Builder runTimeout(Duration value) {
      this.runTimeout = Delays.positive(value, "runTimeout");
      return this;
    }

    /**
     * Runs the agent's work, its run deadlines included; the caller owns it (the agent never shuts it
     * down). Every run arms a deadline and cancels it: a {@code ScheduledThreadPoolExecutor} should
     * {@code setRemoveOnCancelPolicy(true)}.
     *
     * @param value the scheduler
     * @return this builder
     */
    public Builder scheduler(ScheduledExecutorService value) {
      this.scheduler = Objects.requireNonNull(value, "scheduler");
      return this;
    }

    /**
     * Tells drift-check due times and next-run times. Default: the reconciler's clock.
     *
     * @param value the clock
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Source of jitter.
     *
     * @param value the random
     * @return this builder
     */
    public Builder random(Random value) {
      this.random = Objects.requireNonNull(value, "random");
      return this;
    }

    /** {@return a new agent, not started yet; call {@link PullAgent#start()}} */
    public PullAgent build() {
      return new PullAgent(this);
    }
  }
}
