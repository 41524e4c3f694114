package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.model.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The server-side apply body of a Pod's update, with what the live Pod holds inside the atomic values
 * {@code gitops} applies whole that the server would refuse to lose ({@link PodAdmission#keptOnUpdate}):
 * the {@code RuntimeClass} plugin's nodeSelector keys and tolerations and the Pod strategy's label
 * selector expressions, appended on create; the {@code resizePolicy} entries {@code SetDefaults_Pod}
 * of 1.30 to 1.32 appended with {@code InPlacePodVerticalScaling} on, and a container's whole list of
 * such policies {@code gitops} applied and Git left out ({@link PodAdmission#keptWhole}); the
 * nodeSelector keys, required node expressions, preferred node terms and tolerations another manager
 * added, and the {@code tolerationSeconds} it set on a toleration Git gives without them
 * ({@link PodAdmission}; a live toleration is matched to Git's with its seconds aside,
 * {@link PodAdmission#sameEntry}, so Git's seconds replace another's rather than stand beside a copy
 * of the old toleration); and without the scheduling gates the live Pod no longer has (an
 * update may only remove gates, {@code validateOnlyDeletedSchedulingGates}). The plan hides each as
 * the server's or that manager's. Apply replaces an atomic value whole, so a body with Git's alone
 * (an image bump, which a Pod takes) would take them out, and {@code ValidatePodUpdate} refuses that
 * on every run (a Pod's tolerations only grow: every old one must be in the new list,
 * {@code validateOnlyAddedTolerations}; its nodeSelector, affinity and containers' resize policies
 * are immutable, a gated Pod's nodeSelector takes additions only);
 * where another manager owns the value, Git's alone is a conflict with it. Kept after Git's entries,
 * in the live Pod's order, which is the order they were appended in ({@code tolerations.MergeTolerations},
 * {@code applyLabelKeysToLabelSelector}, {@code SetDefaults_Pod}), so the stored values stay as they
 * are and the next plan is empty; {@code gitops} owns the atomic values whole (a field set cannot own
 * less of them), now applied with those entries. Only on kind Pod, only inside atomic values, only
 * what {@link PodAdmission} tells; any other value goes as Git has it. Stateless. Not public API.
 */
final class PodAppended {
  private PodAppended() {}

  /** True for the kind this concerns: a core Pod. */
  static boolean concerns(ResourceId id) {
    return id.group().isEmpty() && "Pod".equals(id.kind());
  }

  /**
   * {@code body}, the apply body of object {@code id} (changed in place, and returned), with the
   * entries the live Pod {@code live} has that an update must keep ({@link PodAdmission#keptOnUpdate})
   * kept inside its atomic values, judged with the kind's schema from {@code schemas} as the plan judges them
   * ({@link PodAdmission#pod}); {@code body} as it is for another kind, a create ({@code live} null)
   * or a kind without a schema.
   */
  static ObjectNode kept(SchemaSources schemas, ResourceId id, ObjectNode body, JsonNode live) {
    if (!concerns(id) || live == null || !live.isObject()) {
      return body;
    }
    JsonNode apiVersion = body.get("apiVersion");
    FieldSchema.Node schema = schemas.find(id.group(), id.kind(),
        apiVersion != null && apiVersion.isTextual() ? apiVersion.textValue() : null);
    if (schema != null) {
      JsonNode applied = LiveObservation.ownedFields((ObjectNode) live, true); // what the plan takes as applied
      walk(PodAdmission.pod(schema, live), body, live, applied == null ? MissingNode.getInstance() : applied);
    }
    ungated(id, body, live);
    return body;
  }

  /**
   * Out of {@code body}'s scheduling gates, each the live Pod no longer has: its controller removed
   * it, and an update may not add a gate ({@code validateOnlyDeletedSchedulingGates}), so applied
   * again it was refused on every run ({@link PodAdmission#UNGATED}); the field goes when none is left.
   * For a Pod's update ({@code live} not null) by server-side apply and by JSON Patch alike; {@code body}
   * (changed in place) is returned.
   */
  static ObjectNode ungated(ResourceId id, ObjectNode body, JsonNode live) {
    if (!concerns(id) || live == null || !(body.path("spec").get("schedulingGates") instanceof ArrayNode gates)) {
      return body;
    }
    for (int i = gates.size() - 1; i >= 0; i--) {
      boolean kept = false;
      for (JsonNode g : live.path("spec").path("schedulingGates")) {
        kept |= Json.sameValue(g.get("name"), gates.get(i).get("name"));
      }
      if (!kept) {
        gates.remove(i);
      }
    }
    if (gates.isEmpty()) {
      ((ObjectNode) body.get("spec")).remove("schedulingGates");
    }
    return body;
  }

  /**
   * Down objects by field and keyed lists by key, outside atomic values, beside {@code applied}, the
   * same place in what {@code gitops} owns ({@link LiveObservation#ownedFields}; missing where it owns
   * nothing): a value Git left out whole that the live object has is added back where
   * {@link PodAdmission#keptWhole} says so.
   */
  private static void walk(FieldSchema.Node node, JsonNode b, JsonNode a, JsonNode applied) {
    if (b.isObject() && a.isObject()) {
      for (Map.Entry<String, JsonNode> e : b.properties()) {
        FieldSchema.Node child = node.field(e.getKey());
        JsonNode av = a.get(e.getKey());
        if (child != null && av != null) {
          if (child.atomic()) {
            inside(child, e.getValue(), av);
          } else {
            walk(child, e.getValue(), av, applied.path(e.getKey()));
          }
        }
      }
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        if (!b.has(e.getKey()) && node.field(e.getKey()) instanceof PodAdmission pod
            && pod.keptWhole(e.getValue(), applied.get(e.getKey()))) {
          ((ObjectNode) b).set(e.getKey(), e.getValue().deepCopy());
        }
      }
    } else if (b.isArray() && a.isArray() && node.match() != null
        && node.match().kind() == FieldSchema.ListMatch.Kind.KEYED) {
      for (JsonNode element : b) {
        int i = ThreeWayPatch.indexOf(a, element, node.match());
        int j = applied.isArray() ? ThreeWayPatch.indexOf(applied, element, node.match()) : -1;
        FieldSchema.Node child = i < 0 ? null : node.element(element);
        if (child != null) {
          walk(child, element, a.get(i), j < 0 ? MissingNode.getInstance() : applied.get(j));
        }
      }
    }
  }

  /**
   * Inside an atomic value: a key only live has, or a list element no element of {@code b} equals,
   * added to {@code b} when it is a create-only addition; the rest compared below (fields by name,
   * list elements by position, as the diff matches an atomic list's).
   */
  private static void inside(FieldSchema.Node node, JsonNode b, JsonNode a) {
    if (b.isObject() && a.isObject()) {
      List<String> names = new ArrayList<>();
      a.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        FieldSchema.Node child = node.field(name);
        JsonNode bv = b.get(name);
        if (bv == null && appended(child, a.get(name))) {
          ((ObjectNode) b).set(name, a.get(name).deepCopy());
        } else if (bv != null && child != null) {
          inside(child, bv, a.get(name));
        }
      }
    } else if (b.isArray() && a.isArray()) {
      PodAdmission list = node instanceof PodAdmission pod ? pod : null;
      for (int i = 0; i < b.size(); i++) {
        JsonNode partner = list != null ? list.counterpart(b.get(i), a, i) : i < a.size() ? a.get(i) : null;
        FieldSchema.Node child = partner != null && b.get(i).isContainerNode() ? node.element(b.get(i)) : null;
        if (child != null) {
          inside(child, b.get(i), partner);
        }
      }
      List<JsonNode> added = new ArrayList<>();
      for (JsonNode element : a) {
        if (!contains(list, b, element) && appended(node.element(element), element)) {
          added.add(element.deepCopy());
        }
      }
      ((ArrayNode) b).addAll(added);
    }
  }

  private static boolean appended(FieldSchema.Node node, JsonNode actual) {
    return node instanceof PodAdmission pod && pod.keptOnUpdate(actual);
  }

  /** True when {@code list} has an element that is {@code element}, as {@code node} tells ({@link PodAdmission#sameEntry}). */
  private static boolean contains(PodAdmission node, JsonNode list, JsonNode element) {
    for (JsonNode e : list) {
      if (node != null ? node.sameEntry(e, element) : Json.sameValue(e, element)) {
        return true;
      }
    }
    return false;
  }
}
