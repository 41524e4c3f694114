package dev.gitops.samples;

import dev.gitops.samples.cli.ApplyCommand;
import dev.gitops.samples.cli.CompletionCommand;
import dev.gitops.samples.cli.DemoCommand;
import dev.gitops.samples.cli.EarlySource;
import dev.gitops.samples.cli.EarlyTarget;
import dev.gitops.samples.cli.OutputOptions;
import dev.gitops.samples.cli.PlanCommand;
import dev.gitops.samples.cli.Printed;
import dev.gitops.samples.cli.PullCommand;
import dev.gitops.samples.cli.PushCommand;
import dev.gitops.samples.cli.SchemaCommand;
import dev.gitops.samples.cli.UnlockCommand;
import dev.gitops.samples.cli.WarmUp;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code gitops} command line: {@code demo}, {@code plan}, {@code apply}, {@code push},
 * {@code pull}, {@code unlock}, {@code schema}, {@code completion}, {@code help}; {@code -h/--help} on each. Data
 * goes to standard output, progress and errors to standard error. Exit codes a CI job can act on: 0 success (no changes), 1 error, 2 changes (with
 * {@code plan --detailed-exitcode}), 130 interrupted (Ctrl-C while {@code apply}, {@code push} or {@code pull --once} writes). Errors print one line; {@code --verbose} adds the stack trace.
 */
@Command(name = "gitops", mixinStandardHelpOptions = true, version = "gitops 0.1.0",
    description = "Reconcile a target (a directory, a host over SSH, a Kubernetes cluster) with Git.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success (plan: no changes)", "1:error, refused or failed step",
        "2:changes (plan --detailed-exitcode)", "130:interrupted (Ctrl-C): stopped after the steps in flight"})
public final class Main {
  /**
   * The subcommands, in the order help lists them. Added by {@link #commandLine}, not by the
   * annotation: picocli reads every command's options, mixins and completion candidates when it is
   * added, which costs a one-shot command's start-up more than its own work. Made when the command
   * line is, not when this class is initialised: its method references are spun at run time (they
   * link picocli's Java 5 classes, which the class-data archive cannot hold), and that would delay
   * {@link EarlyTarget}'s connection.
   */
  private static final class Commands {
    static final Map<String, Supplier<Object>> ALL = commands();
  }

  private static Map<String, Supplier<Object>> commands() {
    Map<String, Supplier<Object>> c = new LinkedHashMap<>();
    c.put("demo", DemoCommand::new);
    c.put("plan", PlanCommand::new);
    c.put("apply", ApplyCommand::new);
    c.put("push", PushCommand::new);
    c.put("pull", PullCommand::new);
    c.put("unlock", UnlockCommand::new);
    c.put("schema", SchemaCommand::new);
    c.put("completion", CompletionCommand::new);
    c.put("help", HelpCommand::new);
    return c;
  }

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

  @Option(names = "--debug-all", scope = ScopeType.INHERIT,
      description = "Log every library at debug (HTTP clients and the mock API server then print request"
          + " bodies, Secret data included: never in a shared log).")
  void debugAll(boolean on) {
    if (on) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
      verbose(true);
    }
  }

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
    sshWithoutBouncyCastle();
    ArgumentSecrets secrets = ArgumentSecrets.of(args); // an error may quote any argument: never its credentials
    String command = command(args);
    try (EarlyTarget early = EarlyTarget.start(args); // connects over SSH while picocli sets up,
         EarlySource source = EarlySource.start(command, args)) { // reads Git meanwhile,
      WarmUp.start(command, source.holdsSource()); // and looks up the redaction key's HMAC
      return run(secrets.scrubbing(out), secrets.scrubbing(err), early.factory(source), args);
    }
  }

  private static int run(PrintWriter out, PrintWriter err, CommandLine.IFactory factory, String... args) {
    Main main = new Main();
    CommandLine cli = commandLine(main, factory, args);
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler((e, a) -> {
      err.println("error: " + Printed.lines(e.getMessage())); // quotes what was typed: a pipeline's variables
      if (e instanceof UnmatchedArgumentException u && u.isUnknownOption()) {
        List<String> near = Suggestions.near(u.getUnmatched().get(0),
            e.getCommandLine().getCommandSpec().optionsMap().keySet());
        if (!near.isEmpty()) {
          err.println("Did you mean: " + String.join(" or ", near) + "?");
        }
      } else {
        UnmatchedArgumentException.printSuggestions(e, err);
      }
      err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
      err.flush();
      return 1;
    });
    cli.setExecutionExceptionHandler((e, c, parsed) -> {
      // may quote a server, a host or a repository; after a plan, the values of its Secrets too
      java.util.function.UnaryOperator<String> masked = OutputOptions.errorMasker(c);
      err.println("error: " + Printed.lines(masked.apply(message(e))));
      if (main.verbose) {
        java.io.StringWriter trace = new java.io.StringWriter(); // its messages are the causes' own words
        e.printStackTrace(new PrintWriter(trace));
        err.print(Printed.lines(masked.apply(trace.toString())));
      }
      err.flush();
      return 1;
    });
    cli.setExecutionStrategy(parsed -> {
      if (!main.verbose && oneShot(parsed)) {
        // a one-shot command prints its error once, at exit: the reconciler's own warning would say it twice
        System.setProperty("org.slf4j.simpleLogger.log." + RECONCILER_LOGGER, "error");
      }
      return new CommandLine.RunLast().execute(parsed);
    });
    return cli.execute(args);
  }

  /** The logger whose warnings repeat what a one-shot command prints itself. */
  static final String RECONCILER_LOGGER = "dev.gitops.reconcile.Reconciler";

  /** True for every command but the pull agent, which runs on and logs what each run did. */
  private static boolean oneShot(CommandLine.ParseResult parsed) {
    CommandLine.ParseResult sub = parsed.subcommand();
    return sub == null || !sub.commandSpec().name().equals("pull") || sub.hasMatchedOption("--once");
  }

  /**
   * MINA SSHD registers Bouncy Castle as its security provider whenever it is on the classpath (this
   * jar holds it for the mock API server), and then does its key exchange and signatures with it:
   * about 700 more classes to load, verify and initialise per {@code ssh://} command. The JDK's providers
   * and EdDSA ({@code net.i2p.crypto:eddsa}) do every algorithm the SSH targets and Git over SSH use, so
   * the command line leaves Bouncy Castle out unless {@code -D}{@value #MINA_BOUNCY_CASTLE} says
   * otherwise.
   */
  static void sshWithoutBouncyCastle() {
    if (System.getProperty(MINA_BOUNCY_CASTLE) == null) {
      System.setProperty(MINA_BOUNCY_CASTLE, "false");
    }
  }

  /** The system property with which MINA SSHD's Bouncy Castle registrar is turned off. */
  static final String MINA_BOUNCY_CASTLE = "org.apache.sshd.security.provider.BC.enabled";

  /**
   * The command line of {@code main} for {@code args}: when they name a command that works alone (not
   * {@code help} nor {@code completion}, which read the others), that command is the only one added;
   * otherwise (no command, an unknown one: suggestions need them all) every command is. Each gets
   * {@link #conventions}.
   *
   * @param main the root command
   * @param args the arguments to be run
   * @return the command line
   */
  static CommandLine commandLine(Main main, String... args) {
    return commandLine(main, CommandLine.defaultFactory(), args);
  }

  /** As {@link #commandLine(Main, String...)}, with {@code factory} making options and mixins. */
  static CommandLine commandLine(Main main, CommandLine.IFactory factory, String... args) {
    CommandLine cli = new CommandLine(main, factory);
    String named = command(args);
    boolean alone = named != null && Commands.ALL.containsKey(named) && !named.equals("help")
        && !named.equals("completion");
    for (Map.Entry<String, Supplier<Object>> c : Commands.ALL.entrySet()) {
      if (!alone || c.getKey().equals(named)) {
        cli.addSubcommand(c.getKey(), c.getValue().get());
      }
    }
    conventions(cli);
    return cli;
  }

  /** The command {@code args} name: their first word (the root's own options take no value), or null. */
  static String command(String... args) {
    for (String a : args) {
      if (a.equals("--")) {
        return null;
      }
      if (!a.startsWith("-")) {
        return a;
      }
    }
    return null;
  }

  /**
   * What every command gets, whoever adds it: {@code -h/--help} and {@code -V/--version} (help
   * never fails on a missing required option), and an exit-code list in its help (0 and 1 unless
   * the command lists its own).
   */
  static void conventions(CommandLine cli) {
    CommandSpec spec = cli.getCommandSpec();
    if (!spec.mixinStandardHelpOptions() && !(cli.getCommand() instanceof HelpCommand)) {
      spec.mixinStandardHelpOptions(true);
    }
    if (spec.usageMessage().exitCodeList().isEmpty()) {
      java.util.Map<String, String> codes = new java.util.LinkedHashMap<>();
      codes.put("0", "success");
      codes.put("1", "error");
      spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
    }
    cli.getSubcommands().values().forEach(Main::conventions);
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    if (e instanceof dev.gitops.target.LockedException) {
      return m + "\nIf that deploy is gone, release the lock with: gitops unlock --force --target TARGET --owner NAME";
    }
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
