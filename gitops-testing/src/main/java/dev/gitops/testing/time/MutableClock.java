package dev.gitops.testing.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock in UTC that tests move by hand, or that a {@link VirtualScheduler} moves as it runs tasks.
 * Thread-safe (reads see the latest move).
 */
public final class MutableClock extends Clock {
  private volatile Instant now;

  /** @param start the instant the clock stands at first */
  public MutableClock(Instant start) {
    this.now = start;
  }

  /** @param instant the time the clock moves to (backwards too) */
  public void set(Instant instant) {
    now = instant;
  }

  /** @param d how much time passes */
  public void advance(Duration d) {
    now = now.plus(d);
  }

  @Override public ZoneId getZone() { return ZoneOffset.UTC; }
  @Override public Clock withZone(ZoneId zone) { return this; }
  @Override public Instant instant() { return now; }
}
