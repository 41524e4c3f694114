package dev.gitops.samples;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs the command line in-process and keeps what it printed. Every JSON document a successful
 * run prints ({@code --json}, {@code --format json}) or saves ({@code plan --out}) is checked
 * against the shipped JSON Schema of its format, so every test of the suite checks the schemas.
 */
record Cli(int exit, String out, String err) {
  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    Cli cli = new Cli(exit, out.toString(), err.toString());
    cli.checkSchemas(Arrays.asList(args));
    return cli;
  }

  private void checkSchemas(List<String> args) {
    boolean json = args.contains("--json") || String.join(" ", args).contains("--format json");
    boolean help = args.contains("--help") || args.contains("-h");
    if (json && !help && (exit == 0 || !out.isBlank())) {
      Schemas.check(out);
    }
    int saved = args.indexOf("--out");
    if (exit == 0 && saved >= 0 && args.get(0).equals("plan")) {
      try {
        Schemas.check(Files.readString(Path.of(args.get(saved + 1))));
      } catch (IOException e) {
        throw new AssertionError("plan --out wrote no readable file", e);
      }
    }
  }

  /** {@return the command that runs {@code gitops args} in a JVM of its own, on this test's class path} */
  static List<String> inChildJvm(String... args) {
    List<String> command = new java.util.ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(Arrays.asList(args));
    return command;
  }

  /** {@return {@code first} then {@code then}: a command line from its parts} */
  static String[] join(String[] first, String... then) {
    return Stream.concat(Arrays.stream(first), Arrays.stream(then)).toArray(String[]::new);
  }

  @Override
  public String toString() {
    return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
  }
}
