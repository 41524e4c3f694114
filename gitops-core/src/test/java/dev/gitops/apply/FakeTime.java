package dev.gitops.apply;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A clock that only moves when the sleeper "sleeps", recording every sleep. Thread-safe. */
final class FakeTime extends Clock {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final List<Duration> sleeps = new ArrayList<>();

  /** Sleeps by moving the clock. */
  final ApplyOptions.Sleeper sleeper = d -> {
    synchronized (this) {
      sleeps.add(d);
      now = now.plus(d);
    }
  };

  synchronized List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  /** Options using this time, one step at a time, seed 42. */
  ApplyOptions options() {
    return ApplyOptions.defaults().withClock(this).withSleeper(sleeper).withJitterSeed(42)
        .withParallelism(1);
  }

  @Override public ZoneId getZone() { return ZoneOffset.UTC; }

  @Override public Clock withZone(ZoneId zone) { return this; }

  @Override public synchronized Instant instant() { return now; }
}
