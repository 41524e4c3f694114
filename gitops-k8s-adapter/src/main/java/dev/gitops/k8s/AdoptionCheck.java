package dev.gitops.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The adoption check of a read: of the desired ids the owner does not own, those that exist (owned
 * by another owner, or by nobody), so that the plan adopts them or reports the conflict instead of
 * creating them. Without a {@link WatchCache}: a GET each, or one unfiltered LIST of the kind when
 * there are more than {@value ClusterReader#MAX_GETS_PER_KIND}. With one: the cache says which ids
 * exist ({@link WatchCache#existing}), and only those are read from the server — none at all when
 * the desired objects are new, as on a cold start; where the cache cannot vouch, as without it.
 */
final class AdoptionCheck {
  private final WatchCache watch;
  private final Function<KindInfo, List<ObjectNode>> list;
  private final BiFunction<ResourceId, KindInfo, ObjectNode> get;

  /** A check through {@code watch} (or null), with the reader's unfiltered LIST and its GET. */
  AdoptionCheck(WatchCache watch, Function<KindInfo, List<ObjectNode>> list,
                BiFunction<ResourceId, KindInfo, ObjectNode> get) {
    this.watch = watch;
    this.list = list;
    this.get = get;
  }

  /** Starts the presence feeds the checks of {@code kinds} for {@code owner} will read ({@link WatchCache#prepare}). */
  void prepare(String owner, List<KindInfo> kinds) {
    if (watch != null) {
      watch.prepare(kinds, Labels.OWNER, true, owner);
    }
  }

  /** The live objects of {@code ids} (of kind {@code info}, not owned by {@code owner}) that exist. */
  List<ObjectNode> existing(String owner, KindInfo info, List<ResourceId> ids) {
    List<String> keys = ids.stream().map(AdoptionCheck::key).toList();
    Set<String> present = watch == null ? null : watch.existing(info, Labels.OWNER, keys, owner);
    List<ResourceId> read = present == null ? ids
        : ids.stream().filter(id -> present.contains(key(id))).toList();
    List<ObjectNode> found = fetch(info, read);
    if (watch != null && present == null) { // the server's answer, for the cache to compare
      Set<String> unowned = new TreeSet<>();
      for (ObjectNode node : found) {
        if (node.path("metadata").path("labels").path(Labels.OWNER).isMissingNode()) {
          unowned.add(Feed.key(node.path("metadata").path("namespace").asText(""),
              node.path("metadata").path("name").asText()));
        }
      }
      watch.checked(info, Labels.OWNER, keys, unowned);
    }
    return found;
  }

  /** The objects of {@code ids} that exist: a GET each, or one LIST when there are many. */
  private List<ObjectNode> fetch(KindInfo info, List<ResourceId> ids) {
    List<ObjectNode> out = new ArrayList<>();
    if (ids.size() > ClusterReader.MAX_GETS_PER_KIND) {
      Set<ResourceId> wanted = new TreeSet<>(ids);
      for (ObjectNode node : list.apply(info)) {
        if (wanted.contains(LiveObservation.idOf(node, info.namespaced()))) {
          out.add(node);
        }
      }
    } else {
      for (ResourceId id : ids) {
        ObjectNode node = get.apply(id, info);
        if (node != null) {
          out.add(node);
        }
      }
    }
    return out;
  }

  private static String key(ResourceId id) {
    return Feed.key(id.namespace(), id.name());
  }
}
