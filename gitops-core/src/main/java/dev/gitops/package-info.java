/**
 * The root of gitops: {@link dev.gitops.GitOpsException}, the unchecked exception every other
 * exception of the library extends, so a caller can catch one type. The engine lives in the
 * sub-packages: {@code model} (resources and states), {@code diff}, {@code plan}, {@code apply},
 * {@code source}, {@code target} and {@code reconcile}; {@code internal} is not public API.
 *
 * <pre>{@code
 * try {
 *   ReconcileResult result = reconciler.reconcile("main");
 *   System.out.println(result.plan().summary());
 * } catch (GitOpsException e) {   // SourceException, InvalidDesiredStateException, TargetException, ...
 *   log.error("reconcile failed: {}", e.getMessage());
 * }
 * }</pre>
 */
package dev.gitops;
