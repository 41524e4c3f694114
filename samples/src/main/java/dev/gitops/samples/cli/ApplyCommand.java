package dev.gitops.samples.cli;

import dev.gitops.diff.RedactionKey;
import dev.gitops.model.ResourceId;
import dev.gitops.reconcile.PushDeployer;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.source.GitSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gitops apply --plan FILE}: applies a saved plan — re-reads its revision, re-plans under the
 * target's lock, and refuses (exit 1, naming what moved) unless the fresh plan is the saved one.
 */
@Command(name = "apply", description = "Apply a plan saved by 'gitops plan --out'; refuse it if the target moved.",
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:applied", "1:error, stale plan or failed step",
        "130:interrupted (Ctrl-C): stopped after the steps in flight, lock released"})
public final class ApplyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin OutputOptions output;
  @Mixin KubeconfigOptions kube;

  @Option(names = "--plan", required = true, paramLabel = "FILE", description = "The saved plan.")
  Path planFile;

  @Option(names = "--target", required = true, paramLabel = "TARGET",
      description = "dir:PATH | ssh://user@host[:port]/root | k8s | k8s:CONTEXT | k8s-mock")
  String target;

  @Option(names = "--identity", paramLabel = "FILE", description = "SSH private key (ssh:// targets).")
  Path identity;

  @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file (ssh:// targets).")
  Path knownHosts;

  @Option(names = "--ssh-client", paramLabel = "CLIENT", defaultValue = "auto",
      description = "ssh:// targets: openssh (the system's ssh), builtin (Apache MINA SSHD in this JVM), or auto"
          + " (builtin: apply writes, and its SFTP needs no remote shell per file). Default: ${DEFAULT-VALUE}.")
  String sshClient = "auto";

  @Option(names = "--ssh-persist", paramLabel = "DURATION", defaultValue = Binding.DEFAULT_PERSIST_TEXT,
      converter = Durations.class,
      description = "ssh:// targets through the system's ssh: keep the connection this long after the command, for"
          + " the next one with the same target, key and known_hosts (as Ansible does). 0: it ends with the command."
          + " Default: ${DEFAULT-VALUE}.")
  java.time.Duration sshPersist = Binding.DEFAULT_PERSIST;

  @Option(names = "--repo", paramLabel = "URL",
      description = "The repository with the credentials it needs (a saved plan never holds them);"
          + " the saved plan's repository once they are removed. Default: the saved URL.")
  String repo;

  @Option(names = "--json", description = "Print the result as JSON (format gitops-apply-report, see"
      + " 'gitops schema gitops-apply-report').")
  boolean json;

  /** {@code --repo} when given and it names the saved plan's repository, else the saved URL. */
  private String repo(SavedPlan saved) {
    if (repo == null) {
      return saved.repo();
    }
    String bare = GitSource.withoutCredentials(SourceOptions.normalize(repo));
    if (!bare.equals(saved.repo())) {
      // the saved file's words (it may have been edited): escaped, a line break too
      throw new IllegalArgumentException("--repo " + ResourceId.escape(bare) + " is not the repository the plan was made"
          + " from (" + ResourceId.escape(saved.repo()) + ")");
    }
    return repo;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    RedactionKey.use(RedactionKeys.load()); // the installation's: plan and apply must redact alike
    PrintWriter err = spec.commandLine().getErr();
    SavedPlan saved = SavedPlan.read(planFile);
    if (saved.plan().revision().isEmpty()) {
      throw new IllegalArgumentException(planFile + ": the plan names no revision");
    }
    TargetSpec to = TargetSpec.parse(target);
    try (SignalStop stop = new SignalStop(err, SignalStop.unlock(target, saved.owner()));
         Binding binding = to instanceof TargetSpec.Kube k ? Kubernetes.open(kube.config(k), saved.namespace())
        : Binding.open(to, identity, knownHosts, SshClientKind.parse(sshClient).forCommand(true), true, sshPersist,
            saved.namespace(), err);
         GitSource git = SourceOptions.source(repo(saved), saved.plan().revision(), saved.path())) {
      Console console = output.console(out, err, json);
      console.say("Applying the saved plan: " + saved.plan().summary());
      stop.arm();
      ReconcileResult result = PushDeployer.of(Reconcilers.of(saved.owner(), git, stop.guard(binding), console))
          .deploy(saved.plan().revision(), saved.plan());
      if (json) {
        out.print(ReportJson.of(result, output.includeNoops()));
      } else {
        console.report(result.report());
      }
      out.flush();
      return stop.exit(result.isSuccess() ? 0 : 1);
    }
  }
}
