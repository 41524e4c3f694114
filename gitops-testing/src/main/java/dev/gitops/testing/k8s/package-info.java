/**
 * Kubernetes for tests: fabric8's mock API server, started with a client and a request log ({@link
 * dev.gitops.testing.k8s.MockKubernetes}). Needs {@code io.fabric8:kubernetes-server-mock} on the
 * test classpath.
 *
 * <pre>{@code
 * try (MockKubernetes cluster = MockKubernetes.crud()) {
 *   Target target = KubernetesTarget.of(cluster.client());
 * }
 * }</pre>
 */
package dev.gitops.testing.k8s;
