/**
 * Helpers of the pull agent and push deployer: timing policy, plan comparison, an in-memory deploy
 * history. Not part of the public API; may change without notice.
 *
 * <p>Example, the agent's delays after three failures:
 * {@code new Delays(Duration.ofMinutes(1), 0.1, Duration.ofSeconds(5), Duration.ofMinutes(5), random).afterFailures(3)}
 */
package dev.gitops.internal.reconcile;
