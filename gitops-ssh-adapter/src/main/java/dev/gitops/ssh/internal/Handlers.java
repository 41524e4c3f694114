package dev.gitops.ssh.internal;

import dev.gitops.plan.Action;
import dev.gitops.ssh.Host;
import dev.gitops.target.TargetException;
import java.io.IOException;
import java.util.List;

/**
 * Runs handler steps: {@code sh -c COMMAND} with the root as working directory, the command passed
 * as one argument. Not part of the public API.
 */
public final class Handlers {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("dev.gitops.ssh.FilesTarget");
  private static final String WRAPPER = "cd -- \"$1\" || exit 125; exec sh -c \"$2\"";
  /** Characters of output kept: the last ones, where a failure usually says why. */
  static final int MAX_OUTPUT = 4096;

  private Handlers() {}

  /** The command vector for {@code command} run in {@code root}. */
  public static List<String> command(String root, String command) {
    return List.of("sh", "-c", WRAPPER, "gitops-handler", root, command);
  }

  /**
   * Runs the handler; returns its output (standard output, then standard error), at most the last
   * {@value #MAX_OUTPUT} characters, with a note first when some were cut.
   *
   * @throws TargetException when it cannot run or exits non-zero, with its output
   */
  public static String run(Host host, String root, Action.Run run) {
    Host.Result result;
    try {
      result = host.exec(command(root, run.handler().command()), new byte[0]);
    } catch (IOException e) {
      throw new TargetException(run.id(), host.describe() + ": cannot run handler: " + e.getMessage(),
          true, e);
    }
    String output = clip(result.output().strip());
    if (!result.succeeded()) {
      throw new TargetException(run.id(), "handler " + run.handler().name() + " failed on "
          + host.describe() + " (exit " + result.exitCode() + ")" + (output.isEmpty() ? "" : ":\n" + output));
    }
    LOG.info("handler {} on {} (because {}): {}", run.handler().name(), host.describe(), run.because(),
        output.isEmpty() ? "no output" : output);
    return output;
  }

  /** {@code s}, or its last {@value #MAX_OUTPUT} characters after a note saying how many were cut. */
  static String clip(String s) {
    if (s.length() <= MAX_OUTPUT) {
      return s;
    }
    int from = s.length() - MAX_OUTPUT;
    if (Character.isLowSurrogate(s.charAt(from))) {
      from++;
    }
    return "[first " + from + " characters of output cut]\n" + s.substring(from);
  }
}
