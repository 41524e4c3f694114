package dev.gitops.samples.cli;

import dev.gitops.diff.RedactionKey;
import dev.gitops.plan.Plan;
import dev.gitops.source.GitSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gitops plan}: what a deploy of a ref would change, without writing anything. */
@Command(name = "plan", description = "Show what a deploy of --ref would change; write nothing.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:no changes (or changes, without --detailed-exitcode)", "1:error",
        "2:changes (with --detailed-exitcode)"})
public final class PlanCommand implements Callable<Integer> {
  /** What {@code --format} prints. */
  public enum Format { text, json, markdown }

  @Spec CommandSpec spec;
  @Mixin SourceOptions source;
  @Mixin TargetOptions target;
  @Mixin OutputOptions output;

  @Option(names = "--format", paramLabel = "text|json|markdown", defaultValue = "text",
      description = "text; json (format gitops-plan, see 'gitops schema gitops-plan'; secret values redacted);"
          + " markdown (a pull-request comment: summary table, collapsible diffs, Mermaid graph of waves)."
          + " Default: ${DEFAULT-VALUE}.")
  Format format;

  @Option(names = "--json", description = "Same as --format json.")
  boolean json;

  @Option(names = "--detailed-exitcode", description = "Exit 2 when the plan changes something.")
  boolean detailedExitCode;

  @Option(names = "--out", paramLabel = "FILE", description = "Save the plan for 'gitops apply --plan FILE'.")
  Path outFile;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    RedactionKey.use(RedactionKeys.load()); // the installation's: plan and apply must redact alike
    PrintWriter err = spec.commandLine().getErr();
    Format as = json ? Format.json : format;
    try (Binding binding = target.open(err, false); GitSource git = source.open()) {
      Console console = output.console(out, err, as != Format.text);
      Plan plan = Reconcilers.of(target.owner(), git, binding, console).plan(source.ref());
      switch (as) {
        case json -> out.print(MachineJson.plan(plan, output.includeNoops()));
        case markdown -> out.print(PlanMarkdown.render(plan));
        default -> console.plan(plan);
      }
      if (outFile != null) {
        new SavedPlan(source.url(), source.path(), target.owner(), target.namespace(), plan)
            .write(outFile);
        console.say("Saved to " + outFile + "; apply it with: gitops apply --plan " + outFile
            + " --target " + target.target);
      }
      out.flush();
      return detailedExitCode && !plan.isEmpty() ? 2 : 0;
    }
  }
}
