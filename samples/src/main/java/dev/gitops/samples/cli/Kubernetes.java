package dev.gitops.samples.cli;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.k8s.ApplyStrategy;
import dev.gitops.k8s.KubernetesTarget;
import dev.gitops.k8s.ManifestLoader;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/** The {@code k8s}, {@code k8s:CONTEXT} and {@code k8s-mock} targets. */
final class Kubernetes {
  /** Kinds listed on every read, so owned objects of kinds that left Git are still found and pruned. */
  static final String[] COMMON_KINDS = {"Namespace", "ConfigMap", "Secret", "Service", "ServiceAccount",
      "apps/Deployment", "apps/StatefulSet", "apps/DaemonSet", "batch/Job", "batch/CronJob"};

  private Kubernetes() {}

  /** Binds {@code spec}: a {@code k8s} target through the kubeconfig (as {@link KubeconfigOptions#load}), else the mock. */
  static Binding open(TargetSpec spec, String namespace, PrintWriter out) {
    if (spec instanceof TargetSpec.Kube kube) {
      return open(KubeconfigOptions.load(null, kube.context(), "--target k8s:" + kube.context()), namespace);
    }
    return mock(namespace, out).binding();
  }

  /** A cluster's target, with {@code namespace} the default of namespaced manifests. */
  static Binding open(Config config, String namespace) {
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    KubernetesTarget target = KubernetesTarget.of(client, KubernetesTarget.Options.defaults().listing(COMMON_KINDS));
    return binding(target, ManifestLoader.withDiscovery(client, namespace), ApplyOptions.defaults(), List.of(client));
  }

  /** The mock API server (gitops-testing's, quiet, logging the requests it answers) and the binding over it. */
  record Mock(Binding binding, MockKubernetes server) {}

  /** Starts fabric8's mock API server in CRUD mode and binds a target to it. */
  static Mock mock(PrintWriter out) {
    return mock(TargetOptions.DEFAULT_NAMESPACE, out);
  }

  /** Starts fabric8's mock API server in CRUD mode and binds a target to it; {@code namespace} is the default one. */
  static Mock mock(String namespace, PrintWriter out) {
    MockKubernetes server = MockKubernetes.crud();
    KubernetesClient client = server.client();
    out.println("k8s-mock: started fabric8's Kubernetes API mock on " + client.getMasterUrl()
        + " (state lives for this process). No controllers run there, so this mode marks CRDs established and"
        + " workloads available and gives LoadBalancer Services an address itself; it applies with JSON_PATCH, as the mock has no server-side apply.");
    out.flush();
    KubernetesTarget target = KubernetesTarget.of(client, KubernetesTarget.Options.defaults()
        .withStrategy(ApplyStrategy.JSON_PATCH).listing(COMMON_KINDS));
    ApplyOptions quickHealth = ApplyOptions.defaults().withHealthWait(Duration.ofMinutes(1), Duration.ofMillis(50));
    return new Mock(binding(new MockControllers(target, client), ManifestLoader.withDefaultNamespace(namespace), quickHealth,
        List.of(server)), server);
  }

  private static Binding binding(dev.gitops.target.Target target, ManifestLoader loader, ApplyOptions apply,
                                 List<AutoCloseable> more) {
    return new Binding(target, loader, apply, more);
  }
}
