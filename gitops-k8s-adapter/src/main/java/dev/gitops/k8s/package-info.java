/**
 * Kubernetes as a gitops target, on fabric8: {@link dev.gitops.k8s.ManifestLoader} turns YAML and
 * JSON manifests into a desired state (file and line on every resource and every problem),
 * {@link dev.gitops.k8s.KubernetesDiff} and {@link dev.gitops.k8s.KubernetesNormalizer} compare
 * without the noise the API server adds, {@link dev.gitops.k8s.KubernetesKinds} orders namespaces
 * and CRDs first, and {@link dev.gitops.k8s.KubernetesTarget} reads with one LIST per kind, applies
 * with server-side apply or a three-way JSON Patch, prunes only what its owner label marks, judges
 * health, and gives a reconciler those diff rules and that order as its plan defaults.
 * {@link dev.gitops.k8s.KubeconfigCredentials} reads the kubeconfig user's {@code tokenFile} that
 * fabric8 leaves out.
 *
 * <pre>{@code
 * KubernetesClient client = new KubernetesClientBuilder().build();   // kubeconfig or in-cluster
 * Reconciler web = Reconciler.builder().name("web")
 *     .source(GitSource.of(repoUri, "main")).loader(new ManifestLoader())
 *     .target(KubernetesTarget.of(client))                // plans with its diff rules and kind order
 *     .prune(true).build();
 * PullAgent agent = PullAgent.every(Duration.ofMinutes(1), web).start();
 * }</pre>
 */
package dev.gitops.k8s;
