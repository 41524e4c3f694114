package dev.gitops.model;

import dev.gitops.internal.Printable;
import java.util.Comparator;
import java.util.Objects;

/**
 * One thing wrong with the desired state, with where it is: {@code file:line: id: message}.
 *
 * <p>A problem's text is safe to print whoever wrote it: its message is kept with every character
 * that prints nothing, moves the text around it or breaks the line escaped as {@link
 * ResourceId#escape} escapes it ({@code \n}, {@code \t}, {@code \x1b}, <code>&#92;u202e</code>),
 * backslashes left as they are (a message quotes names escaped already, which are not escaped
 * twice); the file prints escaped and the id as {@link ResourceId#toString()} prints it. A parser's
 * words, a server's or a tool's answer may quote what a repository holds: escaping here, where
 * every loader's problem is made, covers each of them and every printer ({@link #toString()},
 * {@link #message()}, an exception's message).
 *
 * @param file file inside the snapshot ({@code ""} when unknown)
 * @param line 1-based line ({@code 0} when unknown)
 * @param id the resource concerned, or null when the problem is not about one resource
 * @param message what is wrong, for a person, its hidden characters escaped
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
   * @param message what is wrong, for a person; not null; kept with its hidden characters escaped
   */
  public Problem {
    file = Objects.requireNonNullElse(file, "");
    message = Printable.escapeMessage(Objects.requireNonNull(message, "message"));
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
