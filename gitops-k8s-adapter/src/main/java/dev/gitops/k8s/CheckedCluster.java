package dev.gitops.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ActualState;
import dev.gitops.model.DesiredState;
import dev.gitops.plan.Action;
import dev.gitops.target.Scope;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The work behind one {@link KubernetesTarget}: its {@link ClusterParts} (reader, writer, cache,
 * history, lock, schema, plan options) with the checks of the desired state around them
 * ({@link DesiredChecks}). A read for a desired state is checked first and warns of the fields the
 * server drops from every write ({@link DropWarnings}); a step's answer goes to the checks, and what
 * they say the server decoded away is kept on the object ({@link ClusterWriter#keepDecoded}).
 * Thread-safe, as its parts are. Not public API.
 */
record CheckedCluster(ClusterParts parts, DesiredChecks checks) {
  /**
   * The parts of a target on {@code client} with {@code options}, reading through {@code watch} (or
   * null) with {@code shared}'s schemas and kinds, and their checks.
   */
  static CheckedCluster of(KubernetesClient client, KubernetesTarget.Options options, WatchCache watch,
                           ClusterParts.Shared shared, String describe) {
    ClusterParts parts = ClusterParts.of(client, options, watch, shared, describe);
    DesiredChecks checks = new DesiredChecks(client, parts.planDefaults().diff(), options,
        parts.writer()::dryRunUpdate, parts.writer()::record);
    return new CheckedCluster(parts, checks);
  }

  /** What {@link KubernetesTarget#read(Scope, DesiredState)} reads, once {@code desired} passed the checks. */
  ActualState read(Scope scope, DesiredState desired) {
    ActualState actual = checks.read(scope, desired, parts.reader()::read);
    parts.reader().drops().warn(desired, checks::wroteSame);
    return actual;
  }

  /** Performs one step for {@code owner}, as {@link KubernetesTarget#applyWithDetail} says; returns its detail. */
  String apply(Action action, String owner) {
    ObjectNode before = parts.cache().answer(action.id());
    String detail = parts.writer().apply(action, owner);
    ObjectNode answer = parts.cache().answer(action.id());
    DecodedDrops.Marker kept = checks.written(action, answer == before ? null : answer); // this write's answer only
    if (kept != null) {
      parts.writer().keepDecoded(ReadBack.desired(action), answer, kept, owner);
    }
    return detail;
  }
}
