package dev.gitops.reconcile;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * The pull agent's timing policy: a regular interval spread by jitter, and an exponential backoff
 * after failures, capped. Not part of the public API. Not thread-safe (the random is shared).
 */
final class Delays {
  private final Duration interval;
  private final double jitter;
  private final Duration base;
  private final Duration cap;
  private final Random random;

  /**
   * @param interval delay between successful runs
   * @param jitter fraction in {@code [0, 1)}: a delay {@code d} becomes uniform in
   *     {@code [d * (1 - jitter), d * (1 + jitter)]}
   * @param base first delay after a failure
   * @param cap longest delay after failures
   * @param random source of jitter
   */
  public Delays(Duration interval, double jitter, Duration base, Duration cap, Random random) {
    this.interval = positive(interval, "interval");
    this.jitter = jitter(jitter);
    this.base = base;
    this.cap = backoff(base, cap);
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * {@code fraction} when it is a jitter, in {@code [0, 1)}.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static double jitter(double fraction) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("jitter must be in [0, 1): " + fraction);
    }
    return fraction;
  }

  /**
   * {@code cap}, when {@code base} and {@code cap} are positive and {@code cap} is not shorter.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static Duration backoff(Duration base, Duration cap) {
    positive(base, "backoff base");
    positive(cap, "backoff cap");
    if (cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("backoff cap " + cap + " is shorter than its base " + base);
    }
    return cap;
  }

  /** The delay before the next run after a success (or a skip). */
  public Duration next() {
    return spread(interval);
  }

  /**
   * The delay after {@code failures} consecutive failures ({@code >= 1}): {@code base * 2^(n-1)},
   * spread by jitter, never over the cap.
   */
  public Duration afterFailures(int failures) {
    if (failures < 1) {
      throw new IllegalArgumentException("failures must be at least 1: " + failures);
    }
    Duration d = base;
    for (int i = 1; i < failures && d.compareTo(cap) < 0; i++) {
      d = d.multipliedBy(2);
    }
    Duration spread = spread(d.compareTo(cap) > 0 ? cap : d);
    return spread.compareTo(cap) > 0 ? cap : spread;
  }

  /**
   * {@code due}, made later by up to {@code jitter} of {@code over}: the time to wait for something
   * due in {@code due}, never early, spread so that many waits do not end in step.
   */
  public Duration notBefore(Duration due, Duration over) {
    return jitter == 0 ? due : due.plus(Duration.ofNanos(Math.round(over.toNanos() * jitter * random.nextDouble())));
  }

  private Duration spread(Duration d) {
    if (jitter == 0) {
      return d;
    }
    double factor = 1 + jitter * (2 * random.nextDouble() - 1);
    return Duration.ofNanos(Math.round(d.toNanos() * factor));
  }

  /**
   * {@code d} when it is positive.
   *
   * @throws IllegalArgumentException otherwise, naming {@code what}
   */
  public static Duration positive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + d);
    }
    return d;
  }
}
