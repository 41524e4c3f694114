package dev.gitops.apply;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * How the {@link Applier} runs a plan: parallelism within a wave, retries, the health wait between
 * waves, dry run, whether a failed wave stops the rest, and the injectable clock, sleeper, jitter
 * seed, progress listener and executor (so tests run without real sleeps or threads).
 *
 * @param parallelism the most steps of one wave run at once, at least 1
 * @param maxAttempts attempts per step for retryable failures, at least 1 (1: no retry)
 * @param baseDelay delay before the first retry; doubles each retry, with jitter
 * @param maxDelay cap on the delay between retries
 * @param healthTimeout how long to wait for a wave's resources to become healthy
 * @param healthPollInterval how long to sleep between health polls
 * @param dryRun write nothing: every change is reported skipped ({@code dry run})
 * @param continueOnFailure run later waves even when a wave failed
 * @param clock measures timings and the health timeout
 * @param sleeper waits between retries and health polls
 * @param jitterSeed seed of the {@link java.util.Random} that jitters retry delays
 * @param progress told of every outcome as it happens, one call at a time, from any thread;
 *     a step whose resource then fails its health check is reported again as failed
 * @param executor runs a wave's steps in parallel; null to have each apply create its own and shut
 *     it down (an injected executor is never shut down by the applier)
 */
public record ApplyOptions(int parallelism, int maxAttempts, Duration baseDelay, Duration maxDelay,
                           Duration healthTimeout, Duration healthPollInterval, boolean dryRun,
                           boolean continueOnFailure, Clock clock, Sleeper sleeper, long jitterSeed,
                           Consumer<Outcome> progress, ExecutorService executor) {

  /** Waits for a duration; {@link #REAL} sleeps the calling thread. Tests pass a fake. */
  @FunctionalInterface
  public interface Sleeper {
    /** Sleeps the real thread. */
    Sleeper REAL = d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);

    /**
     * Waits for {@code duration}.
     *
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    void sleep(Duration duration) throws InterruptedException;
  }

  /** Validates. */
  public ApplyOptions {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
    notNegative(baseDelay, "baseDelay");
    notNegative(maxDelay, "maxDelay");
    notNegative(healthTimeout, "healthTimeout");
    notNegative(healthPollInterval, "healthPollInterval");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(sleeper, "sleeper");
    Objects.requireNonNull(progress, "progress");
  }

  /**
   * 4 steps at once; 5 attempts, 200 ms doubling to at most 10 s; health awaited up to 5 minutes,
   * polled every 2 s; writes on; a failed wave stops the rest; system clock, real sleeps, a seed
   * from {@link System#nanoTime()}, no progress listener, an executor per apply.
   */
  public static ApplyOptions defaults() {
    return new ApplyOptions(4, 5, Duration.ofMillis(200), Duration.ofSeconds(10),
        Duration.ofMinutes(5), Duration.ofSeconds(2), false, false, Clock.systemUTC(), Sleeper.REAL,
        System.nanoTime(), o -> { }, null);
  }

  /** With another parallelism. */
  public ApplyOptions withParallelism(int steps) {
    return new ApplyOptions(steps, maxAttempts, baseDelay, maxDelay, healthTimeout,
        healthPollInterval, dryRun, continueOnFailure, clock, sleeper, jitterSeed, progress, executor);
  }

  /** With another retry policy: attempts per step, first delay, cap. */
  public ApplyOptions withRetry(int attempts, Duration base, Duration cap) {
    return new ApplyOptions(parallelism, attempts, base, cap, healthTimeout,
        healthPollInterval, dryRun, continueOnFailure, clock, sleeper, jitterSeed, progress, executor);
  }

  /** With another health wait: timeout and poll interval. */
  public ApplyOptions withHealthWait(Duration timeout, Duration pollInterval) {
    return new ApplyOptions(parallelism, maxAttempts, baseDelay, maxDelay, timeout,
        pollInterval, dryRun, continueOnFailure, clock, sleeper, jitterSeed, progress, executor);
  }

  /** With dry run on or off. */
  public ApplyOptions withDryRun(boolean on) {
    return new ApplyOptions(parallelism, maxAttempts, baseDelay, maxDelay, healthTimeout,
        healthPollInterval, on, continueOnFailure, clock, sleeper, jitterSeed, progress, executor);
  }

  /** With later waves run (or not) after a failed wave. */
  public ApplyOptions withContinueOnFailure(boolean on) {
    return new ApplyOptions(parallelism, maxAttempts, baseDelay, maxDelay, healthTimeout,
        healthPollInterval, dryRun, on, clock, sleeper, jitterSeed, progress, executor);
  }

  /** With another clock. */
  public ApplyOptions withClock(Clock newClock) {
    return new ApplyOptions(parallelism, maxAttempts, baseDelay, maxDelay, healthTimeout,
        healthPollInterval, dryRun, continueOnFailure, newClock, sleeper, jitterSeed, progress, executor);
  }

  /** With another sleeper. */
  public ApplyOptions withSleeper(Sleeper newSleeper) {
    return new ApplyOptions(parallelism, maxAttempts, baseDelay, maxDelay, healthTimeout,
        healthPollInterval, dryRun, continueOnFailure, clock, newSleeper, jitterSeed, progress, executor);
  }

  /** With a fixed jitter seed (repeatable retry delays). */
  public ApplyOptions withJitterSeed(long seed) {
    return new ApplyOptions(parallelism, maxAttempts, baseDelay, maxDelay, healthTimeout,
        healthPollInterval, dryRun, continueOnFailure, clock, sleeper, seed, progress, executor);
  }

  /** With a progress listener, told of every outcome as it happens. */
  public ApplyOptions withProgress(Consumer<Outcome> newProgress) {
    return new ApplyOptions(parallelism, maxAttempts, baseDelay, maxDelay, healthTimeout,
        healthPollInterval, dryRun, continueOnFailure, clock, sleeper, jitterSeed, newProgress, executor);
  }

  /** With an executor the applier uses and never shuts down; null for one per apply. */
  public ApplyOptions withExecutor(ExecutorService newExecutor) {
    return new ApplyOptions(parallelism, maxAttempts, baseDelay, maxDelay, healthTimeout,
        healthPollInterval, dryRun, continueOnFailure, clock, sleeper, jitterSeed, progress, newExecutor);
  }

  private static void notNegative(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative: " + d);
    }
  }
}
