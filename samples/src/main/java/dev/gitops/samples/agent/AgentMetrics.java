package dev.gitops.samples.agent;

import dev.gitops.apply.Outcome;
import dev.gitops.model.Revision;
import dev.gitops.reconcile.Drift;
import dev.gitops.reconcile.ReconcileListener;
import dev.gitops.reconcile.ReconcileResult;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An agent's counters in Prometheus' text format (version 0.0.4), fed as a
 * {@link ReconcileListener}: reconciles by result, their duration by phase (fetch, load, read,
 * plan, apply; as Flux's {@code gotk_reconcile_duration_seconds}), steps by outcome, drift found,
 * revisions fetched, webhook deliveries by provider and status code, and the last applied revision
 * as an info metric. Names follow Prometheus' conventions ({@code _total}, {@code _seconds}).
 * Thread-safe.
 */
public final class AgentMetrics implements ReconcileListener {
  private static final String[] PHASES = {"fetch", "load", "read", "plan", "apply"};
  private final String reconciler;
  private final Map<String, Double> values = new TreeMap<>();
  private String lastApplied = "";

  /** @param reconciler the reconciler's name, a label of every metric */
  public AgentMetrics(String reconciler) {
    this.reconciler = reconciler.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  @Override
  public synchronized void revisionSeen(Revision revision) {
    add("gitops_git_fetch_total{reconciler=\"%s\"}", 1);
  }

  @Override
  public synchronized void applied(Outcome outcome) {
    add("gitops_steps_total{reconciler=\"%s\",outcome=\"" + outcome.kind().word() + "\"}", 1);
  }

  @Override
  public synchronized void driftFound(Drift drift) {
    add("gitops_drift_found_total{reconciler=\"%s\"}", 1);
    add("gitops_drift_resources_total{reconciler=\"%s\"}", drift.ids().size());
  }

  @Override
  public synchronized void failed(Exception error) {
    add("gitops_reconcile_total{reconciler=\"%s\",result=\"failure\"}", 1);
  }

  @Override
  public synchronized void reconciled(ReconcileResult result) {
    add("gitops_reconcile_total{reconciler=\"%s\",result=\"" + (result.isSuccess() ? "success" : "failure") + "\"}", 1);
    ReconcileResult.Timings t = result.timings();
    Duration[] took = {t.fetch(), t.load(), t.read(), t.plan(), t.apply()};
    for (int i = 0; i < PHASES.length; i++) {
      add("gitops_reconcile_duration_seconds_sum{reconciler=\"%s\",phase=\"" + PHASES[i] + "\"}", took[i].toNanos() / 1e9);
      add("gitops_reconcile_duration_seconds_count{reconciler=\"%s\",phase=\"" + PHASES[i] + "\"}", 1);
    }
    if (result.isSuccess() && !result.revision().id().isEmpty()) {
      lastApplied = result.revision().id();
    }
  }

  /** Counts one webhook delivery answered with {@code status}. */
  public synchronized void webhook(String provider, int status) {
    add("gitops_webhook_requests_total{reconciler=\"%s\",provider=\"" + provider + "\",code=\"" + status + "\"}", 1);
  }

  private void add(String series, double amount) {
    values.merge(String.format(Locale.ROOT, series, reconciler), amount, Double::sum);
  }

  /** The exposition: {@code # TYPE} lines, then every series, sorted. */
  public synchronized String scrape() {
    StringBuilder out = new StringBuilder();
    String family = "";
    for (Map.Entry<String, Double> e : values.entrySet()) {
      String name = e.getKey().substring(0, e.getKey().indexOf('{'));
      String base = name.replaceFirst("_(sum|count)$", "");
      if (!base.equals(family)) {
        family = base;
        out.append("# TYPE ").append(base).append(base.endsWith("_seconds") ? " summary\n" : " counter\n");
      }
      out.append(e.getKey()).append(' ').append(number(e.getValue())).append('\n');
    }
    if (!lastApplied.isEmpty()) {
      out.append("# TYPE gitops_last_applied_revision_info gauge\n").append("gitops_last_applied_revision_info{reconciler=\"")
          .append(reconciler).append("\",revision=\"").append(lastApplied).append("\"} 1\n");
    }
    return out.toString();
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
