package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.Content;
import dev.gitops.model.JsonTrees;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;

/**
 * One live object as the API server returns it, read as an observation: its id, whether anybody
 * owns it, what this library applied last (the field set it owns by server-side apply, or its
 * last-applied record), and the content the diff compares. Split from {@link ClusterReader}, which
 * reads many and keeps what it decoded from one read to the next. Stateless. Not public API.
 */
final class LiveObservation {
  private LiveObservation() {}

  /**
   * The field set of the manager {@code gitops} with operation {@code Apply}, or null; of an object
   * nobody owns, with the sets an adoption takes over ({@link ManagedFields#HANDED_OVER}); of one
   * without any entry ({@link ManagedFields#untracked}), kubectl's last-applied record, or null.
   */
  static JsonNode ownedFields(ObjectNode live) {
    return ownedFields(live, false);
  }

  /**
   * As {@link #ownedFields(ObjectNode)}, and when {@code upgrade} (a target that applies server-side)
   * as the writer leaves the entries before its apply: with what {@code gitops} wrote by JSON Patch
   * before a switch of strategy (its Update entry, {@link UpdateEntryUpgrade}) taken in, so that the
   * plan removes what of it left Git, as the apply does.
   */
  static JsonNode ownedFields(ObjectNode live, boolean upgrade) {
    if (adoptable(live)) {
      boolean untracked = ManagedFields.untracked(live);
      ObjectNode set = untracked ? ManagedFields.kubectlRecord(live)
          : ManagedFields.adopted(adoptedEntries(live, upgrade));
      return set == null ? null
          : JsonTrees.compactCopy(ManagedFields.stored(live, untracked ? set : ManagedFields.applied(set)));
    }
    JsonNode entries = live.path("metadata").path("managedFields");
    JsonNode upgraded = upgrade ? UpdateEntryUpgrade.upgraded(entries) : null;
    for (JsonNode entry : upgraded != null ? upgraded : entries) {
      if (ManagedFields.ours(entry) && entry.get("fieldsV1") instanceof ObjectNode fields) {
        return JsonTrees.compactCopy(ManagedFields.stored(live, ManagedFields.applied(fields)));
      }
    }
    return null;
  }

  /**
   * The {@code managedFields} of an object nobody owns; when {@code upgrade}, and an Update entry of
   * {@code gitops} is among them, as the writer's hand-over leaves them
   * ({@link OwnershipPatches#handedOver}: that entry taken into the Apply entry, at the object's
   * version), so that the adoption's plan removes what of it left Git, as its apply does.
   */
  private static JsonNode adoptedEntries(ObjectNode live, boolean upgrade) {
    JsonNode entries = live.path("metadata").path("managedFields");
    boolean update = false;
    for (JsonNode e : entries) {
      update |= UpdateEntryUpgrade.isUpdate(e);
    }
    if (!upgrade || !update) {
      return entries;
    }
    JsonNode handed = ManagedFields.handOver(entries, live.path("apiVersion").asText(), "");
    return UpdateEntryUpgrade.upgraded(handed != null ? handed : entries);
  }

  /** The text of the last-applied annotation, or null. */
  static String record(ObjectNode live) {
    JsonNode record = live.path("metadata").path("annotations").get(Labels.APPLIED);
    return record == null ? null : record.asText();
  }

  /**
   * The observation {@link ClusterReader} makes of one live object, namespaced when it has a namespace;
   * what was applied last is the field set {@code gitops} owns by server-side apply when the
   * object has one, else the last-applied annotation.
   */
  public static Observed observe(ObjectNode live) {
    return observe(live, record(live) == null);
  }

  /** As {@link #observe(ObjectNode)}, for a target that applies server-side or not. */
  static Observed observe(ObjectNode live, boolean serverSide) {
    ResourceId id = idOf(live, !live.path("metadata").path("namespace").asText("").isEmpty());
    return observe(id, live, node -> {
      JsonNode fields = ownedFields(node, serverSide);
      String record = record(node);
      return fields != null ? fields : record == null ? null : AppliedRecord.decode(record);
    }, serverSide);
  }

  /**
   * What {@link KubernetesTarget#observed(ObjectNode, ApplyStrategy)} makes of {@code live} for a
   * target writing with {@code strategy}: under {@link ApplyStrategy#JSON_PATCH}, what was applied
   * last is this library's last-applied annotation, or kubectl's on an object nobody owns.
   */
  static Observed observe(ObjectNode live, ApplyStrategy strategy) {
    if (strategy != ApplyStrategy.JSON_PATCH) {
      return observe(live, true);
    }
    ResourceId id = idOf(live, !live.path("metadata").path("namespace").asText("").isEmpty());
    return observe(id, live, node -> AppliedRecord.lastApplied(node, AppliedRecord::decode), false);
  }

  /** True when nobody owns {@code live}: no {@value Labels#OWNER} label. */
  static boolean adoptable(JsonNode live) {
    return live.path("metadata").path("labels").path(Labels.OWNER).isMissingNode();
  }

  /** The id of a live object. */
  static ResourceId idOf(JsonNode node, boolean namespaced) {
    JsonNode m = node.path("metadata");
    return new ResourceId(KindInfo.groupOf(node.path("apiVersion").asText()),
        node.path("kind").asText(), namespaced ? m.path("namespace").asText("") : "",
        m.path("name").asText());
  }

  /**
   * An observation of a live object: owner label, version, what was applied last ({@code applied}
   * finds it). Its content has no {@code status} and, of {@code metadata.managedFields}, only what
   * other managers own (outside status): neither is ever compared (health reads the live object
   * itself), and together they are often most of an object, so they are not kept (as client-go's
   * {@code TransformStripManagedFields} does for informer caches); the other managers' fields let
   * the diff say who owns a field it does not count, and, {@code serverSide}, conflict.
   */
  static Observed observe(ResourceId id, ObjectNode live,
                          java.util.function.Function<ObjectNode, JsonNode> applied, boolean serverSide) {
    return observe(id, live, applied, serverSide, null);
  }

  /**
   * As {@link #observe(ResourceId, ObjectNode, java.util.function.Function, boolean)}, telling
   * {@code dropped} (when not null) the fields {@code gitops} wrote that the server dropped
   * ({@link ServerDrops}), which what was applied last marks.
   */
  static Observed observe(ResourceId id, ObjectNode live, java.util.function.Function<ObjectNode, JsonNode> applied,
                          boolean serverSide, java.util.function.BiConsumer<ResourceId, java.util.List<ServerDrops.Dropped>> dropped) {
    ObjectNode content = ObservedCopy.of(live, serverSide);
    JsonNode metadata = content.path("metadata");
    if (metadata.get("annotations") instanceof ObjectNode annotations
        && annotations.remove(Labels.APPLIED) != null && annotations.isEmpty()) {
      ((ObjectNode) metadata).remove("annotations");
    }
    String owner = metadata.path("labels").path(Labels.OWNER).asText("");
    ServerDrops.Marked marked = ServerDrops.mark(applied.apply(live), live, serverSide);
    if (dropped != null && !marked.fields().isEmpty()) {
      dropped.accept(id, marked.fields());
    }
    JsonNode last = marked.applied();
    return new Observed(Resource.of(id, new Content.Tree(content)), owner,
        metadata.path("resourceVersion").asText(""), last == null ? null : new Content.Tree(last));
  }
}
