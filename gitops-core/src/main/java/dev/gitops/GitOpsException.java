package dev.gitops;

/** Root of every exception the library throws. Unchecked. */
public class GitOpsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what went wrong, and where */
  public GitOpsException(String message) { super(message); }

  /** @param message what went wrong, and where; @param cause the underlying failure, kept */
  public GitOpsException(String message, Throwable cause) { super(message, cause); }
}
