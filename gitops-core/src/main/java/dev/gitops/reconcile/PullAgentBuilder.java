package dev.gitops.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Builds a {@link PullAgent}; get one from {@link PullAgent#builder(Reconciler)}. Not thread-safe.
 *
 * <p>Defaults: interval one minute, jitter 0.1, drift check every ten minutes, self-heal on, backoff
 * from five seconds doubling up to five minutes, a private single-thread scheduler (shut down on
 * stop), the reconciler's clock, an unseeded {@link Random}.
 */
public final class PullAgentBuilder {
  final Reconciler reconciler;
  Duration interval = Duration.ofMinutes(1);
  double jitter = 0.1;
  Duration driftInterval = Duration.ofMinutes(10);
  boolean selfHeal = true;
  Duration backoffBase = Duration.ofSeconds(5);
  Duration backoffCap = Duration.ofMinutes(5);
  ScheduledExecutorService scheduler;
  Clock clock;
  Random random = new Random();

  PullAgentBuilder(Reconciler reconciler) {
    this.reconciler = reconciler;
  }

  /** Time between runs when nothing fails. Positive. */
  public PullAgentBuilder interval(Duration value) {
    this.interval = positive(value, "interval");
    return this;
  }

  /**
   * Spread of every delay, a fraction in {@code [0, 1)}: a delay {@code d} becomes uniform in
   * {@code [d * (1 - f), d * (1 + f)]} (backoff never past its cap), so that many agents do not
   * poll in step.
   */
  public PullAgentBuilder jitter(double fraction) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("jitter must be in [0, 1): " + fraction);
    }
    this.jitter = fraction;
    return this;
  }

  /** How often to plan against the target even when the revision is unchanged. Positive. */
  public PullAgentBuilder driftInterval(Duration value) {
    this.driftInterval = positive(value, "driftInterval");
    return this;
  }

  /** Repair drift (true) or only report it (false). */
  public PullAgentBuilder selfHeal(boolean on) {
    this.selfHeal = on;
    return this;
  }

  /** Delay after the first failure, doubling with each further one up to {@code cap}. */
  public PullAgentBuilder backoff(Duration base, Duration cap) {
    positive(base, "backoff base");
    positive(cap, "backoff cap");
    if (cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("backoff cap " + cap + " is shorter than its base " + base);
    }
    this.backoffBase = base;
    this.backoffCap = cap;
    return this;
  }

  /** Runs the agent's work; the caller owns it (the agent never shuts it down). */
  public PullAgentBuilder scheduler(ScheduledExecutorService value) {
    this.scheduler = Objects.requireNonNull(value, "scheduler");
    return this;
  }

  /** Tells drift-check due times and next-run times. Default: the reconciler's clock. */
  public PullAgentBuilder clock(Clock value) {
    this.clock = Objects.requireNonNull(value, "clock");
    return this;
  }

  /** Source of jitter. */
  public PullAgentBuilder random(Random value) {
    this.random = Objects.requireNonNull(value, "random");
    return this;
  }

  /** Builds a stopped agent; call {@link PullAgent#start()}. */
  public PullAgent build() {
    return new PullAgent(this);
  }

  private static Duration positive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + d);
    }
    return d;
  }
}
