/**
 * Kubernetes for tests: fabric8's mock API server, started with a client and a request log ({@link
 * dev.gitops.testing.k8s.MockKubernetes}), and a stand-in for the controllers it lacks ({@link
 * dev.gitops.testing.k8s.ControllerStandIn}). Needs {@code io.fabric8:kubernetes-server-mock} on the
 * test classpath.
 *
 * <pre>{@code
 * try (MockKubernetes cluster = MockKubernetes.crud()) {
 *   Target target = KubernetesTarget.of(cluster.client());
 * }
 * }</pre>
 */
package dev.gitops.testing.k8s;
