package dev.gitops.reconcile;

import dev.gitops.model.Revision;
import dev.gitops.reconcile.AgentStatus.Condition;
import java.time.Instant;
import java.util.List;

/**
 * The mutable record behind {@link PullAgent#status()}: what was applied, attempted and found.
 * Not thread-safe: the agent guards it with its own monitor.
 */
final class AgentState {
  Revision lastApplied;
  Revision lastAttempted;
  Instant lastCheck;
  String lastError = "";
  String lastPlanSummary = "";
  Drift drift;
  int failures;
  private Condition ready = new Condition(Condition.Type.READY, false, "Progressing", "not reconciled yet");
  private Condition drifted = new Condition(Condition.Type.DRIFTED, false, "Unknown", "not checked yet");
  private Condition stalled = new Condition(Condition.Type.STALLED, false, "Progressing", "");

  /** A revision was applied, or a drift check found nothing to do. */
  void converged(Revision revision, Instant now, Drift healed) {
    lastApplied = revision;
    lastCheck = now;
    lastError = "";
    failures = 0;
    drift = null;
    ready = new Condition(Condition.Type.READY, true, "Reconciled", "applied " + revision);
    drifted = healed == null
        ? new Condition(Condition.Type.DRIFTED, false, "InSync", "")
        : new Condition(Condition.Type.DRIFTED, false, "Healed", String.join(", ", healed.fields()));
    stalled = new Condition(Condition.Type.STALLED, false, "Reconciled", "");
  }

  /** A drift check found drift and self-heal is off. */
  void drifted(Drift found) {
    lastError = "";
    failures = 0;
    drift = found;
    String fields = String.join(", ", found.fields());
    ready = new Condition(Condition.Type.READY, false, "DriftDetected", fields);
    drifted = new Condition(Condition.Type.DRIFTED, true, "DriftDetected", fields);
    stalled = new Condition(Condition.Type.STALLED, false, "DriftDetected", "");
  }

  /** A run failed; the next is {@code retryIn} away. */
  void failed(String reason, String message, java.time.Duration retryIn) {
    failures++;
    lastError = message;
    ready = new Condition(Condition.Type.READY, false, reason, message);
    stalled = new Condition(Condition.Type.STALLED, true, reason, message + " (" + failures
        + (failures == 1 ? " failure" : " consecutive failures") + ", retrying in " + retryIn + ")");
  }

  /** The run could not start (e.g. the target is locked by a push): not a failure. */
  void waiting(String reason, String message) {
    ready = new Condition(Condition.Type.READY, false, reason, message);
  }

  /** The agent stopped itself for {@code reason}: no further run will come. */
  void stopped(String reason, String message) {
    failures++;
    lastError = message;
    ready = new Condition(Condition.Type.READY, false, reason, message);
    stalled = new Condition(Condition.Type.STALLED, true, reason, message);
  }

  /** An apply was cut short by {@link PullAgent#stop()}. */
  void interrupted(String summary) {
    lastError = "stopped during apply: " + summary;
    ready = new Condition(Condition.Type.READY, false, "Stopped", lastError);
  }

  AgentStatus snapshot(String name, Instant nextRun, boolean suspended, boolean stopped) {
    return new AgentStatus(name, lastApplied, lastAttempted, lastError, lastPlanSummary,
        List.of(ready, drifted, stalled), drift, failures, nextRun, suspended, stopped);
  }
}
