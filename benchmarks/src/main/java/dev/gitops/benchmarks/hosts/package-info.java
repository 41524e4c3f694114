/**
 * Benchmarks of the hosts side of gitops, each a main that takes {@code <quick|full> <repo-root>}
 * and prints its goals.
 *
 * <p>{@code java -cp benchmarks.jar dev.gitops.benchmarks.hosts.SomeBenchmark quick /work/main}
 */
package dev.gitops.benchmarks.hosts;
