package dev.gitops.samples.cli;

import dev.gitops.plan.Plan;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.GitSource;
import dev.gitops.testing.k8s.MockKubernetes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** The demo's last step: the same reconciler over the embedded Kubernetes API mock. */
final class KubernetesDemo {
  private KubernetesDemo() {}

  static void run(Path work, Narrator say, PrintWriter out) throws InterruptedException {
    say.step(5, "The same engine on Kubernetes: the repository's k8s/ folder (a Namespace, a ConfigMap, a Secret,"
        + " a Deployment, a Service) against the embedded API mock. Secret values never appear in a plan.");
    Kubernetes.Mock mock = Kubernetes.mock(out);
    try (Binding binding = mock.binding();
         GitSource source = GitSource.builder(work.resolve("repo").toString()).ref("main").path("k8s")
             .cache(work.resolve("cache-k8s")).build()) {
      Reconciler reconciler = Reconcilers.of("demo", source, binding, new Console(out, true));
      Plan plan = reconciler.plan(null);
      say.plan(plan);
      ReconcileResult first = reconciler.reconcile(null);
      say.line(first.report().toString());
      mock.server().requests();
      ReconcileResult second = reconciler.reconcile(null);
      List<String> requests = mock.server().requests();
      say.line("Run again: " + second.plan().summary() + " It took " + requests.size()
          + " requests to the API server (one LIST per kind), " + MockKubernetes.writes(requests).size() + " of them writes.");
    }
  }
}
