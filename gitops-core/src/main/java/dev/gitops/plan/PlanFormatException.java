package dev.gitops.plan;

import dev.gitops.GitOpsException;
import dev.gitops.internal.Printable;
import dev.gitops.model.ResourceId;

/**
 * A plan's JSON cannot be read: not JSON, an unknown {@code format_version}, or a field missing or
 * malformed. The message names the field. What it quotes from the file is the file's text, so every
 * character that {@link ResourceId#escape} escapes (controls, direction overrides, zero-width and
 * other invisible characters) is printed escaped the same way, but a backslash stays as it is: parts
 * escaped already are not escaped twice.
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
   * @param cause the parser's failure (usually Jackson's), kept as the cause
   */
  public PlanFormatException(String message, Throwable cause) {
    super(printable(message), cause);
  }

  private static String printable(String message) {
    if (message == null) {
      return null;
    }
    return Printable.escapeHidden(message.replace("\t", "\\t"));
  }
}
