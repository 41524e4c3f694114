package dev.gitops.reconcile;

import dev.gitops.internal.Printable;
import dev.gitops.model.Revision;
import dev.gitops.reconcile.AgentStatus.Condition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The mutable record behind {@link PullAgent#status()}: what was applied, attempted and found.
 * Not thread-safe: the agent guards it with its own monitor.
 *
 * <p>A condition's {@code lastTransitionTime} moves only when its status flips (true to false or
 * back), as Kubernetes conditions do; a new reason or message keeps it.
 *
 * <p>Every message is kept with its hidden characters escaped ({@link Printable#escapeMessage}): a
 * failure's message, a lock's holder or a drifted field may quote what a repository, a cluster or a
 * host holds, and the status is printed by whoever embeds the agent.
 */
final class AgentState {
  private final Clock clock;
  Revision lastApplied;
  Revision lastAttempted;
  Instant lastCheck;
  String lastError = "";
  String lastPlanSummary = "";
  Drift drift;
  int failures;
  private Condition ready;
  private Condition drifted;
  private Condition stalled;

  /** @param clock tells transition times */
  AgentState(Clock clock) {
    this.clock = clock;
    Instant now = clock.instant();
    ready = new Condition(Condition.Type.READY, false, "Progressing", "not reconciled yet", now);
    drifted = new Condition(Condition.Type.DRIFTED, false, "Unknown", "not checked yet", now);
    stalled = new Condition(Condition.Type.STALLED, false, "Progressing", "", now);
  }

  /** A revision was applied, or a drift check found nothing to do. */
  void converged(Revision revision, Instant now, Drift healed) {
    lastApplied = revision;
    lastCheck = now;
    lastError = "";
    failures = 0;
    drift = null;
    ready = next(ready, true, "Reconciled", "applied " + revision);
    drifted = healed == null
        ? next(drifted, false, "InSync", "")
        : next(drifted, false, "Healed", String.join(", ", healed.fields()));
    stalled = next(stalled, false, "Reconciled", "");
  }

  /** A drift check found drift and self-heal is off. */
  void drifted(Drift found) {
    lastError = "";
    failures = 0;
    drift = found;
    String fields = String.join(", ", found.fields());
    ready = next(ready, false, "DriftDetected", fields);
    drifted = next(drifted, true, "DriftDetected", fields);
    stalled = next(stalled, false, "DriftDetected", "");
  }

  /** A run failed; the next is {@code retryIn} away. */
  void failed(String reason, String message, Duration retryIn) {
    failures++;
    lastError = Printable.escapeMessage(message);
    ready = next(ready, false, reason, message);
    stalled = next(stalled, true, reason, message + " (" + failures
        + (failures == 1 ? " failure" : " consecutive failures") + ", retrying in " + retryIn + ")");
  }

  /** The run could not start (e.g. the target is locked by a push): not a failure. */
  void waiting(String reason, String message) {
    ready = next(ready, false, reason, message);
  }

  /** The agent stopped itself for {@code reason}: no further run will come. */
  void stopped(String reason, String message) {
    failures++;
    lastError = Printable.escapeMessage(message);
    ready = next(ready, false, reason, message);
    stalled = next(stalled, true, reason, message);
  }

  /** An apply was cut short by {@link PullAgent#stop()}. */
  void interrupted(String summary) {
    lastError = Printable.escapeMessage("stopped during apply: " + summary);
    ready = next(ready, false, "Stopped", lastError);
  }

  /** {@code old}'s successor: its transition time kept unless {@code status} differs from {@code old}'s. */
  private Condition next(Condition old, boolean status, String reason, String message) {
    Instant since = old.status() == status ? old.lastTransitionTime() : clock.instant();
    return new Condition(old.type(), status, reason, Printable.escapeMessage(message), since);
  }

  /**
   * When the next drift check is due, counted from {@code now}: zero when due (or never checked),
   * null while the last run failed or waited (a retry is due first).
   */
  java.time.Duration untilDriftCheck(Instant now, java.time.Duration driftInterval) {
    if (failures > 0 || !ready.status() && !"DriftDetected".equals(ready.reason())) {
      return null;
    }
    if (lastCheck == null) {
      return java.time.Duration.ZERO;
    }
    java.time.Duration left = java.time.Duration.between(now, lastCheck.plus(driftInterval));
    return left.isNegative() ? java.time.Duration.ZERO : left;
  }

  AgentStatus snapshot(String name, Instant nextRun, boolean suspended, boolean stopped) {
    return new AgentStatus(name, lastApplied, lastAttempted, lastError, lastPlanSummary,
        List.of(ready, drifted, stalled), drift, failures, nextRun, suspended, stopped);
  }
}
