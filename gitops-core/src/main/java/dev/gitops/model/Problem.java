package dev.gitops.model;

import java.util.Comparator;
import java.util.Objects;

/**
 * One thing wrong with the desired state, with where it is: {@code file:line: id: message}.
 *
 * @param file file inside the snapshot ({@code ""} when unknown)
 * @param line 1-based line ({@code 0} when unknown)
 * @param id the resource concerned, or null when the problem is not about one resource
 * @param message what is wrong, for a person
 */
public record Problem(String file, int line, ResourceId id, String message)
    implements Comparable<Problem> {

  private static final Comparator<Problem> ORDER = Comparator.comparing(Problem::file)
      .thenComparingInt(Problem::line)
      .thenComparing(Problem::message);

  /**
   * Validates.
   *
   * @param file file inside the snapshot; null becomes {@code ""} (unknown)
   * @param line 1-based line, {@code 0} when unknown
   * @param id the resource concerned, or null when the problem is not about one resource
   * @param message what is wrong, for a person; not null
   */
  public Problem {
    file = Objects.requireNonNullElse(file, "");
    Objects.requireNonNull(message, "message");
  }

  /**
   * A problem located by an {@link Origin}.
   *
   * @param origin where the offending declaration starts; {@link Origin#UNKNOWN} when not from a
   *     file
   * @param id the resource concerned, or null when the problem is not about one resource
   * @param message what is wrong, for a person; not null
   * @return a problem with the origin's file and line
   */
  public static Problem at(Origin origin, ResourceId id, String message) {
    return new Problem(origin.file(), origin.line(), id, message);
  }

  @Override
  public int compareTo(Problem other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    String where = file.isEmpty() ? "" : ResourceId.escape(file) + ":" + line + ": ";
    return where + (id == null ? "" : id + ": ") + message;
  }
}
