package dev.gitops.k8s.render;

import dev.gitops.GitOpsException;

/**
 * A renderer could not run to the end: its tool is missing or could not be started, it ran past its
 * timeout, or it printed more than its output limit. The message names the tool and what to do. A
 * tool that ran and refused the input (a Kustomize error, a template error) is an
 * {@link dev.gitops.model.InvalidDesiredStateException} instead, naming the file it was run on.
 * Nothing has been applied when either is thrown.
 */
public class RenderException extends GitOpsException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with a message.
   *
   * @param message what failed and what to do
   */
  public RenderException(String message) {
    super(message);
  }

  /**
   * An exception with a message and its cause.
   *
   * @param message what failed and what to do
   * @param cause the I/O failure behind it
   */
  public RenderException(String message, Throwable cause) {
    super(message, cause);
  }
}
