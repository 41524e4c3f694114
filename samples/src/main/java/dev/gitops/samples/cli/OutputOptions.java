package dev.gitops.samples.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** {@code --quiet}, {@code --diff} and {@code --include-noops}: how much a command prints. */
public final class OutputOptions {
  /** Above this many changes, {@code --diff=auto} shows a stat instead of full diffs. */
  public static final int FULL_DIFF_LIMIT = 50;

  @Option(names = {"-q", "--quiet"}, description = "Print the summary only (and errors).")
  boolean quiet;

  @Option(names = "--diff", paramLabel = "full|stat|none|auto", defaultValue = "auto",
      description = "Diffs under each step: full, stat (changed lines per step), none; auto: full for up to "
          + FULL_DIFF_LIMIT + " changes, stat above. Default: ${DEFAULT-VALUE}.")
  Console.DiffMode diff;

  @Option(names = "--no-color",
      description = "No terminal escape sequences (the live progress counter), as when NO_COLOR is set or standard"
          + " error is not a terminal. The output has no colours to turn off.")
  boolean noColor;

  @Option(names = "--include-noops",
      description = "With --json: also list the steps that change nothing (left out by default).")
  boolean includeNoops;

  /** True when {@code --include-noops} was given. */
  public boolean includeNoops() {
    return includeNoops;
  }

  /**
   * A console printing data to {@code out} and progress to {@code err}; the live counter when
   * standard error is a terminal that takes escape sequences ({@link Terminal}).
   *
   * @param json true when the command prints JSON itself: the console then prints no data
   */
  public Console console(PrintWriter out, PrintWriter err, boolean json) {
    return new Console(out, err, new Console.Style(quiet, json, diff, Terminal.isInteractive(noColor)));
  }
}
