package dev.gitops.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>Runs are never concurrent: a {@link #triggerNow()} during a run makes the next run start as soon
 * as this one ends. {@link #stop()} lets the current apply finish its current step, skips the rest
 * (when the applier supports cancellation) and schedules nothing more. Thread-safe.
 */
public final class PullAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PullAgent.class);
  private enum Phase { NEW, STARTED, STOPPED }

  private final Reconciler reconciler;
  private final PullRun run;
  private final AgentSchedule schedule;
  private final ReentrantLock running = new ReentrantLock();
  private final AtomicBoolean cancel = new AtomicBoolean();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final AgentState state;
  private Phase phase = Phase.NEW;
  private boolean suspended;
  private boolean triggered;

  private PullAgent(Builder b) {
    this.reconciler = b.reconciler;
    Clock clock = b.clock == null ? reconciler.clock() : b.clock;
    this.schedule = new AgentSchedule(reconciler.name(), b.scheduler, clock);
    this.state = new AgentState(clock);
    this.run = new PullRun(this, reconciler, state, cancel, clock, b.driftInterval, b.selfHeal,
        new Delays(b.interval, b.jitter, b.backoffBase, b.backoffCap, b.random));
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
  public synchronized PullAgent start() {
    if (phase != Phase.NEW) {
      throw new IllegalStateException("agent " + reconciler.name() + " was already " + phase.name().toLowerCase(java.util.Locale.ROOT));
    }
    phase = Phase.STARTED;
    schedule(Duration.ZERO);
    return this;
  }

  /** Stops scheduling runs until {@link #resume()}; a run in progress finishes. */
  public synchronized void suspend() {
    suspended = true;
    schedule.cancel();
  }

  /** Resumes after {@link #suspend()}: a run is scheduled at once. Harmless when not suspended. */
  public synchronized void resume() {
    if (!suspended) {
      return;
    }
    suspended = false;
    if (!running.isLocked()) {
      schedule(Duration.ZERO);
    }
  }

  /**
   * Asks for a run now (a webhook said Git changed): it plans even when the revision is unchanged.
   * During a run, the next run starts as soon as this one ends.
   *
   * @return false when ignored: not started, suspended or stopped
   */
  public synchronized boolean triggerNow() {
    if (phase != Phase.STARTED || suspended) {
      return false;
    }
    triggered = true;
    if (!running.isLocked()) {
      schedule(Duration.ZERO);
    }
    return true;
  }

  /**
   * Stops: no further run is scheduled, and a run in progress finishes its current step and skips
   * the rest. Returns at once; {@link #awaitTermination} waits for that run. Harmless when repeated.
   */
  public void stop() {
    synchronized (this) {
      if (phase == Phase.STOPPED) {
        return;
      }
      phase = Phase.STOPPED;
      cancel.set(true);
      schedule.cancel();
    }
    if (!running.isHeldByCurrentThread() && running.tryLock()) {
      running.unlock();
      terminated.countDown();
    }
    schedule.shutdown();
  }

  /**
   * Waits until the agent is stopped and its last run has ended.
   *
   * @param timeout the longest wait
   * @return true when the agent terminated, false when {@code timeout} passed first
   * @throws InterruptedException when interrupted while waiting
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * {@link #stop()}, then waits up to a minute for the current run to end (not when called from
   * that run, e.g. by a listener).
   */
  @Override
  public void close() {
    stop();
    if (running.isHeldByCurrentThread()) {
      return;
    }
    try {
      if (!awaitTermination(Duration.ofMinutes(1))) {
        LOG.warn("agent {}: the current run did not end within a minute of stop", reconciler.name());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@return a snapshot of the agent's state now: conditions, last revisions, next run; immutable} */
  public synchronized AgentStatus status() {
    return state.snapshot(reconciler.name(), schedule.nextRun(), suspended, phase == Phase.STOPPED);
  }

  /** One scheduled run; never two at once. */
  private void tick() {
    if (!running.tryLock()) {
      return;
    }
    Duration delay = null;
    try {
      boolean forced;
      synchronized (this) {
        if (phase != Phase.STARTED || suspended) {
          return;
        }
        forced = triggered;
        triggered = false;
        schedule.started();
      }
      delay = run.run(forced);
    } catch (OutOfMemoryError e) {
      delay = null;
      outOfMemory(e);
    } catch (Throwable e) { // an Error (NoClassDefFoundError, StackOverflowError) too: never die silently
      delay = run.unexpected(e);
    } finally {
      running.unlock();
      synchronized (this) {
        if (phase == Phase.STOPPED) {
          terminated.countDown();
        } else if (delay != null) {
          schedule(triggered ? Duration.ZERO : delay);
        }
      }
    }
  }

  /**
   * Stops the agent loudly: after an {@link OutOfMemoryError} the process's state is not to be
   * trusted, so the agent reports it ({@code Stalled}, reason {@code OutOfMemoryError}), tells the
   * listener and schedules nothing more.
   */
  private void outOfMemory(OutOfMemoryError e) {
    synchronized (this) {
      phase = Phase.STOPPED;
      cancel.set(true);
      schedule.cancel();
    }
    run.outOfMemory(e);
    schedule.shutdown();
  }

  /** Schedules the next run after {@code delay}, replacing any scheduled one; holds the monitor. */
  private void schedule(Duration delay) {
    if (phase == Phase.STARTED && !suspended) {
      schedule.schedule(delay, this::tick);
    }
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
   * backoff from five seconds doubling up to five minutes, a private single-thread scheduler (shut
   * down on stop), the reconciler's clock, an unseeded {@link Random}.
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
     * Runs the agent's work; the caller owns it (the agent never shuts it down).
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
