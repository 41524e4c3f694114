package dev.gitops.apply;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * How the {@link Applier} runs a plan: parallelism within a wave, retries, the health wait between
 * waves, dry run, whether a failed wave stops the rest, a progress listener, and the environment it
 * runs on (clock, sleeper, jitter seed, executor: injectable, so tests run without real sleeps or
 * threads). Related settings are grouped in small records that validate themselves.
 *
 * <pre>{@code
 * ApplyOptions options = ApplyOptions.defaults().withParallelism(8)
 *     .withRetry(3, Duration.ofMillis(500), Duration.ofSeconds(5))
 *     .withHealthWait(Duration.ofMinutes(2), Duration.ofSeconds(1));
 * }</pre>
 *
 * @param parallelism the most steps of one wave run at once, at least 1
 * @param retry how retryable failures are retried
 * @param healthWait how long and how often to wait for a wave's resources to become healthy
 * @param dryRun write nothing: every change is reported skipped ({@code dry run})
 * @param continueOnFailure run later waves even when a wave failed
 * @param progress told of every outcome as it happens, one call at a time, from any thread;
 *     a step whose resource then fails its health check is reported again as failed; whatever
 *     it throws (an {@link Error} too, all but {@link OutOfMemoryError}) is logged and ignored
 * @param environment the clock, sleeper, jitter seed and executor the applier runs on
 */
public record ApplyOptions(int parallelism, Retry retry, HealthPoll healthWait, boolean dryRun,
                           boolean continueOnFailure, Consumer<Outcome> progress,
                           Environment environment) {

  /** Waits for a duration; {@link #REAL} sleeps the calling thread. Tests pass a fake. */
  @FunctionalInterface
  public interface Sleeper {
    /** Sleeps the real thread. */
    Sleeper REAL = d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);

    /**
     * Waits for {@code duration}.
     *
     * @param duration how long to wait; zero or positive
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    void sleep(Duration duration) throws InterruptedException;
  }

  /**
   * How a step that failed retryably is retried.
   *
   * @param maxAttempts attempts per step, at least 1 (1: no retry)
   * @param baseDelay delay before the first retry; doubles each retry, with jitter
   * @param maxDelay cap on the delay between retries: a target that asks for a longer wait
   *     ({@link dev.gitops.target.TargetException#retryAfter()}) fails the step at once
   */
  public record Retry(int maxAttempts, Duration baseDelay, Duration maxDelay) {
    /**
     * Validates.
     *
     * @param maxAttempts attempts per step, at least 1
     * @param baseDelay delay before the first retry; not negative
     * @param maxDelay cap on the delay between retries; not negative
     */
    public Retry {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
      }
      notNegative(baseDelay, "baseDelay");
      notNegative(maxDelay, "maxDelay");
    }
  }

  /**
   * How the applier waits, between waves, for what a wave applied to become healthy.
   *
   * @param timeout how long to wait at most
   * @param pollInterval how long to sleep between health polls
   */
  public record HealthPoll(Duration timeout, Duration pollInterval) {
    /**
     * Validates.
     *
     * @param timeout how long to wait at most; not negative ({@code 0}: one poll, no wait)
     * @param pollInterval how long to sleep between health polls; not negative
     */
    public HealthPoll {
      notNegative(timeout, "healthTimeout");
      notNegative(pollInterval, "healthPollInterval");
    }
  }

  /**
   * What the applier runs on.
   *
   * @param clock measures timings and the health timeout
   * @param sleeper waits between retries and health polls
   * @param jitterSeed seed of the {@link java.util.Random} that jitters retry delays
   * @param executor runs a wave's steps in parallel; null to have each apply create its own and
   *     shut it down (an injected executor is never shut down by the applier)
   */
  public record Environment(Clock clock, Sleeper sleeper, long jitterSeed, ExecutorService executor) {
    /**
     * Validates.
     *
     * @param clock measures timings and the health timeout; not null
     * @param sleeper waits between retries and health polls; not null
     * @param jitterSeed seed of the retry jitter
     * @param executor runs a wave's steps; null for one per apply
     */
    public Environment {
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(sleeper, "sleeper");
    }
  }

  /**
   * Validates.
   *
   * @param parallelism the most steps of one wave run at once, at least 1
   * @param retry how retryable failures are retried; not null
   * @param healthWait the health wait between waves; not null
   * @param dryRun write nothing
   * @param continueOnFailure run later waves even when a wave failed
   * @param progress told of every outcome; not null ({@code o -> { }} for none)
   * @param environment clock, sleeper, jitter seed and executor; not null
   */
  public ApplyOptions {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
    }
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(healthWait, "healthWait");
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(environment, "environment");
  }

  /**
   * 4 steps at once; 5 attempts, 200 ms doubling to at most 10 s; health awaited up to 5 minutes,
   * polled every 2 s; writes on; a failed wave stops the rest; no progress listener; system clock,
   * real sleeps, a seed from {@link System#nanoTime()}, an executor per apply.
   *
   * @return the default options
   */
  public static ApplyOptions defaults() {
    return new ApplyOptions(4, new Retry(5, Duration.ofMillis(200), Duration.ofSeconds(10)),
        new HealthPoll(Duration.ofMinutes(5), Duration.ofSeconds(2)), false, false, o -> { },
        new Environment(Clock.systemUTC(), Sleeper.REAL, System.nanoTime(), null));
  }

  /**
   * With another parallelism.
   *
   * @param steps the most steps of one wave run at once
   * @return the new options
   */
  public ApplyOptions withParallelism(int steps) {
    return new ApplyOptions(steps, retry, healthWait, dryRun, continueOnFailure, progress, environment);
  }

  /**
   * With another retry policy.
   *
   * @param attempts attempts per step, at least 1
   * @param base the first delay
   * @param cap the longest delay
   * @return the new options
   */
  public ApplyOptions withRetry(int attempts, Duration base, Duration cap) {
    return new ApplyOptions(parallelism, new Retry(attempts, base, cap), healthWait, dryRun,
        continueOnFailure, progress, environment);
  }

  /**
   * With another health wait.
   *
   * @param timeout how long to wait at most
   * @param pollInterval how long to sleep between polls
   * @return the new options
   */
  public ApplyOptions withHealthWait(Duration timeout, Duration pollInterval) {
    return new ApplyOptions(parallelism, retry, new HealthPoll(timeout, pollInterval), dryRun,
        continueOnFailure, progress, environment);
  }

  /**
   * With dry run on or off.
   *
   * @param on true to write nothing
   * @return the new options
   */
  public ApplyOptions withDryRun(boolean on) {
    return new ApplyOptions(parallelism, retry, healthWait, on, continueOnFailure, progress, environment);
  }

  /**
   * With later waves run (or not) after a failed wave.
   *
   * @param on true to run them
   * @return the new options
   */
  public ApplyOptions withContinueOnFailure(boolean on) {
    return new ApplyOptions(parallelism, retry, healthWait, dryRun, on, progress, environment);
  }

  /**
   * With a progress listener, told of every outcome as it happens.
   *
   * @param newProgress the listener
   * @return the new options
   */
  public ApplyOptions withProgress(Consumer<Outcome> newProgress) {
    return new ApplyOptions(parallelism, retry, healthWait, dryRun, continueOnFailure, newProgress,
        environment);
  }

  /**
   * With another clock.
   *
   * @param newClock measures timings and the health timeout
   * @return the new options
   */
  public ApplyOptions withClock(Clock newClock) {
    Environment e = environment;
    return with(new Environment(newClock, e.sleeper(), e.jitterSeed(), e.executor()));
  }

  /**
   * With another sleeper.
   *
   * @param newSleeper waits between retries and health polls
   * @return the new options
   */
  public ApplyOptions withSleeper(Sleeper newSleeper) {
    Environment e = environment;
    return with(new Environment(e.clock(), newSleeper, e.jitterSeed(), e.executor()));
  }

  /**
   * With a fixed jitter seed (repeatable retry delays).
   *
   * @param seed the seed
   * @return the new options
   */
  public ApplyOptions withJitterSeed(long seed) {
    Environment e = environment;
    return with(new Environment(e.clock(), e.sleeper(), seed, e.executor()));
  }

  /**
   * With an executor the applier uses and never shuts down.
   *
   * @param newExecutor the executor; null for one per apply
   * @return the new options
   */
  public ApplyOptions withExecutor(ExecutorService newExecutor) {
    Environment e = environment;
    return with(new Environment(e.clock(), e.sleeper(), e.jitterSeed(), newExecutor));
  }

  private ApplyOptions with(Environment newEnvironment) {
    return new ApplyOptions(parallelism, retry, healthWait, dryRun, continueOnFailure, progress,
        newEnvironment);
  }

  private static void notNegative(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative: " + d);
    }
  }
}
