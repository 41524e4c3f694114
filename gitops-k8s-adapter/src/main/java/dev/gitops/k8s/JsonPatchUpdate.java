package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.diff.PathRule;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;

/**
 * The RFC 6902 patch an update sends under {@link ApplyStrategy#JSON_PATCH}: the three-way patch
 * ({@link ThreeWayPatch}) from the desired body, the live object and what was applied last, with a
 * member the desired strategy type forbids removed ({@link StrategySwitch}); refused with a
 * {@link FieldConflictException} where it would take a field another manager took
 * ({@link PatchConflicts}). One computation for the write and for its dry run
 * ({@link AdmissionKept}), so both send the same ops. Thread-safe.
 */
final class JsonPatchUpdate {
  private final List<PathRule> ignore;
  private final WriteBodies bodies;
  private final SchemaSources schemas;
  private final boolean force;

  /** Patches without the fields {@code ignore} names, bodies from {@code bodies}, removals as {@code schemas} decide. */
  JsonPatchUpdate(List<PathRule> ignore, WriteBodies bodies, SchemaSources schemas, boolean force) {
    this.ignore = ignore;
    this.bodies = bodies;
    this.schemas = schemas;
    this.force = force;
  }

  /**
   * The ops taking {@code live} to {@code desired} as {@code owner}, the first setting
   * {@code metadata.resourceVersion} to {@code version} (the server answers 409 when the object moved).
   *
   * @param adopt true for an adoption (nobody's fields are a conflict then)
   * @throws FieldConflictException when, without force, the patch would take fields of other managers
   */
  ArrayNode ops(Resource desired, String owner, ObjectNode live, String version, boolean adopt) {
    ResourceId id = desired.id();
    // What the plan's reader took as applied last: this library's record, on an adoption too (the
    // record of an owner whose label was taken away; an adoption under server-side apply takes
    // over the gitops Apply entry alike), else kubectl's on an adoption. Without it the plan's
    // removals were never made.
    JsonNode last = AppliedRecord.lastApplied(live, AppliedRecord::decode);
    if (last != null) {
      last = Pointers.without(id, last, ignore);
    }
    ObjectNode body = bodies.writable(desired, owner);
    // Removals and lists decided as the plan's diff decides them: with the schema and other managers' fields.
    FieldSchema.Node root = ThreeWayPatch.root(schemas, id, live, body);
    ArrayNode ops = ThreeWayPatch.update(id, body, live, last, version, root);
    List<String> conflicts = adopt || force ? List.of() : PatchConflicts.of(id, body, ops, live, last, root);
    if (!conflicts.isEmpty()) { // as server-side apply refuses them: never a loop with another writer
      throw new FieldConflictException(id, conflicts);
    }
    String member = StrategySwitch.member(id, desired, live);
    if (member != null) {
      ops.addObject().put("op", "remove").put("path", member);
    }
    return ops;
  }

  /** The request context of a JSON Patch as the field manager {@code gitops}, a dry run when {@code dry}. */
  static PatchContext context(boolean dry) {
    return new PatchContext.Builder().withPatchType(PatchType.JSON).withFieldManager(Labels.FIELD_MANAGER)
        .withDryRun(dry ? List.of("All") : null).build();
  }
}
