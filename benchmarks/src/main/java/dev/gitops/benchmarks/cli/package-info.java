/**
 * Benchmarks of the {@code gitops} command line as whole processes (start-up included), each a main
 * that takes {@code <quick|full> <repo-root>} and prints its goals.
 *
 * <p>{@code java -cp benchmarks.jar dev.gitops.benchmarks.cli.StartupBenchmark quick /work/main}
 */
package dev.gitops.benchmarks.cli;
