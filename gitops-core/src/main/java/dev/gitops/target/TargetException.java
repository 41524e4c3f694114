package dev.gitops.target;

import dev.gitops.GitOpsException;
import dev.gitops.model.ResourceId;

/**
 * A target failed to read or write. Carries the resource concerned (null for whole-target failures
 * such as a lost connection) and whether retrying may help.
 */
public class TargetException extends GitOpsException {
  private static final long serialVersionUID = 1L;
  /** The resource concerned, or null. */
  private final ResourceId id;
  /** True when the same call may succeed later. */
  private final boolean retryable;

  /**
   * A target failure; the message is prefixed with the id when there is one.
   *
   * @param id the resource concerned, or null
   * @param message where and what
   * @param retryable true when the same call may succeed later (timeouts, conflicts, 5xx)
   * @param cause the underlying failure, or null
   */
  public TargetException(ResourceId id, String message, boolean retryable, Throwable cause) {
    super(id == null ? message : id + ": " + message, cause);
    this.id = id;
    this.retryable = retryable;
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
}
