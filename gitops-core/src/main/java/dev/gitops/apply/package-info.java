/**
 * Carrying a plan out: the {@link dev.gitops.apply.Applier} runs a plan's waves against a target —
 * in parallel within a wave, retrying what may succeed later, waiting for health between waves,
 * refusing steps whose resource moved since the plan — and reports one
 * {@link dev.gitops.apply.Outcome} per step in an {@link dev.gitops.apply.ApplyReport}.
 *
 * <pre>{@code
 * ApplyOptions options = ApplyOptions.defaults().withParallelism(8)
 *     .withRetry(5, Duration.ofMillis(200), Duration.ofSeconds(10))
 *     .withProgress(outcome -> log.info("{} {}", outcome.kind().word(), outcome.action().id()));
 * ApplyReport report = new Applier().apply(plan, target, options);
 * if (!report.isSuccess()) {
 *   System.err.println(report);      // summary, then one line per failed or skipped step
 * }
 * }</pre>
 */
package dev.gitops.apply;
