package dev.gitops.samples.cli;

import dev.gitops.GitOpsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gitops schema NAME}: prints the JSON Schema of one machine-output format. */
@Command(name = "schema", description = {"Print the JSON Schema (draft 2020-12) of a --json output format:",
    "gitops-plan (plan --json), gitops-saved-plan (plan --out), gitops-apply-report (apply, push, pull --once"
        + " with --json). Every format has \"format\" and \"format_version\": 1."},
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:printed", "1:error"})
public final class SchemaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", completionCandidates = Names.class,
      description = "gitops-plan, gitops-saved-plan or gitops-apply-report.")
  String name;

  /**
   * The formats that have a schema. Here, not in {@link MachineJson}: picocli builds every command's
   * completion candidates at start-up, and MachineJson's ObjectMapper would then be made (some 380
   * Jackson classes and the JDK's locale data) by every command, {@code --version} included.
   */
  static final List<String> FORMATS = List.of("gitops-plan", "gitops-saved-plan", "gitops-apply-report");

  /** The format names, for completion. */
  static final class Names extends java.util.ArrayList<String> {
    Names() {
      super(FORMATS);
    }
  }

  @Override
  public Integer call() throws IOException {
    if (!FORMATS.contains(name)) {
      throw new IllegalArgumentException("no schema " + name + "; there are: " + String.join(", ", FORMATS));
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(text(name));
    out.flush();
    return 0;
  }

  /** The schema of format {@code name}, as shipped in this jar. */
  public static String text(String name) throws IOException {
    try (InputStream in = SchemaCommand.class.getResourceAsStream(MachineJson.SCHEMAS + name + ".schema.json")) {
      if (in == null) {
        throw new GitOpsException("the jar holds no schema " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
