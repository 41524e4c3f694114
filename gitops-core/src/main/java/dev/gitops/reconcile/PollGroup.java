package dev.gitops.reconcile;

import dev.gitops.model.Revision;
import dev.gitops.source.Source;
import java.util.LinkedHashSet;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reconcilers of a {@link Fleet} whose sources share a {@link Source#pollKey()} (one repository
 * and ref): polled once per interval through one of them, the revision handed to all. Fields other
 * than {@link #latest} and {@link #polls} are guarded by the fleet's monitor.
 */
final class PollGroup {
  final String key;
  final LinkedHashSet<FleetMember> members = new LinkedHashSet<>();
  final Delays delays;
  final AtomicLong polls = new AtomicLong();
  private volatile Revision latest;
  int failures;
  boolean queued;
  boolean polling;
  ScheduledFuture<?> timer;

  PollGroup(String key, Delays delays) {
    this.key = key;
    this.delays = delays;
  }

  /** The source that polls for the group now: the longest-standing member's. */
  Source leader() {
    return members.iterator().next().reconciler.source();
  }

  void latest(Revision revision) {
    latest = revision;
  }

  /** {@return the revision of the last successful poll, null before the first} */
  Revision latest() {
    return latest;
  }

  /** The revision of the last successful poll; a run is only queued once there is one. */
  Revision latestOrFail() {
    Revision r = latest;
    if (r == null) {
      throw new IllegalStateException("repository " + key + " was not polled yet");
    }
    return r;
  }

  void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
