/**
 * Helpers shared by the reconcile loops and the targets: an in-memory deploy history (the push
 * deployer's when a target keeps none, the in-memory target's own). Not part of the public API; may
 * change without notice.
 *
 * <pre>{@code
 * DeployHistory history = new LocalHistory();
 * history.record(deployment, 20);
 * }</pre>
 */
package dev.gitops.internal.reconcile;
