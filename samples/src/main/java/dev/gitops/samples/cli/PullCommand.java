package dev.gitops.samples.cli;

import dev.gitops.reconcile.AgentStatus;
import dev.gitops.reconcile.PullAgent;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.samples.agent.AgentMetrics;
import dev.gitops.samples.agent.BothListeners;
import dev.gitops.samples.agent.WebhookServer;
import dev.gitops.source.GitSource;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gitops pull}: the agent — poll Git, converge the target, repair drift. */
@Command(name = "pull", description = "Run the pull agent: poll --repo, converge --target, repair drift.",
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:converged (--once) or stopped", "1:error",
        "130:--once interrupted (Ctrl-C): stopped after the steps in flight, lock released"})
public final class PullCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SourceOptions source;
  @Mixin TargetOptions target;
  @Mixin OutputOptions output;

  @Option(names = "--interval", defaultValue = "30s", converter = Durations.class,
      description = "How often to poll Git (e.g. 30s, 5m). Default: ${DEFAULT-VALUE}.")
  Duration interval;

  @Option(names = "--drift-interval", defaultValue = "5m", converter = Durations.class,
      description = "How often to compare the target with Git even when Git did not change. Default: ${DEFAULT-VALUE}.")
  Duration driftInterval;

  @Option(names = "--no-self-heal", description = "Report drift, do not repair it.")
  boolean noSelfHeal;

  @Option(names = "--once", description = "Reconcile once and exit: 0 converged, 1 error.")
  boolean once;

  @Option(names = "--json", description = "With --once: print the result as JSON (format gitops-apply-report).")
  boolean json;

  @Option(names = "--webhook", paramLabel = "[HOST]:PORT",
      description = "Serve Git push webhooks (/hooks/github, /hooks/gitlab, /hooks/generic), /healthz and /metrics"
          + " on this address; the secret comes from $" + WebhookOptions.SECRET_VARIABLE + ".")
  String webhook;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (SignalStop stop = new SignalStop(err, SignalStop.unlock(target.target, target.owner()));
         Binding binding = target.open(err); GitSource git = source.open()) {
      Console console = output.console(out, err, json && once);
      Reconciler reconciler = Reconcilers.of(target.owner(), git, once ? stop.guard(binding) : binding, console);
      if (once) {
        stop.arm(); // the agent below stops on a signal its own way
        ReconcileResult result = reconciler.reconcile(source.ref());
        if (json) {
          out.print(ReportJson.of(result, output.includeNoops()));
        } else {
          console.plan(result.plan());
          console.report(result.report());
        }
        out.flush();
        return stop.exit(result.isSuccess() ? 0 : 1);
      }
      console.reportingFailures();
      CountDownLatch stopped = new CountDownLatch(1);
      AgentMetrics metrics = new AgentMetrics(target.owner());
      if (webhook != null) {
        reconciler = Reconcilers.of(target.owner(), git, binding, new BothListeners(console, metrics));
      }
      try (PullAgent agent = PullAgent.builder(reconciler).interval(interval).driftInterval(driftInterval)
          .selfHeal(!noSelfHeal).build();
           WebhookServer hooks = webhook == null ? null : WebhookOptions.start(webhook, source, agent, metrics)) {
        if (hooks != null) {
          console.say("Webhooks, /healthz and /metrics on port " + hooks.port());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          agent.stop();
          stopped.countDown();
        }, "gitops-shutdown"));
        agent.start();
        console.say("Pulling " + git.describe() + " into " + binding.target().describe() + " every " + interval
            + " (drift check every " + driftInterval + (noSelfHeal ? ", report only" : ", self-heal") + "). Ctrl-C stops.");
        out.flush();
        stopped.await();
        AgentStatus status = agent.status();
        console.say("Stopped: " + status);
      }
      out.flush();
      return 0;
    }
  }
}
