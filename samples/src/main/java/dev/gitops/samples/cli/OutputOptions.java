package dev.gitops.samples.cli;

import java.io.PrintWriter;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
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

  /** The console {@link #console} made for this command, null before. */
  private Console made;

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
    made = new Console(out, err, new Console.Style(quiet, json, diff, Terminal.isInteractive(noColor)));
    return made;
  }

  /**
   * How an error that escaped {@code command} is masked before it is printed: the Secret values of
   * the last plan its console was told of ({@link dev.gitops.plan.Plan#masker}), since a server's or
   * a host's words after the plan may quote them. Before a plan (or for a command without a console)
   * nothing is known to mask, and the text is returned as it is: it is still printed escaped.
   *
   * @param command the command or subcommand that threw
   * @return a function from any text (null gives {@code "null"}) to the text, masked
   */
  public static UnaryOperator<String> errorMasker(CommandLine command) {
    for (CommandSpec mixin : command.getCommandSpec().mixins().values()) {
      if (mixin.userObject() instanceof OutputOptions o && o.made != null) {
        return o.made.masker();
      }
    }
    return String::valueOf;
  }
}
