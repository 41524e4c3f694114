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

  /**
   * Validates.
   *
   * @param status the verdict; not null
   * @param message what is awaited or wrong; null becomes {@code ""}
   */
  public Health {
    Objects.requireNonNull(status, "status");
    message = Objects.requireNonNullElse(message, "");
  }

  /**
   * A progressing verdict: the applier keeps waiting, up to its health timeout.
   *
   * @param message what is awaited, e.g. {@code 1 of 3 replicas ready}
   * @return the verdict
   */
  public static Health progressing(String message) {
    return new Health(Status.PROGRESSING, message);
  }

  /**
   * A degraded verdict: the applier stops waiting and fails the wave.
   *
   * @param message what is wrong, e.g. {@code ImagePullBackOff}
   * @return the verdict
   */
  public static Health degraded(String message) {
    return new Health(Status.DEGRADED, message);
  }

  @Override
  public String toString() {
    return status.name().toLowerCase(java.util.Locale.ROOT) + (message.isEmpty() ? "" : ": " + message);
  }
}
