package dev.gitops.source;

import dev.gitops.GitOpsException;

/**
 * A source could not be read: network, authentication, unknown ref, corrupt cache, failed
 * signature verification. The message names the source (credentials masked) and the ref.
 */
public class SourceException extends GitOpsException {
  private static final long serialVersionUID = 1L;

  /**
   * A source failure found by this library (no lower-layer cause).
   *
   * @param message where and what, naming the source (credentials masked) and the ref
   */
  public SourceException(String message) {
    super(message);
  }

  /**
   * A source failure caused by a lower layer, wrapped once at the edge.
   *
   * @param message where and what, naming the source (credentials masked) and the ref
   * @param cause the underlying failure (JGit's, an {@code IOException}), kept
   */
  public SourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
