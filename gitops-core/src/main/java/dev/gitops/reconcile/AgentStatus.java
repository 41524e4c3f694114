package dev.gitops.reconcile;

import dev.gitops.model.ResourceId;
import dev.gitops.model.Revision;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot of a {@link PullAgent}'s state, for health endpoints and logs. Immutable.
 *
 * @param name the reconciler's name
 * @param lastApplied the last revision applied with every step successful, null before the first
 * @param lastAttempted the last revision planned (applied or not), null before the first
 * @param lastError the message of the last failure, {@code ""} when the last run succeeded; a failed
 *     apply's with the values of its plan's Secrets masked ({@link dev.gitops.plan.Plan#masked}); an
 *     agent's, as its conditions' messages, with every character that prints nothing, moves text or
 *     breaks the line escaped ({@code \n}, {@code \x1b}), as {@link dev.gitops.model.ResourceId#escape}
 *     escapes names
 * @param lastPlanSummary the summary line of the last plan, {@code ""} before the first
 * @param conditions {@link Condition.Type#READY}, {@link Condition.Type#DRIFTED} and
 *     {@link Condition.Type#STALLED}, in that order
 * @param drift the drift found by the last drift check and not repaired, null when none
 * @param failures consecutive failed runs
 * @param nextRun when the next run is scheduled, null when none is (stopped, suspended, running)
 * @param suspended true between {@link PullAgent#suspend()} and {@link PullAgent#resume()}
 * @param stopped true once {@link PullAgent#stop()} was called
 */
public record AgentStatus(String name, Revision lastApplied, Revision lastAttempted, String lastError,
                          String lastPlanSummary, List<Condition> conditions, Drift drift,
                          int failures, Instant nextRun, boolean suspended, boolean stopped) {
  /**
   * Validates and copies.
   *
   * @param name the reconciler's name; not null
   * @param lastApplied the last revision applied in full, null before the first
   * @param lastAttempted the last revision planned, null before the first
   * @param lastError the last failure's message; null becomes {@code ""}
   * @param lastPlanSummary the last plan's summary line; null becomes {@code ""}
   * @param conditions the agent's conditions; copied
   * @param drift unrepaired drift found by the last drift check, null when none
   * @param failures consecutive failed runs, {@code 0} after a success
   * @param nextRun when the next run is scheduled, null when none is
   * @param suspended true while suspended
   * @param stopped true once stopped
   */
  public AgentStatus {
    Objects.requireNonNull(name, "name");
    lastError = Objects.requireNonNullElse(lastError, "");
    lastPlanSummary = Objects.requireNonNullElse(lastPlanSummary, "");
    conditions = List.copyOf(conditions);
  }

  /**
   * Looks up one condition.
   *
   * @param type which condition
   * @return the condition of {@code type}; when the agent reports none of it, a condition that does
   *     not hold with reason {@code Unknown}
   */
  public Condition condition(Condition.Type type) {
    return conditions.stream().filter(c -> c.type() == type).findFirst()
        .orElse(new Condition(type, false, "Unknown", "", null));
  }

  /**
   * Tells whether a condition holds, e.g. {@code status.is(Condition.Type.READY)}.
   *
   * @param type which condition
   * @return true when the condition of {@code type} holds; false when it does not or is not reported
   */
  public boolean is(Condition.Type type) {
    return condition(type).status();
  }

  /** {@code web: Ready (applied 3f2c1e0a9b8c (main)), next run 2026-...}, the name escaped; never contents. */
  @Override
  public String toString() {
    return ResourceId.escape(name) + ": " + conditions.stream().filter(Condition::status).map(Condition::toString)
        .reduce((a, b) -> a + ", " + b).orElse("not ready")
        + (suspended ? ", suspended" : "") + (stopped ? ", stopped" : "")
        + (nextRun == null ? "" : ", next run " + nextRun);
  }

  /**
   * One condition, in the style of Kubernetes status conditions.
   *
   * @param type which condition
   * @param status whether it holds
   * @param reason a CamelCase word: {@code Reconciled}, {@code DriftDetected}, {@code SourceException}
   * @param message details for humans; never contents; an agent's with its hidden characters escaped
   * @param lastTransitionTime when {@code status} last changed (as Kubernetes' {@code
   *     lastTransitionTime}: a new reason or message with the same status keeps it), or, while it never
   *     changed, when the agent was built; null for a condition the agent does not report
   */
  public record Condition(Type type, boolean status, String reason, String message,
                          Instant lastTransitionTime) {
    /** The conditions an agent reports. */
    public enum Type {
      /** The target matches the last revision seen. */
      READY,
      /** The target moved away from the applied revision and was not repaired (self-heal off). */
      DRIFTED,
      /** The last run failed; the agent retries with backoff. */
      STALLED
    }

    /**
     * Validates.
     *
     * @param type which condition; not null
     * @param status whether it holds
     * @param reason a CamelCase word; not null
     * @param message details for humans; null becomes {@code ""}
     * @param lastTransitionTime when {@code status} last changed; null when never reported
     */
    public Condition {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(reason, "reason");
      message = Objects.requireNonNullElse(message, "");
    }

    /** {@code Ready (Reconciled: applied 3f2c1e0a9b8c)}. */
    @Override
    public String toString() {
      String word = type.name().charAt(0) + type.name().substring(1).toLowerCase(java.util.Locale.ROOT);
      return word + (status ? "" : "=false") + " (" + reason + (message.isEmpty() ? "" : ": " + message) + ")";
    }
  }
}
