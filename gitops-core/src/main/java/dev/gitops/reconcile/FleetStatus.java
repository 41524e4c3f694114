package dev.gitops.reconcile;

import java.util.List;

/**
 * A snapshot of a whole {@link Fleet}, for health endpoints and logs. Immutable.
 *
 * @param reconcilers how many reconcilers the fleet holds
 * @param ready how many of them are {@code Ready}
 * @param stalled how many of them are {@code Stalled} (their last run failed)
 * @param repositories how many distinct polls the fleet makes per interval (one per repository and
 *     ref, plus one per source that cannot share its poll)
 * @param polls polls made so far, every repository together
 * @param queued runs waiting for a worker now
 * @param members every reconciler's status, sorted by name
 */
public record FleetStatus(int reconcilers, int ready, int stalled, int repositories, long polls, int queued,
                          List<AgentStatus> members) {
  /**
   * Copies.
   *
   * @param reconcilers how many reconcilers
   * @param ready how many are ready
   * @param stalled how many are stalled
   * @param repositories distinct polls per interval
   * @param polls polls so far
   * @param queued runs waiting for a worker
   * @param members every reconciler's status; copied
   */
  public FleetStatus {
    members = List.copyOf(members);
  }

  /** {@code fleet: 998/1000 ready, 2 stalled, 1 repository, 42 polls, 0 queued}. */
  @Override
  public String toString() {
    return "fleet: " + ready + "/" + reconcilers + " ready, " + stalled + " stalled, " + repositories
        + (repositories == 1 ? " repository, " : " repositories, ") + polls + " polls, " + queued + " queued";
  }
}
