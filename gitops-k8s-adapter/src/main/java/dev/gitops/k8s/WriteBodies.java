package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.PathRule;
import dev.gitops.model.Content;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.target.TargetException;
import java.util.List;

/** The bodies the writer sends: desired minus ignored fields, with labels and the last-applied record. */
final class WriteBodies {
  private final List<PathRule> ignore;
  private final SchemaSources schemas;
  private final LiveCache cache;
  private final boolean dryRun;

  WriteBodies(List<PathRule> ignore, SchemaSources schemas, LiveCache cache, boolean dryRun) {
    this.ignore = ignore;
    this.schemas = schemas;
    this.cache = cache;
    this.dryRun = dryRun;
  }

  /** Desired minus ignored fields, plus ownership labels and the last-applied record. */
  ObjectNode writable(Resource desired, String owner) {
    ObjectNode applied = stripped(desired);
    String record = AppliedRecord.encode(applied, secret(desired.id()),
        dryRun ? null : cache.records()); // a dry run's is never read
    if (record.length() > AppliedRecord.MAX_BYTES) {
      throw new TargetException(desired.id(), "too large to record for JSON_PATCH (" + record.length()
          + " bytes compressed); use ApplyStrategy.SERVER_SIDE");
    }
    ObjectNode body = Labels.owned(applied, owner);
    Labels.map((ObjectNode) body.get("metadata"), "annotations").put(Labels.APPLIED, record);
    return body;
  }

  /**
   * Desired minus ignored fields; a Secret's {@code stringData} folded into {@code data}, so what is
   * written and recorded has the shape the server stores (and keys that leave Git are removed); a
   * keyed list's null key field with a default left out ({@link NullKeyFields}).
   */
  ObjectNode stripped(Resource desired) {
    JsonNode tree = ((Content.Tree) desired.content()).node();
    ObjectNode copy = (ObjectNode) Pointers.without(desired.id(), tree, ignore).deepCopy();
    if (NullKeyFields.anyNull(copy)) {
      NullKeyFields.leaveOut(schemas.root(desired.id(), null, copy), copy);
    }
    if (secret(desired.id())) {
      Normalize.foldStringData(copy);
    }
    return copy;
  }

  /** True for a Secret of the core group. */
  static boolean secret(ResourceId id) {
    return "Secret".equals(id.kind()) && id.group().isEmpty();
  }
}
