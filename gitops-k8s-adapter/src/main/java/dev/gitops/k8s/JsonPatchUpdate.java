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
 * ({@link PatchConflicts}); an adoption's takes kubectl's last-applied record off the object. One
 * computation for the write and for its dry run ({@link AdmissionKept}), so both send the same ops.
 * Thread-safe.
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
   * @param adopt true for an adoption (nobody's fields are a conflict then, and kubectl's
   *     last-applied record goes: {@link #kubectlRecordLeft})
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
      last = ServerWritten.withoutServerWritten(Pointers.without(id, last, ignore));
    }
    // a gate the live Pod no longer has cannot be added back (PodAppended.ungated)
    ObjectNode body = PodAppended.ungated(id, bodies.writable(desired, owner), live);
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
    if (adopt && kubectlRecordLeft(live, body)) {
      ops.addObject().put("op", "remove").put("path", KUBECTL_RECORD);
    }
    return ops;
  }

  /** The pointer of kubectl's last-applied record, {@value ManagedFields#KUBECTL_RECORD}. */
  static final String KUBECTL_RECORD = "/metadata/annotations/" + Pointers.escape(ManagedFields.KUBECTL_RECORD);

  /**
   * True when an adoption's patch takes kubectl's last-applied record off {@code live}: the object
   * has one and Git does not set it. Left there it went stale at once (this library keeps its own
   * record), and a later plain {@code kubectl apply} takes it as the "original" of its three-way
   * patch ({@code k8s.io/kubectl/pkg/cmd/apply/patcher.go}, {@code GetOriginalConfiguration}): it
   * deletes what the stale record holds and the human's file lacks, fields gitops applies since.
   * A server-side adoption removes it alike (the hand-over gives {@code gitops} what
   * {@code kubectl-client-side-apply} owned, the annotation among it, and the apply, not sending it,
   * drops it), as Flux's cleanup does ({@code fluxcd/pkg/ssa} {@code ApplyCleanupOptions.Annotations}
   * with {@code LastAppliedConfigAnnotation}). A record kubectl writes on an owned object later is
   * that human's, left alone under either strategy. The diff never shows it (a noise annotation).
   */
  static boolean kubectlRecordLeft(JsonNode live, JsonNode body) {
    return live.path("metadata").path("annotations").has(ManagedFields.KUBECTL_RECORD)
        && !body.path("metadata").path("annotations").has(ManagedFields.KUBECTL_RECORD);
  }

  /** The request context of a JSON Patch as the field manager {@code gitops}, a dry run when {@code dry}. */
  static PatchContext context(boolean dry) {
    return new PatchContext.Builder().withPatchType(PatchType.JSON).withFieldManager(Labels.FIELD_MANAGER)
        .withDryRun(dry ? List.of("All") : null).build();
  }
}
