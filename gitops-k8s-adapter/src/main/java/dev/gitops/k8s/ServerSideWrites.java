package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.target.StaleResourceException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;

/**
 * The server-side apply requests of {@link ClusterWriter}: one apply, and an update's apply after
 * the {@code managedFields} patch before it ({@link OwnershipPatches}), which a dry run sends as a
 * dry run too. Not public API.
 */
final class ServerSideWrites {
  private final ObjectRequests requests;
  private final LiveCache cache;
  private final WriteBodies bodies;
  private final OwnershipPatches patches;
  private final SchemaSources schemas;
  private final boolean force;
  private final boolean dryRun;

  ServerSideWrites(ObjectRequests requests, LiveCache cache, WriteBodies bodies, OwnershipPatches patches,
                   SchemaSources schemas, boolean force, boolean dryRun) {
    this.requests = requests;
    this.cache = cache;
    this.schemas = schemas;
    this.bodies = bodies;
    this.patches = patches;
    this.force = force;
    this.dryRun = dryRun;
  }

  /**
   * An update's (or adoption's) apply of {@code desired} at {@code expected}, after the patch that
   * left {@code handed} (in a dry run, what it answered: {@link #afterHandOver}). An update whose apply
   * meets the Update entry of {@code gitops} (the patch was not sent: the target's cache did not
   * hold the planned object, as when a plan made by another target instance is applied) is
   * upgraded then ({@link #upgradedOnConflict}); an adoption's hand-over, made on the object as read,
   * has taken that entry over already. The object the server answered, or null.
   */
  ObjectNode update(ResourceId id, KindInfo info, Resource desired, String owner, String expected,
                    OwnershipPatches.Patched handed, boolean adopt) {
    if (handed.managedFields() != null) { // a dry run: the patch persisted nothing
      ArrayNode ops = force ? handedOverOps(id, desired, owner, expected, handed) : null;
      if (!force || ops != null) {
        return ops == null ? afterHandOver(id, info, desired, owner, expected, handed, null)
            : requests.patch(id, info, JsonPatchUpdate.context(true), Json.write(ops));
      }
    }
    try {
      ObjectNode answer = apply(id, info, desired, owner, expected, dryRun, force);
      return force && handed.managedFields() == null ? upgradedAfterForce(id, info, desired, owner, expected, answer)
          : answer;
    } catch (KubernetesClientException e) {
      if (adopt || !UpdateEntryUpgrade.conflictsWithUpdateEntry(e)) {
        throw e;
      }
      return upgradedOnConflict(id, info, desired, owner, expected, e);
    }
  }

  /**
   * After a forced apply whose {@code answer} still holds the Update entry of {@code gitops} (the
   * target's cache did not hold the planned object, so nothing upgraded it before, and force took
   * over its conflicts instead of failing on them): the entry upgraded on the version just written and
   * the apply sent again, so that what the entry owns and Git left is removed in this run, not the
   * next (force moves only the fields the apply sends; structured-merge-diff's {@code merge/update.go}
   * removes a field only when its last manager stops applying it). A dry run reads the object and
   * answers, as an upgrade's dry run does ({@link #handedOverOps}), what that second apply would store.
   * {@code answer} itself, and no request, when there is no such entry (the usual path).
   */
  private ObjectNode upgradedAfterForce(ResourceId id, KindInfo info, Resource desired, String owner, String expected,
                                        ObjectNode answer) {
    if (answer == null || UpdateEntryUpgrade.upgraded(answer.path("metadata").path("managedFields")) == null) {
      return answer;
    }
    if (!dryRun) {
      String at = "version:" + answer.path("metadata").path("resourceVersion").asText();
      return apply(id, info, desired, owner, patches.upgraded(id, info, at, answer).expected(), false, true);
    }
    ObjectNode live = requests.get(id, info);
    OwnershipPatches.Patched upgraded = live == null ? null : patches.upgraded(id, info, expected, live);
    ArrayNode ops = upgraded == null ? null : handedOverOps(id, desired, owner, expected, upgraded);
    return ops == null ? answer : requests.patch(id, info, JsonPatchUpdate.context(true), Json.write(ops));
  }

  /**
   * After an apply that {@code conflict} refused naming the Update entry of {@code gitops}: the
   * object read once, its entries upgraded by one JSON Patch on the planned version (a 409 when the
   * object moved: the step is stale, nothing written), and the apply sent again at the version the
   * patch answered; in a dry run the conflicts the upgrade ends are set aside as an adoption's are
   * ({@link HandOverConflicts}). Only a failing apply pays the GET and the patch: the usual path
   * upgrades before the apply from the cache ({@link OwnershipPatches#current}).
   */
  private ObjectNode upgradedOnConflict(ResourceId id, KindInfo info, Resource desired, String owner, String expected,
                                        KubernetesClientException conflict) {
    ObjectNode live = requests.get(id, info);
    if (live == null) {
      throw new StaleResourceException(id, expected, "absent");
    }
    OwnershipPatches.Patched upgraded = patches.upgraded(id, info, expected, live);
    if (upgraded == null) {
      throw conflict; // nothing of gitops' Update entry to take over: the conflict stands as answered
    }
    if (!dryRun) {
      return apply(id, info, desired, owner, upgraded.expected(), false, false);
    }
    return afterHandOver(id, info, desired, owner, expected, upgraded, conflict);
  }

  /**
   * A dry run's apply after the patch {@code handed} (an adoption's hand-over or the upgrade of the
   * Update entry of {@code gitops}), sent as a dry run too: the server still holds the
   * {@code managedFields} from before it, so the apply (or {@code refused}, its answer when already
   * sent) meets conflicts the patch ends, which are set aside ({@link HandOverConflicts}), and it
   * keeps the fields the patch makes this library's that left Git, which the real apply removes.
   * When there are none of those, the apply is sent again, forced, which takes over exactly the
   * conflicts set aside (admission and validation run on it). When there are, the dry run standing
   * for the write is a JSON Patch on the planned version taking the object to what the real apply
   * stores ({@link #handedOverOps}): validation and admission judge that object, not one holding
   * both what Git dropped and what replaced it (a {@code valueFrom} kubectl applied beside Git's
   * {@code value}: the forced apply was refused, 422, where the real adoption passes).
   */
  private ObjectNode afterHandOver(ResourceId id, KindInfo info, Resource desired, String owner, String expected,
                                   OwnershipPatches.Patched handed, KubernetesClientException refused) {
    ArrayNode ops = handedOverOps(id, desired, owner, expected, handed);
    KubernetesClientException e = refused;
    ObjectNode answer = null;
    if (e == null) {
      try {
        answer = apply(id, info, desired, owner, expected, true, false);
      } catch (KubernetesClientException sent) {
        e = sent;
      }
    }
    if (e != null) {
      // a 422 comes after the field manager found no conflict (the API server's store.go Update:
      // objInfo.UpdatedObject, then validation): with fields to remove it may be theirs
      KubernetesClientException standing = ops != null && e.getCode() == 422 ? null
          : HandOverConflicts.standing(e, handed.managedFields());
      if (standing != null) {
        throw standing;
      }
      if (ops == null) {
        return apply(id, info, desired, owner, expected, true, true);
      }
    }
    return ops == null ? answer : requests.patch(id, info, JsonPatchUpdate.context(true), Json.write(ops));
  }

  /**
   * The JSON Patch taking the object the dry run's patch was sent on ({@code handed.live()}) to
   * what the real apply after it stores: Git's values set, and what the {@code gitops} Apply entry
   * the patch leaves owns and Git no longer sets removed as the plan removes it
   * ({@link ThreeWayPatch#update}, that entry as what was applied last, other managers' fields
   * kept); null when it removes nothing (the forced apply then says as much) or the object is not
   * known.
   */
  private ArrayNode handedOverOps(ResourceId id, Resource desired, String owner, String expected,
                                  OwnershipPatches.Patched handed) {
    if (handed.live() == null || !expected.startsWith("version:")) {
      return null;
    }
    ObjectNode live = handed.live().deepCopy();
    live.with("metadata").set("managedFields", handed.managedFields());
    JsonNode last = null;
    for (JsonNode entry : handed.managedFields()) {
      if (ManagedFields.ours(entry)) {
        last = ManagedFields.stored(live, ManagedFields.applied(entry.path("fieldsV1")));
      }
    }
    if (last == null) {
      return null;
    }
    ObjectNode body = body(id, desired, owner, handed.live());
    ArrayNode ops = ThreeWayPatch.update(id, body, live, last, expected.substring("version:".length()),
        ThreeWayPatch.root(schemas, id, live, body));
    for (JsonNode op : ops) {
      if ("remove".equals(op.path("op").asText())) {
        return ops;
      }
    }
    return null;
  }

  /** One server-side apply request, a dry run when {@code dry}; the object the server answered, or null. */
  ObjectNode apply(ResourceId id, KindInfo info, Resource desired, String owner, String expected, boolean dry,
                   boolean forced) {
    ObjectNode body = body(id, desired, owner, live(id, info, expected));
    if (expected.startsWith("version:")) { // the server refuses (409) when the object moved
      body.with("metadata").put("resourceVersion", expected.substring("version:".length()));
    }
    PatchContext ctx = new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
        .withFieldManager(Labels.FIELD_MANAGER).withForce(forced ? Boolean.TRUE : null)
        .withDryRun(dry ? List.of("All") : null).build();
    return requests.patch(id, info, ctx, Json.write(body));
  }

  /**
   * The body of an apply of {@code desired} by {@code owner} onto {@code live} (null: a create):
   * desired minus ignored fields with the ownership labels, and on a Pod's update the entries the
   * server appended on create kept inside the atomic values {@code gitops} owns ({@link PodAppended}).
   */
  ObjectNode body(ResourceId id, Resource desired, String owner, JsonNode live) {
    return PodAppended.kept(schemas, id, Labels.owned(bodies.stripped(desired), owner), live);
  }

  /**
   * The object an update of Pod {@code id} at {@code expected} applies to: the cached one at that
   * version, else as read now (a plan made by another target instance); null for another kind, a
   * create, or an object gone (the apply then answers for it).
   */
  private ObjectNode live(ResourceId id, KindInfo info, String expected) {
    if (!PodAppended.concerns(id) || !expected.startsWith("version:")) {
      return null;
    }
    ObjectNode live = cache == null ? null : cache.at(id, expected.substring("version:".length()));
    return live != null ? live : requests.get(id, info);
  }
}
