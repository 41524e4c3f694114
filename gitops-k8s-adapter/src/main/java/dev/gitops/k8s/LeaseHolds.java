package dev.gitops.k8s;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The locks a {@link KubernetesTarget} holds now, by Lease name: its writer asks them before every
 * step, so that a holder that lost its lock writes nothing more, as a leader stops leading
 * (client-go's {@code OnStoppedLeading}). Thread-safe.
 */
final class LeaseHolds {
  private final Map<String, LeaseHold> held = new ConcurrentHashMap<>();

  /** {@code hold} holds {@code lease} now. */
  void held(String lease, LeaseHold hold) {
    held.put(lease, hold);
  }

  /** {@code hold} no longer holds {@code lease} (closed); a later hold of it is kept. */
  void released(String lease, LeaseHold hold) {
    held.remove(lease, hold);
  }

  /**
   * Why {@code owner} must not write now: this target holds its lock ({@code gitops-lock-<owner>})
   * or the whole cluster's ({@value KubernetesTarget#LOCK_LEASE}) and lost it; null when it lost
   * neither (or holds none).
   */
  String lost(String owner) {
    for (String lease : new String[] {LeaseLockable.leaseName(owner), KubernetesTarget.LOCK_LEASE}) {
      LeaseHold hold = held.get(lease);
      String lost = hold == null ? null : hold.lost();
      if (lost != null) {
        return lost;
      }
    }
    return null;
  }
}
