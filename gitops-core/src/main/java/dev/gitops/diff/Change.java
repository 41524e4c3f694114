package dev.gitops.diff;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One difference between actual and desired at a JSON-pointer path.
 *
 * <p>For trees, {@code path} points into the object ({@code /spec/replicas}); for files it is
 * {@code /content} or {@code /mode}. {@code before} is absent for {@link Op#ADD}, {@code after} for
 * {@link Op#REMOVE}. A sensitive change (a Secret's value) is rendered as {@code *** (changed)} by
 * every renderer and by {@link #toString()}; its values are only for applying.
 *
 * @param op what happens at the path
 * @param path RFC 6901 JSON pointer
 * @param before the actual value, null for ADD
 * @param after the desired value, null for REMOVE
 * @param sensitive true when values must never be printed
 */
public record Change(Op op, String path, JsonNode before, JsonNode after, boolean sensitive) {
  /** RFC 6902 operation names. */
  public enum Op {
    /** The path exists only on the desired side. */
    ADD,
    /** The path exists only on the actual side. */
    REMOVE,
    /** The path holds different values on the two sides. */
    REPLACE
  }

  /** Validates. */
  public Change {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(path, "path");
  }

  /** {@code ~ /spec/replicas: 2 -> 3}; sensitive values masked. */
  @Override
  public String toString() {
    String sign = switch (op) {
      case ADD -> "+";
      case REMOVE -> "-";
      case REPLACE -> "~";
    };
    if (sensitive) {
      return sign + " " + path + ": *** (changed)";
    }
    return switch (op) {
      case ADD -> sign + " " + path + ": " + after;
      case REMOVE -> sign + " " + path + ": " + before;
      case REPLACE -> sign + " " + path + ": " + before + " -> " + after;
    };
  }
}
