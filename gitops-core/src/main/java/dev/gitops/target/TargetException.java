package dev.gitops.target;

import dev.gitops.GitOpsException;
import dev.gitops.model.ResourceId;
import java.time.Duration;
import java.util.Optional;

/**
 * A target failed to read or write. Carries the resource concerned (null for whole-target failures
 * such as a lost connection), whether retrying may help and, when the target said so, how long to
 * wait before trying again (an HTTP {@code Retry-After}).
 */
public class TargetException extends GitOpsException {
  private static final long serialVersionUID = 1L;
  /** The resource concerned, or null. */
  private final ResourceId id;
  /** True when the same call may succeed later. */
  private final boolean retryable;
  /** How long the target asked to wait before the same call, or null. */
  private final Duration retryAfter;

  /**
   * A target failure; the message is prefixed with the id when there is one.
   *
   * @param id the resource concerned, or null
   * @param message where and what
   * @param retryable true when the same call may succeed later (timeouts, conflicts, 5xx)
   * @param cause the underlying failure, or null
   */
  public TargetException(ResourceId id, String message, boolean retryable, Throwable cause) {
    this(id, message, retryable, null, cause);
  }

  /**
   * A target failure after which the target asked to wait before the same call is made again (an
   * HTTP 429 or 503 with {@code Retry-After}); the message is prefixed with the id when there is one.
   *
   * @param id the resource concerned, or null
   * @param message where and what
   * @param retryable true when the same call may succeed later
   * @param retryAfter how long the target asked to wait; null, zero or negative when it did not ask
   * @param cause the underlying failure, or null
   */
  public TargetException(ResourceId id, String message, boolean retryable, Duration retryAfter,
                         Throwable cause) {
    super(id == null ? message : id + ": " + message, cause);
    this.id = id;
    this.retryable = retryable;
    this.retryAfter = retryAfter == null || retryAfter.isNegative() || retryAfter.isZero() ? null : retryAfter;
  }

  /**
   * A failure that retrying will not fix.
   *
   * @param id the resource concerned, or null for a whole-target failure
   * @param message where and what; prefixed with the id in {@link #getMessage()}
   */
  public TargetException(ResourceId id, String message) {
    this(id, message, false, null);
  }

  /** {@return the resource concerned, or null for a whole-target failure} */
  public ResourceId id() {
    return id;
  }

  /** {@return true when the same call may succeed later (timeouts, conflicts, 5xx)} */
  public boolean retryable() {
    return retryable;
  }

  /**
   * {@return how long the target asked to wait before the same call is made again; empty when it
   * did not ask} The applier waits at least this long before a retry, and does not retry when it is
   * longer than it waits between attempts ({@code ApplyOptions.Retry.maxDelay()}).
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
