package dev.gitops.model;

import static java.util.Objects.requireNonNullElse;

/**
 * Where a desired resource was declared: a file of the snapshot and a 1-based line.
 *
 * @param file path of the file inside the snapshot, {@code ""} when unknown
 * @param line 1-based line of the resource's first line, {@code 0} when unknown
 */
public record Origin(String file, int line) {
  /** An origin for resources that were not read from a file (built in code, read from a target). */
  public static final Origin UNKNOWN = new Origin("", 0);

  /**
   * Validates; a null file becomes {@code ""}.
   *
   * @param file path of the file inside the snapshot; null or {@code ""} when unknown
   * @param line 1-based line, {@code 0} when unknown; negative throws
   *     {@link IllegalArgumentException}
   */
  public Origin {
    file = requireNonNullElse(file, "");
    if (line < 0) {
      throw new IllegalArgumentException("line must not be negative: " + line);
    }
  }

  /** {@code file:line}, the file {@linkplain ResourceId#escape(String) escaped}; or {@code <unknown>}. */
  @Override
  public String toString() {
    return file.isEmpty() ? "<unknown>" : ResourceId.escape(file) + ":" + line;
  }
}
