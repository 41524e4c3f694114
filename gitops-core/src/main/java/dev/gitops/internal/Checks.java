package dev.gitops.internal;

import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by the library's constructors. Not part of the public API. */
public final class Checks {
  private Checks() {}

  /** Returns {@code value} when it is neither null nor blank, else throws naming {@code what}. */
  public static String notBlank(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return value;
  }

  /** Returns {@code value} when it is not negative, else throws naming {@code what}. */
  public static int notNegative(int value, String what) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " must not be negative: " + value);
    }
    return value;
  }

  /**
   * {@code timeout} in whole seconds, rounded up (a timeout below a second is one second, never
   * zero, which JGit and many clients read as "no timeout"); at most {@link Integer#MAX_VALUE}.
   *
   * @throws IllegalArgumentException naming {@code what} when {@code timeout} is zero or negative
   */
  public static int ceilSeconds(Duration timeout, String what) {
    Objects.requireNonNull(timeout, what);
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException(what + " must be positive: " + timeout);
    }
    long seconds = timeout.getSeconds() + (timeout.getNano() > 0 ? 1 : 0);
    return (int) Math.min(Integer.MAX_VALUE, seconds);
  }
}
