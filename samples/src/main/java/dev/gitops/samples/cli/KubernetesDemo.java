package dev.gitops.samples.cli;

import dev.gitops.plan.Plan;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.GitSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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
      drain(mock.server());
      ReconcileResult second = reconciler.reconcile(null);
      int[] counted = drain(mock.server());
      say.line("Run again: " + second.plan().summary() + " It took " + counted[0]
          + " requests to the API server (one LIST per kind), " + counted[1] + " of them writes.");
    }
  }

  /** Takes every recorded request off the mock: {requests, writes}. */
  private static int[] drain(io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server)
      throws InterruptedException {
    int requests = 0;
    int writes = 0;
    for (var r = server.takeRequest(50, TimeUnit.MILLISECONDS); r != null; r = server.takeRequest(50, TimeUnit.MILLISECONDS)) {
      requests++;
      writes += "GET".equals(r.getMethod()) ? 0 : 1;
    }
    return new int[] {requests, writes};
  }
}
