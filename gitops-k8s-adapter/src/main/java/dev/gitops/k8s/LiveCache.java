package dev.gitops.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ResourceId;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The live objects last read or written, by id. An object at a given {@code resourceVersion} never
 * changes, so a cached object is exact for the version it carries: writes use it as the base of a
 * three-way patch when the plan was made against that version, instead of a GET. Thread-safe.
 */
final class LiveCache {
  private final Map<ResourceId, ObjectNode> objects = new ConcurrentHashMap<>();
  private final Set<ResourceId> written = ConcurrentHashMap.newKeySet();
  private final AppliedRecord.Written records;

  /** A cache whose target keeps the records it writes in {@code records} (shared by a cluster's targets). */
  LiveCache(AppliedRecord.Written records) {
    this.records = records;
  }

  /** The last-applied records written lately, for reads to decode. */
  public AppliedRecord.Written records() {
    return records;
  }

  /** Remembers an object as read. */
  public void read(ResourceId id, ObjectNode node) {
    objects.put(id, node);
    written.remove(id);
  }

  /** Remembers an object as a write returned it; the next health check judges it. */
  public void written(ResourceId id, ObjectNode node) {
    objects.put(id, node);
    written.add(id);
  }

  /** The object as the last write returned it, until a read or a health check took its place; else null. */
  public ObjectNode answer(ResourceId id) {
    return written.contains(id) ? objects.get(id) : null;
  }

  /** Forgets an object (deleted or gone). */
  public void forget(ResourceId id) {
    objects.remove(id);
    written.remove(id);
  }

  /** The cached object if it is at {@code version}, else null. */
  public ObjectNode at(ResourceId id, String version) {
    ObjectNode node = objects.get(id);
    return node != null && version.equals(node.path("metadata").path("resourceVersion").asText())
        ? node : null;
  }

  /** The object a write just returned (once), else what {@code fetch} gets (and caches). */
  public ObjectNode forHealth(ResourceId id, Supplier<ObjectNode> fetch) {
    if (written.remove(id)) {
      ObjectNode node = objects.get(id);
      if (node != null) {
        return node;
      }
    }
    ObjectNode node = fetch.get();
    if (node == null) {
      forget(id);
    } else {
      read(id, node);
    }
    return node;
  }
}
