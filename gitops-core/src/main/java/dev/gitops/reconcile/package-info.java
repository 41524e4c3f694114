/**
 * The two GitOps semantics over one engine. A {@link dev.gitops.reconcile.Reconciler} runs
 * fetch → load → read → plan → apply for one source, loader and target; a
 * {@link dev.gitops.reconcile.PullAgent} runs it on a schedule (polling Git, repairing or reporting
 * drift, backing off on failure); a {@link dev.gitops.reconcile.PushDeployer} runs it once for a
 * chosen revision, under the target's lock, optionally only if the reviewed plan still holds.
 * Time and scheduling are injected ({@link java.time.Clock},
 * {@link java.util.concurrent.ScheduledExecutorService}), so tests run in virtual time.
 *
 * <pre>{@code
 * Reconciler web = Reconciler.builder().name("web")
 *     .source(GitSource.of("https://git.example.com/deploy.git", "main"))
 *     .loader(loader).target(target).prune(true).build();
 *
 * // pull: converge every minute, repair drift every ten
 * try (PullAgent agent = PullAgent.builder(web).interval(Duration.ofMinutes(1))
 *     .driftInterval(Duration.ofMinutes(10)).selfHeal(true).build().start()) {
 *   // ... agent.status(), agent.triggerNow() from a webhook
 * }
 *
 * // push: deploy the reviewed plan, refused if the target or the revision moved since
 * PushDeployer deployer = PushDeployer.builder(web).holder("ci-job-42").build();
 * Plan reviewed = deployer.preview("v1.4.0");
 * ReconcileResult result = deployer.deploy("v1.4.0", reviewed);
 * }</pre>
 */
package dev.gitops.reconcile;
