package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ResourceId;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The JSON Patches of {@code metadata.managedFields} the writer sends before a server-side apply,
 * so that the apply does what the plan says: an adoption's hand-over ({@link ManagedFields}) and
 * this library's entry moved off a version no supported server serves. Each carries the planned
 * {@code resourceVersion} (a 409 when the object moved). In a dry run each is sent with
 * {@code dryRun=All}: the server checks it and persists nothing, so the dry-run apply that follows
 * still meets the {@code managedFields} before it, and an adoption's result says what the patch
 * would have left ({@link HandOverConflicts} reads the apply's conflicts against that,
 * {@link ServerSideWrites} what the real apply removes). Not public API.
 */
final class OwnershipPatches {
  private final ObjectRequests requests;
  private final LiveCache cache;
  private final SchemaSources schemas;
  private final boolean dryRun;

  OwnershipPatches(ObjectRequests requests, LiveCache cache, SchemaSources schemas, boolean dryRun) {
    this.requests = requests;
    this.cache = cache;
    this.schemas = schemas;
    this.dryRun = dryRun;
  }

  /**
   * What a patch step left: the version to apply at and, in a dry run where a patch was sent, the
   * {@code managedFields} the server answered it would have written and the object it was sent on
   * (else both null).
   */
  record Patched(String expected, JsonNode managedFields, ObjectNode live) {}

  /**
   * Before an adoption by server-side apply: the fields {@code kubectl apply} (client-side) or the
   * time before field managers set ({@link ManagedFields#HANDED_OVER}) become this library's, by
   * one JSON Patch of {@code managedFields} carrying the planned version, so that a field the
   * adoption's plan removes is removed, and later ones too. An object without any
   * {@code managedFields} gets one entry of this library's owning what kubectl's last-applied record
   * holds (and the record itself): else the server would make {@code before-first-apply} the owner
   * of every field, the apply a conflict on each value Git changes, and what left Git would stay.
   * What {@code gitops} itself wrote by JSON Patch before its ownership labels were removed (its
   * Update entry) is taken into its Apply entry by the same patch, as an update's is
   * ({@link UpdateEntryUpgrade}): else the adoption's apply conflicts with it on every value Git
   * changed since, and what left Git stays. Returns the version to apply at (and in a dry run what
   * the patch would leave); {@code live} is the object as read now.
   */
  Patched handedOver(ResourceId id, KindInfo info, String expected, ObjectNode live) {
    if (!LiveObservation.adoptable(live)) {
      return patched(id, info, expected, live, null);
    }
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    ArrayNode entries = ManagedFields.untracked(live) ? ManagedFields.first(live,
            schemas.find(id.group(), id.kind(), info.apiVersion()), info.apiVersion(), now)
        : ManagedFields.handOver(live.path("metadata").path("managedFields"), info.apiVersion(), now);
    ArrayNode upgraded = UpdateEntryUpgrade.upgraded(entries != null ? entries : live.path("metadata").path("managedFields"));
    return patched(id, info, expected, live, upgraded != null ? upgraded : entries);
  }

  /**
   * Before an update by server-side apply: this library's entry at a version no supported server
   * serves moved to the one applied ({@link ManagedFields#current}), else the server drops it unused
   * and removes nothing that left Git; and what this library wrote by JSON Patch before a switch of
   * strategy (its Update entry) taken into its Apply entry ({@link UpdateEntryUpgrade}), else the
   * apply conflicts with it and keeps what it owns. The planned object from the cache, no request
   * to read it. Returns the version to apply at (and in a dry run what the patch would leave).
   */
  Patched current(ResourceId id, KindInfo info, String expected) {
    ObjectNode live = expected.startsWith("version:") ? cache.at(id, expected.substring("version:".length())) : null;
    Patched upgraded = live == null ? null : upgraded(id, info, expected, live);
    return upgraded != null ? upgraded : new Patched(expected, null, null);
  }

  /**
   * As {@link #current}, for {@code live}, the object as read (the patch carries the planned
   * version all the same: a 409 when the object moved); null, sending nothing, when its entries
   * need no patch.
   */
  Patched upgraded(ResourceId id, KindInfo info, String expected, ObjectNode live) {
    JsonNode entries = live.path("metadata").path("managedFields");
    ArrayNode moved = ManagedFields.current(entries, id.kind(), info.apiVersion());
    ArrayNode upgraded = UpdateEntryUpgrade.upgraded(moved != null ? moved : entries);
    ArrayNode patch = upgraded != null ? upgraded : moved;
    return patch == null ? null : patched(id, info, expected, live, patch);
  }

  /** {@code entries} (null: nothing to write) written as {@code managedFields} (a dry run in one). */
  private Patched patched(ResourceId id, KindInfo info, String expected, ObjectNode live, ArrayNode entries) {
    if (entries == null) {
      return new Patched(expected, null, null);
    }
    String version = expected.startsWith("version:") ? expected.substring("version:".length())
        : live.path("metadata").path("resourceVersion").asText();
    ArrayNode ops = Json.MAPPER.createArrayNode();
    ops.addObject().put("op", "replace").put("path", "/metadata/resourceVersion").put("value", version);
    ops.addObject().put("op", "replace").put("path", "/metadata/managedFields").set("value", entries);
    PatchContext ctx = new PatchContext.Builder().withPatchType(PatchType.JSON)
        .withFieldManager(Labels.FIELD_MANAGER).withDryRun(dryRun ? List.of("All") : null).build();
    ObjectNode result = requests.patch(id, info, ctx, Json.write(ops));
    if (dryRun) { // nothing persisted: the apply meets the version and managedFields as they were
      return new Patched(expected, result == null ? entries : result.path("metadata").path("managedFields"), live);
    }
    return new Patched(result == null ? expected : "version:" + result.path("metadata").path("resourceVersion").asText(),
        null, null);
  }

}
