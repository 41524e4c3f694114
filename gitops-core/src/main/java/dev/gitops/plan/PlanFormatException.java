package dev.gitops.plan;

import dev.gitops.GitOpsException;
import dev.gitops.internal.LoggedThrowable;
import dev.gitops.internal.Printable;
import dev.gitops.model.ResourceId;

/**
 * A plan's JSON cannot be read: not JSON, an unknown {@code format_version}, or a field missing or
 * malformed. The message names the field. What it quotes from the file is the file's text, so every
 * character that {@link ResourceId#escape} escapes (controls, direction overrides, zero-width and
 * other invisible characters) is printed escaped the same way, but a backslash stays as it is: parts
 * escaped already are not escaped twice. Its cause, the parser's failure, prints escaped too.
 */
public class PlanFormatException extends GitOpsException {
  private static final long serialVersionUID = 1L;

  /**
   * A malformed plan.
   *
   * @param message what is wrong, naming the field
   */
  public PlanFormatException(String message) {
    super(printable(message));
  }

  /**
   * A malformed plan whose reading failed in a lower layer.
   *
   * @param message what is wrong, naming the field
   * @param cause the parser's failure (usually Jackson's): kept as a copy with its class name, stack
   *     and causes whose messages print escaped by the same rule (a parser's message quotes the file,
   *     and a stack trace prints every cause's message as it is); null for none
   */
  public PlanFormatException(String message, Throwable cause) {
    super(printable(message), cause == null ? null : LoggedThrowable.of(cause));
  }

  private static String printable(String message) {
    if (message == null) {
      return null;
    }
    return Printable.escapeMessage(message);
  }
}
