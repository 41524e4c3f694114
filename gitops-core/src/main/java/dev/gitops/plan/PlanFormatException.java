package dev.gitops.plan;

import dev.gitops.GitOpsException;
import dev.gitops.model.ResourceId;

/**
 * A plan's JSON cannot be read: not JSON, an unknown {@code format_version}, or a field missing or
 * malformed. The message names the field. What it quotes from the file is the file's text, so its
 * control characters and direction overrides are printed escaped as {@link ResourceId#escape}
 * escapes them (a backslash stays as it is: parts escaped already are not escaped twice).
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
    StringBuilder out = new StringBuilder(message.length());
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      out.append(c == '\\' || Character.isSurrogate(c) ? String.valueOf(c) : ResourceId.escape(String.valueOf(c)));
    }
    return out.toString();
  }
}
