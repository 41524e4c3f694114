package dev.gitops.k8s;

import dev.gitops.model.DesiredState;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import java.util.ArrayList;
import java.util.List;

/**
 * The objects gitops keeps for itself in a target's inventory namespace, which no desired state
 * may name and no step may write: the kind inventories ({@code gitops-kinds-*}, every owner's), the
 * push-deploy history ({@value KubernetesTarget#HISTORY_CONFIG_MAP}) and the Leases of the locks
 * ({@value KubernetesTarget#LOCK_LEASE}, {@code gitops-lock-*}) and of sharding
 * ({@code gitops-shard-*}; only those in the inventory namespace are known to the target). None of
 * them carries the owner label, so a desired object of that name would be an adoption conflict, and
 * with adoption on it would be taken over: an inventory so adopted loses what pruning knows of its
 * owner, a Lease so adopted breaks a lock. Hence a problem of the desired state, found before the
 * plan, and a refusal of any step on one (a plan edited by hand).
 */
final class Bookkeeping {
  private static final String CONFIG_MAPS = "ConfigMap";
  private static final String LEASES = "Lease";
  private static final String LEASE_GROUP = "coordination.k8s.io";
  /** The prefix of the membership Leases of {@link dev.gitops.k8s.lease.Shard}. */
  private static final String SHARD_PREFIX = "gitops-shard-";

  private Bookkeeping() {}

  /**
   * Why {@code id} may not be desired nor written, in a target whose inventory namespace is
   * {@code namespace} ({@code "names a lock gitops keeps ..."}); null when it may.
   */
  static String problem(ResourceId id, String namespace) {
    if (!id.namespace().equals(namespace)) {
      return null;
    }
    String name = id.name();
    String what = null;
    if (id.group().isEmpty() && id.kind().equals(CONFIG_MAPS)) {
      what = name.startsWith(KindInventory.NAME_PREFIX) || name.equals(KindSheets.SHARED) ? "a kind inventory"
          : name.equals(KubernetesTarget.HISTORY_CONFIG_MAP) ? "the push-deploy history" : null;
    } else if (id.group().equals(LEASE_GROUP) && id.kind().equals(LEASES)) {
      what = name.equals(KubernetesTarget.LOCK_LEASE) || name.startsWith(LeaseLockable.OWNER_PREFIX)
          ? "a lock" : name.startsWith(SHARD_PREFIX) ? "a shard's lease" : null;
    }
    return what == null ? null
        : "names " + what + " gitops keeps for itself in the namespace " + ResourceId.escape(namespace);
  }

  /** The resources of {@code desired} that {@link #problem} refuses, with their file and line. */
  static List<Problem> problems(DesiredState desired, String namespace) {
    List<Problem> problems = new ArrayList<>();
    for (Resource r : desired.resources()) {
      String problem = problem(r.id(), namespace);
      if (problem != null) {
        problems.add(Problem.at(r.origin(), r.id(), "it " + problem
            + ": it cannot be a desired object; rename it or move it to another namespace"));
      }
    }
    return problems;
  }
}
