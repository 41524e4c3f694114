/**
 * Agent metrics through Micrometer: an optional module, so that {@code gitops-core} depends on no
 * metrics library. {@link dev.gitops.micrometer.GitOpsMetrics} is one reconciler's
 * {@link dev.gitops.reconcile.ReconcileListener}, and wraps its source and target to count their
 * requests; its meters (reconcile duration by phase, results and failures by reason, drift found and
 * healed, Git and target requests, last applied revision) go to the application's
 * {@link io.micrometer.core.instrument.MeterRegistry}, exported however the application exports the
 * rest of its metrics.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * GitOpsMetrics metrics = GitOpsMetrics.of(registry, "web");
 * Reconciler web = Reconciler.builder().name("web")
 *     .source(metrics.source(GitSource.of(repoUri, "main"))).loader(new ManifestLoader())
 *     .target(metrics.target(KubernetesTarget.of(client))).listener(metrics).build();
 * PullAgent.every(Duration.ofMinutes(1), web).start();
 * // GET /metrics: registry.scrape() has gitops_reconcile_total{reconciler="web",...}
 * }</pre>
 */
package dev.gitops.micrometer;
