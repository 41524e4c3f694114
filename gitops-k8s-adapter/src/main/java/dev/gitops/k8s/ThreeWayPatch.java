package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.model.ResourceId;
import java.util.Iterator;
import java.util.Map;

/**
 * A three-way RFC 6902 patch: sets what desired sets and the live object lacks or holds
 * differently, and removes what the library applied last time and desired no longer sets, as the
 * plan's diff removes it ({@code removal}): an object left out goes whole unless another writer
 * keeps it ({@link FieldSchema.Node#keptWhenLeftOut}), when only what was applied in it goes; a
 * field another manager owns stays. Fields only the live object has (server defaults, other
 * writers) are left alone. A keyed list or set whose schema node says so is written element by
 * element at any depth, as the diff walks it (a container's {@code ports} or {@code env} inside
 * {@code containers}: an element another writer added stays), each element named by its live
 * index after a {@code test} of its key; other lists (atomic, positional, unknown) are replaced
 * whole when they differ beyond what the server adds to their elements. The optimistic-concurrency
 * precondition is a {@code resourceVersion} replace.
 */
final class ThreeWayPatch {
  private static final JsonNode EMPTY_LIST = JsonNodeFactory.instance.arrayNode();

  private ThreeWayPatch() {}

  /**
   * The operations that take {@code live} to {@code desired}, knowing nothing of its schema or of
   * other writers: an object left out is removed whole.
   *
   * @param desired what to write
   * @param live the object as read
   * @param last what was applied last time, or null
   * @param resourceVersion the version planned against, or null for no precondition
   */
  public static ArrayNode of(JsonNode desired, JsonNode live, JsonNode last, String resourceVersion) {
    return of(desired, live, last, resourceVersion, null);
  }

  /**
   * The operations that take {@code live} to {@code desired}, removing what left it as the plan's
   * diff does with {@code root}.
   *
   * @param root the schema node the plan diffed the object with (its kind's, with the fields other
   *     managers own: {@link #root}), or null
   */
  static ArrayNode of(JsonNode desired, JsonNode live, JsonNode last, String resourceVersion, FieldSchema.Node root) {
    ArrayNode ops = JsonNodeFactory.instance.arrayNode();
    if (resourceVersion != null && !resourceVersion.isEmpty()) {
      op(ops, live.path("metadata").has("resourceVersion") ? "replace" : "add",
          "/metadata/resourceVersion", JsonNodeFactory.instance.textNode(resourceVersion));
    }
    objects(ops, "", desired, live, last, root);
    return ops;
  }

  /**
   * The operations of an update of {@code id} to {@code desired}, as {@link #of} with {@code root},
   * and what the API server drops on that write and nobody applied, as the plan shows it
   * ({@link ServiceTypeDrops}: a Service whose type Git changes loses the allocated node ports, the
   * defaulted external traffic policy, ...): removed by the patch itself, so that the object it
   * leaves is the one the server stores (its strategy would wipe them alike,
   * {@code dropTypeDependentFields}) whatever applies it, and plan and patch agree. Likewise an
   * alternative of a one-of group another manager keeps beside Git's ({@link OneOfRefusals}): the
   * patch removes it (validation would refuse the object with both); without force the writer
   * refuses such a patch first ({@link PatchConflicts#of(ResourceId, JsonNode, JsonNode, JsonNode, JsonNode,
   * FieldSchema.Node)}).
   */
  static ArrayNode update(ResourceId id, JsonNode desired, ObjectNode live, JsonNode last, String resourceVersion,
                          FieldSchema.Node root) {
    JsonNode applied = ServerWritten.withoutServerWritten(last);
    JsonNode drops = id.group().isEmpty() && "Service".equals(id.kind())
        ? ServiceTypeDrops.drops(id, ObservedCopy.of(live), desired, applied) : null;
    // as the plan's schema (KubernetesSchema.root): a removal the server's defaulting undoes is hidden
    FieldSchema.Node defaulted = LeftOutDefaults.of(id, root, desired, applied);
    JsonNode refused = OneOfFields.refused(id, ObservedCopy.of(live), desired, applied, defaulted);
    return of(desired, live, OneOfRefusals.removable(refused, ServiceTypeDrops.removable(drops, applied)),
        resourceVersion, ServiceTypeDrops.of(OneOfRefusals.of(defaulted, refused), drops));
  }

  /**
   * The schema node the plan diffs {@code live} with, as far as removals go: the kind's, with the
   * fields other managers own ({@code managedFields} as an observation keeps them, {@link ObservedCopy}).
   */
  static FieldSchema.Node root(SchemaSources schemas, ResourceId id, ObjectNode live, JsonNode desired) {
    return schemas.root(id, ObservedCopy.of(live), desired);
  }

  private static void objects(ArrayNode ops, String path, JsonNode d, JsonNode a, JsonNode l, FieldSchema.Node node) {
    Iterator<Map.Entry<String, JsonNode>> it = d.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String p = path + "/" + Pointers.escape(e.getKey());
      if (p.equals("/metadata/resourceVersion")) {
        continue;
      }
      JsonNode dv = e.getValue();
      JsonNode av = a.get(e.getKey());
      if (av == null) {
        op(ops, "add", p, dv);
      } else if (dv.isObject() && av.isObject()) {
        JsonNode lv = l == null ? null : l.get(e.getKey());
        objects(ops, p, dv, av, lv != null && lv.isObject() ? lv : null, field(node, e.getKey()));
      } else if (dv.isArray() && av.isArray() && elements(ops, p, dv, av, l == null ? null : l.get(e.getKey()),
          field(node, e.getKey()))) {
        continue; // written element by element
      } else if ((!subsetEquals(dv, av) || dv.isArray() && dropped(dv, av, l == null ? null : l.get(e.getKey())))
          && !allocated(field(node, e.getKey()), av, dv, l == null ? null : l.get(e.getKey()))
          && !appendedOnly(dv, av, l == null ? null : l.get(e.getKey()), field(node, e.getKey()))
          && !DisabledProjections.droppedOnly(dv, av, field(node, e.getKey()))) {
        op(ops, "replace", p, dv);
      }
    }
    if (l != null) {
      Iterator<String> names = l.fieldNames();
      while (names.hasNext()) {
        String k = names.next();
        if (!d.has(k) && a.has(k)) {
          removal(ops, path + "/" + Pointers.escape(k), a.get(k), l.get(k), field(node, k));
        }
      }
    }
  }

  /**
   * The removal of {@code a}, applied last as {@code l}, at {@code path}, decided as the diff's walk
   * decides it ({@code ObjectWalk.removed}, {@code Walk.differ}) with the same schema node and the
   * same decision ({@link FieldSchema.Node#removedInParts}): an object another writer keeps
   * ({@link FieldSchema.Node#keptWhenLeftOut}: under server-side apply
   * and JSON Patch alike, the server records who wrote what in {@code managedFields}) loses only
   * what was applied in it, field by field at any depth, and stays with the rest (a human's
   * annotation, {@code kubectl rollout restart}'s {@code restartedAt}); a value another manager
   * owns stays (the plan hides its removal as theirs; an element or map entry they own only fields
   * in goes whole, as the plan says), an atomic map or struct whole as the walk
   * takes it; a keyed list or set another writer keeps loses the elements that were applied, each
   * by its live index ({@link #elements}): whole, unless another writer keeps that element, when it
   * loses only what was applied in it; anything else goes whole (a probe nobody else keeps, with the
   * defaults the server filled in).
   */
  private static void removal(ArrayNode ops, String path, JsonNode a, JsonNode l, FieldSchema.Node node) {
    if (node != null && a.isObject() && l.isObject() && node.removedInParts()) {
      for (Iterator<String> names = l.fieldNames(); names.hasNext(); ) {
        String k = names.next();
        if (a.has(k)) {
          removal(ops, path + "/" + Pointers.escape(k), a.get(k), l.get(k), node.field(k));
        }
      }
    } else if (node != null && a.isArray() && l.isArray() && node.removedInParts()
        && elements(ops, path, EMPTY_LIST, a, l, node)) {
      return; // the elements that were applied went, each by its live index
    } else if (node == null || node.hidden(a, null, l) == null) {
      // unless the plan hides it: another manager's, or what the server stores again when a write
      // leaves it out (a default, an allocated value), which a removal would not change
      op(ops, "remove", path, null);
    }
  }

  /**
   * Writes the keyed list or set {@code d} over the live {@code a} element by element, as the plan's
   * diff walks it ({@code ListWalk}): an element both have is written field by field at its live
   * index (an atomic element replaced whole), one that was applied last ({@code l}) and {@code d}
   * left out is removed ({@link #elementRemoval}), one only {@code d} has is added at {@code -};
   * elements only another writer put there stay. Removals go last, by descending live index, so
   * every index the patch names is the live one. Each element named by index is preceded by a
   * {@code test} of its key fields (or of its value, in a set), so a list someone reordered since
   * it was read fails the patch (the server answers 422) instead of writing the wrong element.
   * False, writing nothing, where the list is not matched so (no schema, atomic, positional) or
   * its elements cannot be matched one to one (an element without its key, two with one key).
   */
  private static boolean elements(ArrayNode ops, String path, JsonNode d, JsonNode a, JsonNode l,
                                  FieldSchema.Node node) {
    FieldSchema.ListMatch match = node == null || node.atomic() ? null : node.match();
    if (match == null || match.kind() == FieldSchema.ListMatch.Kind.ATOMIC || !matchable(d, match)
        || !d.isEmpty() && !matchable(a, match)) {
      return false;
    }
    boolean[] matched = new boolean[a.size()];
    for (JsonNode de : d) {
      int i = indexOf(a, de, match);
      if (i >= 0) {
        matched[i] = true;
        ArrayNode inner = JsonNodeFactory.instance.arrayNode();
        FieldSchema.Node en = node.element(de);
        if (de.isObject() && a.get(i).isObject() && (en == null || !en.atomic())) {
          objects(inner, path + "/" + i, de, a.get(i), appliedElement(l, de, match), en);
        } else if (!subsetEquals(de, a.get(i)) || dropped(de, a.get(i), appliedElement(l, de, match))) {
          op(inner, "replace", path + "/" + i, de);
        }
        indexed(ops, path + "/" + i, a.get(i), match, inner);
      }
    }
    for (int i = a.size() - 1; i >= 0; i--) {
      JsonNode le = matched[i] ? null : appliedElement(l, a.get(i), match);
      if (le != null) {
        ArrayNode inner = JsonNodeFactory.instance.arrayNode();
        elementRemoval(inner, path + "/" + i, a.get(i), le, node.element(a.get(i)));
        indexed(ops, path + "/" + i, a.get(i), match, inner);
      }
    }
    for (JsonNode de : d) {
      if (indexOf(a, de, match) < 0) {
        op(ops, "add", path + "/-", de);
      }
    }
    return true;
  }

  /**
   * The removal of an element that was applied ({@code l}) and desired left out, as the plan's walk
   * decides it: whole unless another writer keeps the element itself
   * ({@link FieldSchema.Node#keptWhenLeftOut}: a manager owns it, {@code .}; owning fields in it keeps
   * nothing), when it loses only what was applied in it, or nothing when it is atomic.
   */
  private static void elementRemoval(ArrayNode ops, String path, JsonNode a, JsonNode l, FieldSchema.Node node) {
    if (node == null || !node.keptWhenLeftOut()) {
      op(ops, "remove", path, null);
    } else if (node.removedInParts()) {
      removal(ops, path, a, l, node);
    }
  }

  /** Adds {@code inner}, the operations on the live element {@code a} at {@code path}, after a test of its identity. */
  private static void indexed(ArrayNode ops, String path, JsonNode a, FieldSchema.ListMatch match, ArrayNode inner) {
    if (inner.isEmpty()) {
      return;
    }
    if (match.kind() == FieldSchema.ListMatch.Kind.SET) {
      op(ops, "test", path, a);
    } else {
      for (String key : match.keys()) {
        if (a.has(key)) {
          op(ops, "test", path + "/" + Pointers.escape(key), a.get(key));
        }
      }
    }
    ops.addAll(inner);
  }

  /** True when each element of {@code list} is matched by key (or value) to itself alone. */
  private static boolean matchable(JsonNode list, FieldSchema.ListMatch match) {
    for (int i = 0; i < list.size(); i++) {
      if (indexOf(list, list.get(i), match) != i) {
        return false;
      }
    }
    return true;
  }

  /** The element of {@code applied}, as applied last, that {@code element} is, or null. */
  private static JsonNode appliedElement(JsonNode applied, JsonNode element, FieldSchema.ListMatch match) {
    int i = applied == null || !applied.isArray() ? -1 : indexOf(applied, element, match);
    return i < 0 ? null : applied.get(i);
  }

  /**
   * The index of the first element of {@code list} that {@code element} is, or -1: in a set the same
   * value; in a keyed list one with the same key fields ({@link OwnedNode#sameKey}, a key field left
   * out read as its default on either side).
   */
  static int indexOf(JsonNode list, JsonNode element, FieldSchema.ListMatch match) {
    for (int i = 0; i < list.size(); i++) {
      JsonNode e = list.get(i);
      if (match.kind() == FieldSchema.ListMatch.Kind.SET ? e.isValueNode() && e.equals(element)
          : e.isObject() && element.isObject() && OwnedNode.sameKey(withDefaults(e, match), element, match)) {
        return i;
      }
    }
    return -1;
  }

  /** The key fields of {@code element}, each it leaves out as its default (left out when it has none). */
  private static ObjectNode withDefaults(JsonNode element, FieldSchema.ListMatch match) {
    ObjectNode key = JsonNodeFactory.instance.objectNode();
    for (int k = 0; k < match.keys().size(); k++) {
      JsonNode v = element.has(match.keys().get(k)) ? element.get(match.keys().get(k)) : match.defaults().get(k);
      if (v != null) {
        key.set(match.keys().get(k), v);
      }
    }
    return key;
  }

  /**
   * True when {@code d} leaves empty a value the server allocated ({@code a}) and keeps on every
   * write that leaves it so (a Service's {@code clusterIP: ""}, {@code clusterIPs: []}): the plan
   * hides it as an allocated value, and replacing it would be sent on every run to change nothing.
   */
  private static boolean allocated(FieldSchema.Node node, JsonNode a, JsonNode d, JsonNode l) {
    return node != null && SchemaField.ALLOCATED.equals(node.hidden(a, d, l));
  }

  /**
   * True when the atomic list {@code a} is {@code d} (as applied last, {@code l}) followed by elements
   * the plan hides as the server's ({@link SchemaField#SERVER_APPENDED}: the tolerations admission
   * appends to a Pod's, {@link PodAdmission}): replacing it would remove what the server added,
   * which it refuses on a Pod (tolerations only grow) or puts back on every write (pair 436).
   */
  private static boolean appendedOnly(JsonNode d, JsonNode a, JsonNode l, FieldSchema.Node node) {
    if (node == null || !d.isArray() || !a.isArray() || a.size() <= d.size() || dropped(d, a, l)) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (i < d.size() ? !subsetEquals(d.get(i), a.get(i))
          : !SchemaField.SERVER_APPENDED.equals(hiddenElement(node, a.get(i)))) {
        return false;
      }
    }
    return true;
  }

  private static String hiddenElement(FieldSchema.Node list, JsonNode element) {
    FieldSchema.Node node = list.element(element);
    return node == null ? null : node.hidden(element, null, null);
  }

  private static FieldSchema.Node field(FieldSchema.Node node, String name) {
    return node == null ? null : node.field(name);
  }

  /**
   * True when a field applied last time ({@code l}) that {@code d} no longer sets is still in
   * {@code a}, at any depth, elements by position: a list whose elements lost a field Git applied
   * before is written whole, as server-side apply writes an atomic list, though {@code d} is
   * otherwise a subset of it.
   */
  static boolean dropped(JsonNode d, JsonNode a, JsonNode l) {
    if (l == null || a == null || d.isObject() != l.isObject() || d.isArray() != l.isArray()) {
      return false;
    }
    if (d.isArray()) {
      for (int i = 0; i < d.size() && i < l.size(); i++) {
        if (dropped(d.get(i), a.get(i), l.get(i))) {
          return true;
        }
      }
      return false;
    }
    for (Iterator<String> names = d.isObject() ? l.fieldNames() : java.util.Collections.emptyIterator(); names.hasNext(); ) {
      String k = names.next();
      if (d.has(k) ? dropped(d.get(k), a.get(k), l.get(k)) : a.has(k)) {
        return true;
      }
    }
    return false;
  }

  /** True when everything {@code d} sets, {@code a} holds alike (numbers by value). */
  public static boolean subsetEquals(JsonNode d, JsonNode a) {
    if (d.isObject()) {
      if (!a.isObject()) {
        return false;
      }
      Iterator<Map.Entry<String, JsonNode>> it = d.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode av = a.get(e.getKey());
        if (av == null ? !e.getValue().isNull() : !subsetEquals(e.getValue(), av)) {
          return false;
        }
      }
      return true;
    }
    if (d.isArray()) {
      if (!a.isArray() || a.size() != d.size()) {
        return false;
      }
      for (int i = 0; i < d.size(); i++) {
        if (!subsetEquals(d.get(i), a.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (d.isNumber() && a.isNumber()) {
      return d.decimalValue().compareTo(a.decimalValue()) == 0;
    }
    return d.equals(a);
  }

  private static void op(ArrayNode ops, String op, String path, JsonNode value) {
    ObjectNode o = ops.addObject();
    o.put("op", op);
    o.put("path", path);
    if (value != null) {
      o.set("value", value);
    }
  }
}
