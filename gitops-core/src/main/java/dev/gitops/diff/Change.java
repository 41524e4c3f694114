package dev.gitops.diff;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.internal.Printable;
import dev.gitops.model.ResourceId;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One difference between actual and desired at a JSON-pointer path.
 *
 * <p>For trees, {@code path} points into the object ({@code /spec/replicas}); for files it is
 * {@code /content} or {@code /mode}. {@code before} is absent for {@link Op#ADD}, {@code after} for
 * {@link Op#REMOVE}. A sensitive change (a Secret's value) is rendered as {@code *** (changed)} by
 * every renderer and by {@link #toString()}; its values are only for applying. {@link #toString()}
 * also never prints a file's text: a textual value at {@code /content} shows as its length
 * ({@code (120 chars)}); a binary file's {@code sha256:} digest (and a large file's {@code sha256:<hex>, <n> bytes}) is shown as it is.
 *
 * @param op what happens at the path
 * @param path RFC 6901 JSON pointer
 * @param before the actual value, null for ADD
 * @param after the desired value, null for REMOVE
 * @param sensitive true when values must never be printed
 */
public record Change(Op op, String path, JsonNode before, JsonNode after, boolean sensitive) {
  private static final String CONTENT = "/content";
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}(, [0-9]+ bytes)?");

  /** RFC 6902 operation names. */
  public enum Op {
    /** The path exists only on the desired side. */
    ADD,
    /** The path exists only on the actual side. */
    REMOVE,
    /** The path holds different values on the two sides. */
    REPLACE
  }

  /**
   * Validates.
   *
   * @param op what happens at the path; not null
   * @param path RFC 6901 JSON pointer, {@code ""} for the whole tree; not null
   * @param before the actual value, null for {@link Op#ADD}
   * @param after the desired value, null for {@link Op#REMOVE}
   * @param sensitive true when values must never be printed
   */
  public Change {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(path, "path");
  }

  /**
   * {@code ~ /spec/replicas: 2 -> 3}; sensitive values masked, a file's text at {@code /content}
   * shown by its length only. The path prints {@linkplain ResourceId#escape(String) escaped} as every
   * name does, and a character of a value that prints nothing or moves text escaped too.
   */
  @Override
  public String toString() {
    String shown = ResourceId.escape(path);
    String sign = switch (op) {
      case ADD -> "+";
      case REMOVE -> "-";
      case REPLACE -> "~";
    };
    if (sensitive) {
      return sign + " " + shown + ": *** (changed)";
    }
    return switch (op) {
      case ADD -> sign + " " + shown + ": " + show(after);
      case REMOVE -> sign + " " + shown + ": " + show(before);
      case REPLACE -> sign + " " + shown + ": " + show(before) + " -> " + show(after);
    };
  }

  private String show(JsonNode value) {
    if (CONTENT.equals(path) && value != null && value.isTextual() && !DIGEST.matcher(value.asText()).matches()) {
      return "(" + value.asText().length() + " chars)";
    }
    return Printable.escapeHidden(String.valueOf(value));
  }
}
