package dev.gitops;

/**
 * Root of every exception the library throws. Unchecked: what is expected is a value (a plan, an
 * apply report); an exception means the call could not do its job. Messages say where and what
 * (file, line, resource id) and never carry file contents, Secret values or credentials. Immutable
 * once thrown, like any {@link Throwable}.
 */
public class GitOpsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception without a cause.
   *
   * @param message what went wrong, and where
   */
  public GitOpsException(String message) { super(message); }

  /**
   * An exception wrapping the failure that caused it.
   *
   * @param message what went wrong, and where
   * @param cause the underlying failure, kept; may be null
   */
  public GitOpsException(String message, Throwable cause) { super(message, cause); }
}
