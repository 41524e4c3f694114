package dev.gitops.apply;

import dev.gitops.GitOpsException;
import dev.gitops.plan.Action;
import dev.gitops.target.StaleResourceException;
import dev.gitops.target.Target;
import dev.gitops.target.TargetException;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

/**
 * Performs one step against a target, retrying retryable failures with exponential backoff and
 * equal jitter, waiting at least as long as the target asked ({@link TargetException#retryAfter()})
 * and never longer than {@link ApplyOptions.Retry#maxDelay()}: a step whose target asks for a longer
 * wait fails at once, saying so. Never throws: every ending is an {@link Outcome}. Not part of the
 * public API.
 */
final class StepRunner {
  private final Target target;
  private final String owner;
  private final ApplyOptions options;
  private final Random random;

  /** A runner for one apply; {@code random} jitters the delays (thread-safe). */
  public StepRunner(Target target, String owner, ApplyOptions options, Random random) {
    this.target = target;
    this.owner = owner;
    this.options = options;
    this.random = random;
  }

  /** Performs {@code action}: applied, failed (after the last attempt) or skipped as stale. */
  public Outcome perform(Action action) {
    Instant start = options.environment().clock().instant();
    for (int attempt = 1; ; attempt++) {
      try {
        String detail = target.applyWithDetail(action, owner);
        return new Outcome.Applied(action, since(start), detail);
      } catch (StaleResourceException e) {
        return new Outcome.Skipped(action, ApplyReport.STALE + " " + e.getMessage());
      } catch (TargetException e) {
        if (!e.retryable() || attempt >= options.retry().maxAttempts()) {
          return new Outcome.Failed(action, e, since(start));
        }
        Duration asked = e.retryAfter().orElse(Duration.ZERO);
        if (asked.compareTo(options.retry().maxDelay()) > 0) {
          return new Outcome.Failed(action, tooLong(action, e, asked), since(start));
        }
        Duration delay = backoff(attempt);
        delay = asked.compareTo(delay) > 0 ? asked : delay;
        try {
          options.environment().sleeper().sleep(delay);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return new Outcome.Failed(action, new TargetException(action.id(),
              "interrupted while waiting to retry: " + e.getMessage(), false, e), since(start));
        }
      } catch (GitOpsException e) {
        return new Outcome.Failed(action, e, since(start));
      } catch (RuntimeException e) {
        return new Outcome.Failed(action, new TargetException(action.id(), "target "
            + target.describe() + " failed unexpectedly: " + e, false, e), since(start));
      }
    }
  }

  /** The failure of a step whose target asked to wait longer than the applier waits between attempts. */
  private TargetException tooLong(Action action, TargetException e, Duration asked) {
    String said = e.getMessage();
    String prefix = action.id() + ": ";
    return new TargetException(action.id(), (said.startsWith(prefix) ? said.substring(prefix.length()) : said)
        + "; not tried again: the target asked to wait " + seconds(asked) + " before trying again, longer than"
        + " this apply waits between attempts (at most " + seconds(options.retry().maxDelay()) + ")", false, e);
  }

  /** {@code 86400 s}, {@code 0.25 s}. */
  private static String seconds(Duration d) {
    return java.math.BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
  }

  /**
   * The delay before retry number {@code attempt} (from 1): {@code min(cap, base * 2^(attempt-1))},
   * of which the upper half is random.
   */
  public Duration backoff(int attempt) {
    long base = options.retry().baseDelay().toNanos();
    long cap = options.retry().maxDelay().toNanos();
    long delay = base;
    for (int i = 1; i < attempt && delay < cap; i++) {
      delay = delay > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : delay * 2;
    }
    delay = Math.min(delay, cap);
    long half = delay / 2;
    long jitter;
    synchronized (random) {
      jitter = random.nextLong(half + 1);
    }
    return Duration.ofNanos(delay - half + jitter);
  }

  private Duration since(Instant start) {
    Duration took = Duration.between(start, options.environment().clock().instant());
    return took.isNegative() ? Duration.ZERO : took;
  }
}
