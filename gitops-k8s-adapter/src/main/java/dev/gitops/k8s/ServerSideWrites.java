package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
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
  private final WriteBodies bodies;
  private final OwnershipPatches patches;
  private final boolean force;
  private final boolean dryRun;

  ServerSideWrites(ObjectRequests requests, WriteBodies bodies, OwnershipPatches patches, boolean force, boolean dryRun) {
    this.requests = requests;
    this.bodies = bodies;
    this.patches = patches;
    this.force = force;
    this.dryRun = dryRun;
  }

  /**
   * An update's (or adoption's) apply of {@code desired} at {@code expected}, after the patch that
   * left {@code handed} (in a dry run its answer: {@link #afterHandOver}). An update whose apply
   * meets the Update entry of {@code gitops} (the patch was not sent: the target's cache did not
   * hold the planned object, as when a plan made by another target instance is applied) is
   * upgraded then ({@link #upgradedOnConflict}). The object the server answered, or null.
   */
  ObjectNode update(ResourceId id, KindInfo info, Resource desired, String owner, String expected,
                    JsonNode handed, boolean adopt) {
    if (handed != null && !force) {
      return afterHandOver(id, info, desired, owner, expected, handed);
    }
    try {
      return apply(id, info, desired, owner, expected, dryRun, force);
    } catch (KubernetesClientException e) {
      if (adopt || !UpdateEntryUpgrade.conflictsWithUpdateEntry(e)) {
        throw e;
      }
      return upgradedOnConflict(id, info, desired, owner, expected, e);
    }
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
    KubernetesClientException standing = HandOverConflicts.standing(conflict, upgraded.managedFields());
    if (standing != null) {
      throw standing;
    }
    return apply(id, info, desired, owner, expected, true, true);
  }

  /**
   * A dry-run adoption's apply, the hand-over sent as a dry run too: the server still holds the
   * {@code managedFields} from before it, so the conflicts the hand-over ends are set aside
   * ({@link HandOverConflicts}); when none other stands, the apply is sent again, forced, which
   * takes over exactly those (admission and validation run on it). What the forced answer still
   * holds of the handed-over fields left Git (the real apply removes them) is not reported.
   */
  private ObjectNode afterHandOver(ResourceId id, KindInfo info, Resource desired, String owner, String expected,
                                   JsonNode managedFields) {
    try {
      return apply(id, info, desired, owner, expected, true, false);
    } catch (KubernetesClientException e) {
      KubernetesClientException standing = HandOverConflicts.standing(e, managedFields);
      if (standing != null) {
        throw standing;
      }
      return apply(id, info, desired, owner, expected, true, true);
    }
  }

  /** One server-side apply request, a dry run when {@code dry}; the object the server answered, or null. */
  ObjectNode apply(ResourceId id, KindInfo info, Resource desired, String owner, String expected, boolean dry,
                   boolean forced) {
    ObjectNode body = Labels.owned(bodies.stripped(desired), owner);
    if (expected.startsWith("version:")) { // the server refuses (409) when the object moved
      body.with("metadata").put("resourceVersion", expected.substring("version:".length()));
    }
    PatchContext ctx = new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
        .withFieldManager(Labels.FIELD_MANAGER).withForce(forced ? Boolean.TRUE : null)
        .withDryRun(dry ? List.of("All") : null).build();
    return requests.patch(id, info, ctx, Json.write(body));
  }
}
