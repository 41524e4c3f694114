package dev.gitops.model;

import dev.gitops.GitOpsException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The desired state cannot be applied: it lists every {@link Problem} found, each with file, line
 * and resource, so that one run shows all of them. Thrown before anything is written.
 */
public class InvalidDesiredStateException extends GitOpsException {
  private static final long serialVersionUID = 1L;
  private final transient List<Problem> problems;

  /**
   * An exception listing {@code problems}; its message has one line per problem, sorted.
   *
   * @param problems every problem found; at least one, else {@link IllegalArgumentException}
   */
  public InvalidDesiredStateException(List<Problem> problems) {
    super(message(problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("no problems");
    }
    this.problems = problems.stream().sorted().toList();
  }

  /** {@return every problem, sorted by file, line and message; never empty} */
  public List<Problem> problems() {
    return problems;
  }

  private static String message(List<Problem> problems) {
    return problems.size() == 1
        ? problems.get(0).toString()
        : problems.size() + " problems in the desired state:\n"
            + problems.stream().sorted().map(p -> "  " + p).collect(Collectors.joining("\n"));
  }
}
