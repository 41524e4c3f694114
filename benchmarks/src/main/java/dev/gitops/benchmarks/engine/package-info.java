/**
 * The engine's benchmarks: {@code Planner.plan} beside the {@code JsonNode.equals} lower bound,
 * linearity in N, peak heap beside the compact JSON of both states, and manifest loading beside plain
 * Jackson YAML parsing. {@link dev.gitops.benchmarks.engine.EngineBenchmarks} runs them all and
 * prints one goal line each.
 *
 * <p>{@code java -cp benchmarks.jar dev.gitops.benchmarks.engine.EngineBenchmarks quick /path/to/repo}
 */
package dev.gitops.benchmarks.engine;
