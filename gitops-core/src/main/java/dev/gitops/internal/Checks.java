package dev.gitops.internal;

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
}
