package dev.gitops.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.reconcile.Drift;
import dev.gitops.reconcile.PullAgent;
import dev.gitops.reconcile.ReconcileListener;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.SourceException;
import dev.gitops.target.InMemoryTarget;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The meters as a Prometheus scrape shows them, moved by real reconciles and a real pull agent. */
class GitOpsMetricsTest {
  static final String REV1 = "1111111111111111111111111111111111111111";
  static final String REV2 = "2222222222222222222222222222222222222222";

  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final GitOpsMetrics metrics = GitOpsMetrics.of(registry, "web");
  final MapSource source = new MapSource();
  final InMemoryTarget target = InMemoryTarget.named("test");
  final Semaphore reconciled = new Semaphore(0);
  final ScheduledExecutorService scheduler = new ScheduledThreadPoolExecutor(1);

  @AfterEach
  void tearDown() {
    scheduler.shutdownNow();
  }

  Reconciler reconciler() {
    return Reconciler.builder().name("web").source(metrics.source(source)).loader(MapSource.LOADER)
        .target(metrics.target(target)).listener(new BothListeners(metrics)).build();
  }

  /** The metrics, then a semaphore released after every reconcile or failure (no sleeps). */
  final class BothListeners implements ReconcileListener {
    final GitOpsMetrics first;

    BothListeners(GitOpsMetrics first) {
      this.first = first;
    }

    @Override public void applied(dev.gitops.apply.Outcome o) { first.applied(o); }
    @Override public void driftFound(Drift d) { first.driftFound(d); }
    @Override public void failed(Exception e) { first.failed(e); reconciled.release(); }
    @Override public void reconciled(ReconcileResult r) { first.reconciled(r); reconciled.release(); }
  }

  /** The value of one series in the scrape, 0 when absent; {@code labels} as Prometheus sorts them. */
  double value(String name, String labels) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels + "}") + " (\\S+)$").matcher(registry.scrape());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /**
   * Waits for {@code runs} reconciles (or failures) to be reported, then for the run that reported the
   * last to end: the scheduler has one thread, so a task submitted now runs after it.
   */
  void await(int runs) throws InterruptedException {
    assertTrue(reconciled.tryAcquire(runs, 30, TimeUnit.SECONDS), "the agent did not finish its runs");
    try {
      scheduler.submit(() -> { }).get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the agent's run did not end", e);
    }
  }

  @Test
  void aReconcileMovesEveryMeterUnderItsPrometheusName() {
    source.commit(REV1, Map.of("a", "blue", "b", "green"));
    reconciler().reconcile(null);

    assertEquals(1, value("gitops_reconcile_total", "reason=\"Reconciled\",reconciler=\"web\",result=\"success\""));
    for (String phase : new String[] {"fetch", "load", "read", "plan", "apply"}) {
      assertEquals(1, value("gitops_reconcile_duration_seconds_count", "phase=\"" + phase + "\",reconciler=\"web\""), phase);
    }
    assertEquals(2, value("gitops_steps_total", "action=\"create\",outcome=\"applied\",reconciler=\"web\""));
    assertEquals(1, value("gitops_git_requests_total", "reconciler=\"web\",request_type=\"latest\",result=\"success\""));
    assertEquals(1, value("gitops_git_requests_total", "reconciler=\"web\",request_type=\"fetch\",result=\"success\""));
    assertEquals(1, value("gitops_git_request_duration_seconds_count", "reconciler=\"web\",request_type=\"fetch\""));
    assertEquals(2, value("gitops_target_requests_total", "operation=\"apply\",reconciler=\"web\",result=\"success\""));
    assertTrue(value("gitops_target_requests_total", "operation=\"read\",reconciler=\"web\",result=\"success\"") >= 1,
        "the plan's read (the applier may re-read before a wave)");
    assertEquals(1, value("gitops_last_applied_revision", "reconciler=\"web\",revision=\"" + REV1 + "\""));
    assertTrue(registry.scrape().contains("gitops_reconcile_duration_seconds_bucket{"),
        "a histogram, as Flux's gotk_reconcile_duration_seconds");
  }

  @Test
  void theLastAppliedRevisionIsOneSeriesThatMoves() {
    source.commit(REV1, Map.of("a", "blue"));
    reconciler().reconcile(null);
    source.commit(REV2, Map.of("a", "green"));
    reconciler().reconcile(null);

    assertEquals(1, value("gitops_last_applied_revision", "reconciler=\"web\",revision=\"" + REV2 + "\""));
    assertFalse(registry.scrape().contains(REV1), registry::scrape);
    assertEquals(1, value("gitops_steps_total", "action=\"update\",outcome=\"applied\",reconciler=\"web\""));
  }

  @Test
  void failuresAreCountedByReasonWithTheRequestThatFailed() {
    source.failLatest = new SourceException("git.example.com: connection refused");
    assertThrows(SourceException.class, () -> reconciler().reconcile(null));

    assertEquals(1, value("gitops_reconcile_total", "reason=\"SourceException\",reconciler=\"web\",result=\"failure\""));
    assertEquals(1, value("gitops_git_requests_total", "reconciler=\"web\",request_type=\"latest\",result=\"failure\""));
    assertEquals(0, value("gitops_reconcile_total", "reason=\"Reconciled\",reconciler=\"web\",result=\"success\""));
  }

  @Test
  void aFailedStepIsAnApplyFailureAndAFailedWrite() {
    source.commit(REV1, Map.of("a", "blue"));
    target.failNext(MapSource.configMap("a", "blue").id(), 1, false);
    ReconcileResult result = reconciler().reconcile(null);

    assertFalse(result.isSuccess());
    assertEquals(1, value("gitops_reconcile_total", "reason=\"ApplyFailed\",reconciler=\"web\",result=\"failure\""));
    assertEquals(1, value("gitops_steps_total", "action=\"create\",outcome=\"failed\",reconciler=\"web\""));
    assertEquals(1, value("gitops_target_requests_total", "operation=\"apply\",reconciler=\"web\",result=\"failure\""));
    assertFalse(registry.scrape().contains("gitops_last_applied_revision{"), "nothing applied in full");
  }

  @Test
  void aPullAgentCountsPollsDriftFoundAndHealed() throws InterruptedException {
    source.commit(REV1, Map.of("a", "blue", "b", "green"));
    try (PullAgent agent = PullAgent.builder(reconciler()).interval(Duration.ofHours(1)).jitter(0)
        .scheduler(scheduler).build().start()) {
      await(1);
      target.put(MapSource.configMap("a", "red"), "web");
      target.put(MapSource.configMap("b", "red"), "web");
      assertTrue(agent.triggerNow());
      await(1);
    }

    assertEquals(1, value("gitops_drift_found_total", "reconciler=\"web\""));
    assertEquals(2, value("gitops_drift_resources_total", "reconciler=\"web\""));
    assertEquals(1, value("gitops_drift_healed_total", "reconciler=\"web\""));
    assertEquals(2, value("gitops_git_requests_total", "reconciler=\"web\",request_type=\"latest\",result=\"success\""));
    assertEquals(2, value("gitops_reconcile_total", "reason=\"Reconciled\",reconciler=\"web\",result=\"success\""));
    assertEquals(2, value("gitops_steps_total", "action=\"update\",outcome=\"applied\",reconciler=\"web\""));
  }

  @Test
  void aDriftThatFailsToHealIsNotCountedHealed() throws InterruptedException {
    source.commit(REV1, Map.of("a", "blue"));
    try (PullAgent agent = PullAgent.builder(reconciler()).interval(Duration.ofHours(1)).jitter(0)
        .backoff(Duration.ofHours(1), Duration.ofHours(2)).scheduler(scheduler).build().start()) {
      await(1);
      target.put(MapSource.configMap("a", "red"), "web");
      target.failNext(MapSource.configMap("a", "red").id(), 1, false);
      assertTrue(agent.triggerNow());
      await(1);
    }

    assertEquals(1, value("gitops_drift_found_total", "reconciler=\"web\""));
    assertEquals(0, value("gitops_drift_healed_total", "reconciler=\"web\""));
  }

  @Test
  void aWatchedAgentsConditionsAreGauges() throws InterruptedException {
    source.failLatest = new SourceException("git.example.com: connection refused");
    PullAgent agent = metrics.watch(PullAgent.builder(reconciler()).interval(Duration.ofHours(1)).jitter(0)
        .backoff(Duration.ofHours(1), Duration.ofHours(2)).scheduler(scheduler).build());
    assertEquals(0, value("gitops_condition", "reconciler=\"web\",type=\"ready\""));
    try (agent) {
      agent.start();
      await(1);
      assertEquals(1, value("gitops_condition", "reconciler=\"web\",type=\"stalled\""));
      assertEquals(0, value("gitops_condition", "reconciler=\"web\",type=\"ready\""));
      source.commit(REV1, Map.of("a", "blue"));
      assertTrue(agent.triggerNow());
      await(1);
      agent.suspend();
      assertEquals(1, value("gitops_condition", "reconciler=\"web\",type=\"ready\""));
      assertEquals(0, value("gitops_condition", "reconciler=\"web\",type=\"stalled\""));
      assertEquals(1, value("gitops_suspended", "reconciler=\"web\""));
    }
  }

  @Test
  void closeRemovesTheReconcilersMetersOnly() {
    GitOpsMetrics other = GitOpsMetrics.of(registry, "api");
    source.commit(REV1, Map.of("a", "blue"));
    reconciler().reconcile(null);
    other.failed(new SourceException("down"));

    metrics.close();

    assertFalse(registry.scrape().contains("reconciler=\"web\""), registry::scrape);
    assertEquals(1, value("gitops_reconcile_total", "reason=\"SourceException\",reconciler=\"api\",result=\"failure\""));
  }

  @Test
  void aBlankReconcilerNameIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> GitOpsMetrics.of(registry, " "));
    assertThrows(NullPointerException.class, () -> GitOpsMetrics.of(null, "web"));
  }
}
