package dev.gitops.samples;

import dev.gitops.samples.cli.ApplyCommand;
import dev.gitops.samples.cli.DemoCommand;
import dev.gitops.samples.cli.PlanCommand;
import dev.gitops.samples.cli.PullCommand;
import dev.gitops.samples.cli.PushCommand;
import dev.gitops.samples.cli.UnlockCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code gitops} command line: {@code demo}, {@code plan}, {@code apply}, {@code push},
 * {@code pull}, {@code unlock}. Exit codes a CI job can act on: 0 success (no changes), 1 error, 2 changes (with
 * {@code plan --detailed-exitcode}). Errors print one line; {@code --verbose} adds the stack trace.
 */
@Command(name = "gitops", mixinStandardHelpOptions = true, version = "gitops 0.1.0",
    description = "Reconcile a target (a directory, a host over SSH, a Kubernetes cluster) with Git.",
    subcommands = {DemoCommand.class, PlanCommand.class, ApplyCommand.class, PushCommand.class,
        PullCommand.class, UnlockCommand.class})
public final class Main {
  /** The loggers {@code --verbose} turns up: this project's only. */
  static final String VERBOSE_LOGGERS = "dev.gitops";

  @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
      description = "Log more (this project's loggers only), and print stack traces with errors.")
  void verbose(boolean on) {
    verbose = on;
    if (on) {
      // never every library's loggers: fabric8's mock server and HTTP clients log request and
      // response bodies at debug, Secret data included
      System.setProperty("org.slf4j.simpleLogger.log." + VERBOSE_LOGGERS, "debug");
    }
  }

  private boolean verbose;

  /** Runs and exits with the command's exit code. */
  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /**
   * Runs a command line in this process, printing to {@code out} and {@code err}.
   *
   * @return the exit code
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    Main main = new Main();
    CommandLine cli = new CommandLine(main);
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler((e, a) -> {
      err.println("error: " + e.getMessage());
      err.println("Try 'gitops " + (e.getCommandLine() == cli ? "" : e.getCommandLine().getCommandName() + " ") + "--help'.");
      err.flush();
      return 1;
    });
    cli.setExecutionExceptionHandler((e, c, parsed) -> {
      err.println("error: " + message(e));
      if (main.verbose) {
        e.printStackTrace(err);
      }
      err.flush();
      return 1;
    });
    return cli.execute(args);
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    if (e instanceof dev.gitops.target.LockedException) {
      return m + "\nIf that deploy is gone, release the lock with: gitops unlock --force --target TARGET";
    }
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
