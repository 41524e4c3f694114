package dev.gitops.target;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An optional capability of a {@link Target}: a bounded history of push deploys kept on the target
 * itself, so that every deployer (and a later {@code rollback()}) sees the same record.
 *
 * <p>Implementations are thread-safe, like a {@link Target}. Entries are immutable records.
 */
public interface DeployHistory {

  /**
   * Appends {@code entry}, keeping only the newest {@code keep} entries.
   *
   * @param entry the deploy that just finished, successful or not
   * @param keep how many entries to keep at most, this one included; older ones are dropped
   * @throws TargetException when the history cannot be written
   */
  void record(Deployment entry, int keep);

  /**
   * {@return the recorded deploys, newest first; empty when none was recorded}
   *
   * @throws TargetException when the history cannot be read
   */
  List<Deployment> history();

  /**
   * One push deploy.
   *
   * @param revision commit id deployed
   * @param ref what was asked for ({@code main}, {@code v1.2.0})
   * @param summary the plan's summary line
   * @param outcome {@code succeeded} or {@code failed}
   * @param time when it finished
   * @param by who deployed (the lock holder)
   */
  record Deployment(String revision, String ref, String summary, String outcome, Instant time,
                    String by) {
    /**
     * Validates.
     *
     * @param revision commit id deployed; not null
     * @param ref what was asked for; null becomes {@code ""}
     * @param summary the plan's summary line; null becomes {@code ""}
     * @param outcome {@code succeeded} or {@code failed}; not null
     * @param time when it finished; not null
     * @param by who deployed; null becomes {@code ""}
     */
    public Deployment {
      Objects.requireNonNull(revision, "revision");
      ref = Objects.requireNonNullElse(ref, "");
      summary = Objects.requireNonNullElse(summary, "");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(time, "time");
      by = Objects.requireNonNullElse(by, "");
    }

    /** {@return true when the deploy succeeded, i.e. {@code outcome} is {@code succeeded}} */
    public boolean succeeded() {
      return "succeeded".equals(outcome);
    }
  }
}
