package dev.gitops.plan;

import dev.gitops.GitOpsException;

/**
 * A plan's JSON cannot be read: not JSON, an unknown {@code format_version}, or a field missing or
 * malformed. The message names the field.
 */
public class PlanFormatException extends GitOpsException {
  private static final long serialVersionUID = 1L;

  /**
   * A malformed plan.
   *
   * @param message what is wrong, naming the field
   */
  public PlanFormatException(String message) {
    super(message);
  }

  /**
   * A malformed plan whose reading failed in a lower layer.
   *
   * @param message what is wrong, naming the field
   * @param cause the parser's failure (usually Jackson's), kept as the cause
   */
  public PlanFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
