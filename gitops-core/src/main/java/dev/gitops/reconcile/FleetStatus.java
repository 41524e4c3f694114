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
 * @param abandoned threads of runs that passed their {@linkplain Fleet.Builder#runTimeout deadline}
 *     and have not returned yet (stuck in code that ignores interrupts): another worker took the place
 *     of each; more than zero for long means a target, loader or listener that hangs
 * @param members every reconciler's status, sorted by name
 */
public record FleetStatus(int reconcilers, int ready, int stalled, int repositories, long polls, int queued,
                          int abandoned, List<AgentStatus> members) {
  /**
   * Copies.
   *
   * @param reconcilers how many reconcilers
   * @param ready how many are ready
   * @param stalled how many are stalled
   * @param repositories distinct polls per interval
   * @param polls polls so far
   * @param queued runs waiting for a worker
   * @param abandoned threads of runs past their deadline that have not returned
   * @param members every reconciler's status; copied
   */
  public FleetStatus {
    members = List.copyOf(members);
  }

  /**
   * Copies, with no thread abandoned: the constructor before {@code abandoned} was counted.
   *
   * @param reconcilers how many reconcilers
   * @param ready how many are ready
   * @param stalled how many are stalled
   * @param repositories distinct polls per interval
   * @param polls polls so far
   * @param queued runs waiting for a worker
   * @param members every reconciler's status; copied
   */
  public FleetStatus(int reconcilers, int ready, int stalled, int repositories, long polls, int queued,
                     List<AgentStatus> members) {
    this(reconcilers, ready, stalled, repositories, polls, queued, 0, members);
  }

  /**
   * {@code fleet: 998/1000 ready, 2 stalled, 1 repository, 42 polls, 0 queued}, then
   * {@code , 1 abandoned} when a thread is.
   */
  @Override
  public String toString() {
    return "fleet: " + ready + "/" + reconcilers + " ready, " + stalled + " stalled, " + repositories
        + (repositories == 1 ? " repository, " : " repositories, ") + polls + " polls, " + queued + " queued"
        + (abandoned == 0 ? "" : ", " + abandoned + " abandoned");
  }
}
