package dev.gitops.samples.cli;

import dev.gitops.GitOpsException;
import dev.gitops.plan.Plan;
import dev.gitops.reconcile.PullAgent;
import dev.gitops.reconcile.PushDeployer;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.GitSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gitops demo}: the whole story on embedded defaults, narrated — a pull agent converging a
 * local directory from a Git repository made on the spot, a commit applied, a hand edit healed, a
 * push deploy of an older revision with its plan shown first, and a round on the embedded Kubernetes
 * API mock.
 */
@Command(name = "demo", description = "Run the guided demo on embedded defaults (no arguments needed).")
public final class DemoCommand implements Callable<Integer> {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Spec CommandSpec spec;

  @Option(names = "--workdir", paramLabel = "DIR", description = "Where to create the demo's repository and target (default: a new temp dir).")
  Path workdir;

  @Option(names = "--skip-k8s", description = "Leave out the Kubernetes mock round.")
  boolean skipK8s;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Path work = workdir != null ? Files.createDirectories(workdir) : Files.createTempDirectory("gitops-demo");
    Path site = work.resolve("target");
    Files.createDirectories(site);
    Narrator say = new Narrator(out);
    say.title("gitops demo — everything lives in " + work);
    try (DemoRepo repo = DemoRepo.create(work.resolve("repo"));
         Binding binding = Binding.open(new TargetSpec.Dir(site), null, null, out);
         GitSource source = GitSource.builder(work.resolve("repo").toString()).ref("main").path("site")
             .cache(work.resolve("cache")).build()) {
      String v1 = repo.commit("v1", "site: first revision");
      say.step(1, "A Git repository with a site/ folder (" + v1.substring(0, 12) + "), and a pull agent converging "
          + site + " from it.");
      Events events = new Events(new Console(out, false));
      Reconciler reconciler = Reconcilers.of("demo", source, binding, events);
      try (PullAgent agent = PullAgent.builder(reconciler).interval(Duration.ofMillis(200))
          .driftInterval(Duration.ofMillis(500)).build()) {
        agent.start();
        say.line(events.awaitReconciled(WAIT).plan().summary());
        say.files(site);

        String v2 = repo.commit("v2", "site: four workers, robots.txt");
        say.step(2, "A commit (" + v2.substring(0, 12) + ") changes app.conf and adds robots.txt; the agent applies it "
            + "at its next tick, and the config check handler runs because app.conf changed.");
        agent.triggerNow();
        ReconcileResult second = events.awaitReconciled(WAIT);
        say.line(second.plan().summary());
        second.report().outcomes().stream().filter(o -> o instanceof dev.gitops.apply.Outcome.Applied a && !a.detail().isBlank())
            .forEach(o -> say.line("handler " + o.action().id().name() + " said: " + ((dev.gitops.apply.Outcome.Applied) o).detail().trim()));
        say.line("app.conf now says: " + grep(site.resolve("app.conf"), "workers"));

        say.step(3, "Someone edits index.html on the target by hand. The next drift check finds it and heals it.");
        Files.writeString(site.resolve("index.html"), "<h1>edited by hand</h1>\n");
        events.awaitDrift(WAIT);
        events.awaitReconciled(WAIT);
        say.line("index.html is back to: " + grep(site.resolve("index.html"), "h1"));
        say.line("agent status: " + agent.status());
      }

      say.step(4, "A push deploy of the older revision " + v1.substring(0, 12) + ": the plan first, then the apply, "
          + "under the target's lock, refused if the plan changed in between.");
      PushDeployer deployer = PushDeployer.builder(Reconcilers.of("demo", source, binding,
          new Console(out, true))).holder("demo-push").build();
      Plan plan = deployer.preview(v1);
      say.plan(plan);
      ReconcileResult pushed = deployer.deploy(v1, plan);
      say.line(pushed.report().summary());
      say.line("app.conf now says: " + grep(site.resolve("app.conf"), "workers"));
      say.line("deploy history: " + deployer.history().get(0).summary() + " at " + deployer.history().get(0).revision().substring(0, 12));
    }
    if (!skipK8s) {
      KubernetesDemo.run(work, say, out);
    }
    say.title("Done. Try: java -jar samples/target/gitops-samples.jar plan --repo " + work.resolve("repo") + " --path site --target dir:" + site
        + " --owner demo --detailed-exitcode");
    out.flush();
    return 0;
  }

  private static String grep(Path file, String needle) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> l.contains(needle))
        .findFirst().map(String::trim).orElseThrow(() -> new GitOpsException(file + " has no line with " + needle));
  }
}
