package dev.gitops.target;

import java.util.Objects;

/**
 * A target's verdict on one applied resource.
 *
 * @param status the verdict
 * @param message what it is waiting for or what is wrong, {@code ""} when healthy
 */
public record Health(Status status, String message) {
  /** Verdicts. */
  public enum Status {
    /** Ready. */
    HEALTHY,
    /** Not ready yet; worth waiting for. */
    PROGRESSING,
    /** Failed; waiting will not help. */
    DEGRADED,
    /** The target cannot tell. Treated as healthy by the applier. */
    UNKNOWN
  }

  /** A healthy verdict. */
  public static final Health HEALTHY = new Health(Status.HEALTHY, "");

  /** Validates. */
  public Health {
    Objects.requireNonNull(status, "status");
    message = Objects.requireNonNullElse(message, "");
  }

  /** A progressing verdict: what is awaited. */
  public static Health progressing(String message) {
    return new Health(Status.PROGRESSING, message);
  }

  /** A degraded verdict: what is wrong. */
  public static Health degraded(String message) {
    return new Health(Status.DEGRADED, message);
  }

  @Override
  public String toString() {
    return status.name().toLowerCase(java.util.Locale.ROOT) + (message.isEmpty() ? "" : ": " + message);
  }
}
