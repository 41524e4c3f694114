/**
 * The applier's machinery: one run per plan ({@code ApplyRun}), one per wave, the stale-plan check,
 * retries with backoff, the health wait and the bounded worker pool. Not part of the public API;
 * use {@link dev.gitops.apply.Applier}.
 *
 * <pre>{@code
 * try (ApplyRun run = new ApplyRun(plan, target, options)) {
 *   return run.run();
 * }
 * }</pre>
 */
package dev.gitops.internal.apply;
