package dev.gitops.apply;

import dev.gitops.testing.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A clock that only moves when the sleeper "sleeps", recording every sleep. Thread-safe. */
final class FakeTime {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<Duration> sleeps = new ArrayList<>();

  /** Sleeps by moving the clock. */
  final ApplyOptions.Sleeper sleeper = d -> {
    synchronized (this) {
      sleeps.add(d);
      clock.advance(d);
    }
  };

  synchronized List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  /** Options using this time, one step at a time, seed 42. */
  ApplyOptions options() {
    return ApplyOptions.defaults().withClock(clock).withSleeper(sleeper).withJitterSeed(42).withParallelism(1);
  }
}
