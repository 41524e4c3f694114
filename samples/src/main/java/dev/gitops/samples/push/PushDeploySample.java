package dev.gitops.samples.push;

import dev.gitops.k8s.KubernetesTarget;
import dev.gitops.k8s.ManifestLoader;
import dev.gitops.reconcile.PushDeployer;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.GitSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * Embedding sample: a CI job that deploys one revision of a Git repository's manifests to the
 * cluster of the current kubeconfig context — shows the plan, then applies exactly that plan under
 * the target's lock, refusing it if the cluster moved in between. Exit code 0 on success.
 *
 * <p>Run: {@code java -cp gitops-samples.jar dev.gitops.samples.push.PushDeploySample REPO REVISION}.
 */
public final class PushDeploySample {
  private PushDeploySample() {}

  /**
   * Deploys and exits.
   *
   * @param args repository URL or path, and the revision (branch, tag or commit id)
   */
  public static void main(String[] args) {
    String repo = args.length > 0 ? args[0] : "https://git.example.com/ops/web.git";
    String revision = args.length > 1 ? args[1] : "main";
    // README:push
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {   // kubeconfig or in-cluster
      Reconciler web = Reconciler.builder().name("web")
          .source(GitSource.of(repo, "main")).loader(new ManifestLoader())
          .target(KubernetesTarget.of(client)).build();            // plans with Kubernetes' diff rules
      PushDeployer deployer = PushDeployer.builder(web).holder(System.getenv().getOrDefault("CI_JOB_ID", "ci")).build();
      var plan = deployer.preview(revision);                      // a Plan, a value: render, save as JSON, assert
      System.out.println(plan.render());                          // Secret values masked
      var result = deployer.deploy(revision, plan);               // refused if the cluster moved
      System.out.println(result.report());
      System.exit(result.isSuccess() ? 0 : 1);
    }
    // README:end
  }
}
