/**
 * Benchmarks of the k8s side of gitops, each a main that takes {@code <quick|full> <repo-root>}
 * and prints its goals.
 *
 * <p>{@code java -cp benchmarks.jar dev.gitops.benchmarks.k8s.SomeBenchmark quick /work/main}
 */
package dev.gitops.benchmarks.k8s;
