package dev.gitops.samples.cli;

import dev.gitops.plan.Plan;
import dev.gitops.reconcile.PushDeployer;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.source.GitSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gitops push}: plan, show, confirm, apply one ref — the apply holds the target's lock and
 * refuses if the plan changed between showing and applying.
 */
@Command(name = "push", description = "Plan --ref, show the plan, confirm, then apply it under the target's lock.",
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:applied or nothing to do", "1:error, refused or failed step",
        "130:interrupted (Ctrl-C): stopped after the steps in flight, lock released"})
public final class PushCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SourceOptions source;
  @Mixin TargetOptions target;
  @Mixin OutputOptions output;

  @Option(names = {"-y", "--yes"}, description = "Apply without asking (CI).")
  boolean yes;

  @Option(names = "--lock-lease", paramLabel = "DURATION", converter = Durations.class,
      description = "Take over a lock older than this (e.g. 2h). Without it, a lock is taken over only "
          + "when its holder is provably gone (same machine, process ended).")
  java.time.Duration lockLease;

  @Option(names = "--json", description = "Print the result as JSON (format gitops-apply-report; no plan text;"
      + " combine with --yes).")
  boolean json;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (SignalStop stop = new SignalStop(err, SignalStop.unlock(target.target, target.owner()));
         Binding binding = target.open(err); GitSource git = source.open()) {
      Console console = output.console(out, err, json);
      PushDeployer deployer = PushDeployer.builder(Reconcilers.of(target.owner(), git, stop.guard(binding), console))
          .lockStaleAfter(lockLease).build();
      Plan plan = deployer.preview(source.ref());
      console.plan(plan);
      if (plan.isEmpty() && !json) {
        out.flush();
        return 0;
      }
      if (!yes && !confirm(err)) {
        console.say("Not applied.");
        out.flush();
        return 1;
      }
      stop.arm(); // after the prompt: Ctrl-C there ends the command at once, nothing written
      ReconcileResult result = deployer.deploy(plan.revision(), plan);
      if (json) {
        out.print(ReportJson.of(result, output.includeNoops()));
      } else {
        console.report(result.report());
      }
      out.flush();
      return stop.exit(result.isSuccess() ? 0 : 1);
    }
  }

  private static boolean confirm(PrintWriter out) throws IOException {
    if (System.console() == null) {
      out.println("No terminal to confirm on: pass --yes to apply without asking.");
      return false;
    }
    out.print("Apply this plan? [y/N] ");
    out.flush();
    String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    return answer != null && answer.trim().equalsIgnoreCase("y");
  }
}
