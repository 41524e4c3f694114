package dev.gitops.reconcile;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Laws of the pull agent's timing: backoff grows, never passes its cap, and jitter stays in bounds. */
class BackoffProperties {

  private static Delays delays(int baseMs, int capFactor, int jitterPercent, long seed) {
    Duration base = Duration.ofMillis(baseMs);
    return new Delays(Duration.ofSeconds(60), jitterPercent / 100.0, base,
        base.multipliedBy(capFactor), new Random(seed));
  }

  @Test
  void backoffNeverPassesItsCapNorFallsBelowItsJitteredExponentialFloor() {
    qt().withExamples(1000).forAll(integers().between(1, 10_000), integers().between(1, 64),
        integers().between(1, 80), integers().between(0, 99)).check((baseMs, capFactor, n, jitter) -> {
          Delays d = delays(baseMs, capFactor, jitter, baseMs * 31L + n);
          Duration cap = Duration.ofMillis(baseMs).multipliedBy(capFactor);
          Duration exact = n > 40 ? cap : min(Duration.ofMillis(baseMs).multipliedBy(1L << (n - 1)), cap);
          Duration floor = Duration.ofNanos((long) Math.floor(exact.toNanos() * (1 - jitter / 100.0)) - 1);
          Duration got = d.afterFailures(n);
          return got.compareTo(cap) <= 0 && got.compareTo(floor) >= 0;
        });
  }

  @Test
  void withoutJitterBackoffDoublesUntilTheCapAndStaysThere() {
    qt().withExamples(1000).forAll(integers().between(1, 10_000), integers().between(1, 64),
        integers().between(1, 80)).check((baseMs, capFactor, n) -> {
          Delays d = delays(baseMs, capFactor, 0, 1);
          Duration cap = Duration.ofMillis(baseMs).multipliedBy(capFactor);
          Duration now = d.afterFailures(n);
          Duration next = d.afterFailures(n + 1);
          boolean doubles = next.equals(min(now.multipliedBy(2), cap));
          return doubles && (n == 1 ? now.equals(Duration.ofMillis(baseMs)) : true);
        });
  }

  @Test
  void theIntervalIsSpreadWithinTheJitterFraction() {
    qt().withExamples(1000).forAll(integers().between(0, 99), integers().between(0, 1_000_000))
        .check((jitter, seed) -> {
          Duration got = delays(100, 2, jitter, seed).next();
          long nanos = Duration.ofSeconds(60).toNanos();
          double f = jitter / 100.0;
          return got.toNanos() >= Math.floor(nanos * (1 - f)) - 1 && got.toNanos() <= Math.ceil(nanos * (1 + f)) + 1;
        });
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
