package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.model.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fields {@code gitops} wrote that the API server dropped, found from the live object alone: a
 * field its own {@code managedFields} entry still owns (the Apply entry under server-side apply,
 * the Update entry under the JSON Patch strategy) that the object does not have.
 *
 * <p>The API server runs the field manager before the strategy: a create records the decoded
 * object ({@code handlers/create.go}: {@code FieldManager.UpdateNoErrors}, then {@code r.Create},
 * whose {@code rest.BeforeCreate} calls {@code PrepareForCreate}), an update or patch records it in
 * {@code objInfo.UpdatedObject} ({@code handlers/patch.go} {@code applyPatch}) before the store's
 * {@code rest.BeforeUpdate} calls {@code PrepareForUpdate} ({@code generic/registry/store.go}
 * {@code Update}). What the strategy then drops (a field behind a feature gate the cluster has off:
 * {@code dropDisabledFields} of {@code pkg/api/pod/util.go}, a Service's {@code trafficDistribution},
 * a container's {@code resizePolicy}; a field the strategy resets that is not among its reset
 * fields) is never stored, yet stays in the writer's set, write after write. Another writer's update
 * that removes a field takes it out of every manager's set (structured-merge-diff
 * {@code merge/update.go}), so a field removed by hand is no longer owned: drift, not a drop.
 * Status, which the strategies reset, is not owned at all (the field manager ignores reset fields).
 *
 * <p>What was applied last is marked with {@link #DROPPED} at each such field, so the diff hides it
 * ({@link SchemaField#DROPPED}) instead of planning an add that every write drops again. Stateless;
 * not public API.
 */
final class ServerDrops {
  /** In what was applied last, in place of a field the server dropped. */
  static final JsonNode DROPPED = TextNode.valueOf(SchemaField.DROPPED);
  /**
   * In what was applied last under server-side apply, in place of a field owned as a leaf (a
   * scalar, an atomic or empty list, map or struct: the field set holds no value) that the object
   * lacks: dropped by the server, unless what was applied there was a zero value that Go's encoder
   * leaves out ({@code hostNetwork: false}, {@code args: []}), which a later change of Git must not
   * hide. The diff counts it as dropped only where the server keeps a zero ({@link SchemaField}), or
   * once this target wrote the same desired content and the field still did not appear
   * ({@link WrittenContent}).
   */
  static final JsonNode UNLESS_ZERO = TextNode.valueOf(SchemaField.DROPPED + ", unless a zero left out");

  private ServerDrops() {}

  /** What was applied last with its dropped fields marked, and those fields. */
  record Marked(JsonNode applied, List<Dropped> fields) {}

  /**
   * One dropped field: {@code text} as it prints ({@code .spec.template.spec.containers[name=web].resizePolicy},
   * escaped), {@code at} its steps, a field name or the key fields of a keyed list's element;
   * {@code certain} unless marked {@link #UNLESS_ZERO}.
   */
  record Dropped(String text, List<Object> at, boolean certain) {
    Dropped {
      at = List.copyOf(at);
    }

    /** {@code tree} with {@link #DROPPED} in place of the value here: a copy, or {@code tree} itself when it holds none. */
    JsonNode markedIn(JsonNode tree) {
      JsonNode copy = tree.deepCopy();
      JsonNode parent = new Dropped(text, at.subList(0, at.size() - 1), certain).in(copy);
      if (parent instanceof ObjectNode o && at.get(at.size() - 1) instanceof String name && o.has(name)) {
        o.set(name, DROPPED);
        return copy;
      }
      return tree;
    }

    /** The value {@code tree} holds here, an element found by its key fields; null when it holds none. */
    JsonNode in(JsonNode tree) {
      JsonNode node = tree;
      for (Object step : at) {
        node = node == null ? null : step instanceof String name ? node.get(name) : find(node, (ObjectNode) step);
      }
      return node;
    }
  }

  /**
   * {@code applied} (what {@code gitops} applied last to {@code live}) with {@link #DROPPED} at
   * every field the server dropped; {@code applied} itself, and no field, when none was, when
   * nobody owns {@code live} yet, or when no entry of {@code gitops} shows one.
   *
   * @param serverSide whether the target writes by server-side apply (the evidence is its Apply
   *     entry) or by JSON Patch (its Update entry)
   */
  static Marked mark(JsonNode applied, ObjectNode live, boolean serverSide) {
    if (!(applied instanceof ObjectNode a) || LiveObservation.adoptable(live)) {
      return new Marked(applied, List.of());
    }
    JsonNode entry = entryOf(live.path("metadata").path("managedFields"), serverSide ? "Apply" : "Update");
    if (entry == null) {
      return new Marked(applied, List.of());
    }
    // under server-side apply, what was applied last is that entry's set (LiveObservation.ownedFields)
    JsonNode owned = serverSide ? a : ManagedFields.applied(entry);
    List<Dropped> fields = new ArrayList<>();
    JsonNode marked = fields(a, owned, live, new Step(null, "", null), true, serverSide, fields);
    return new Marked(marked, List.copyOf(fields));
  }

  /** The {@code fieldsV1} of the entry of manager {@code gitops} with {@code operation} on the object itself, or null. */
  private static JsonNode entryOf(JsonNode managedFields, String operation) {
    for (JsonNode e : managedFields) {
      if (Labels.FIELD_MANAGER.equals(e.path("manager").asText()) && operation.equals(e.path("operation").asText())
          && e.path("subresource").asText("").isEmpty() && e.get("fieldsV1") instanceof ObjectNode fields) {
        return fields;
      }
    }
    return null;
  }

  /** Where the walk is: the step before, this step's text and the step itself (a name or a key), or the root. */
  private record Step(Step parent, String text, Object step) {
    Step field(String name) {
      return new Step(this, stepText(name), name);
    }

    Step element(ObjectNode key) {
      return new Step(this, stepText(key), key);
    }

    Dropped dropped(boolean certain) {
      java.util.ArrayDeque<Step> steps = new java.util.ArrayDeque<>();
      for (Step s = this; s.step != null; s = s.parent) {
        steps.push(s);
      }
      StringBuilder text = new StringBuilder();
      List<Object> at = new ArrayList<>();
      for (Step s : steps) {
        text.append(s.text);
        at.add(s.step);
      }
      return new Dropped(text.toString(), at, certain);
    }
  }

  /** {@code applied}, or a copy with the fields {@code owned} has and {@code live} lacks marked. */
  private static JsonNode fields(JsonNode applied, JsonNode owned, JsonNode live, Step path, boolean root,
                                 boolean serverSide, List<Dropped> found) {
    if (!(applied instanceof ObjectNode a) || !owned.isObject() || !live.isObject()) {
      return applied;
    }
    ObjectNode copy = null;
    for (Map.Entry<String, JsonNode> e : a.properties()) {
      String name = e.getKey();
      JsonNode ownedHere = owned.get(name);
      if (ownedHere == null || name.equals(FieldSchema.APPLIED_WHOLE) || root && (name.equals("metadata") || name.equals("status")
          || name.equals("apiVersion") || name.equals("kind"))) {
        continue;
      }
      Step at = path.field(name);
      JsonNode liveHere = live.get(name);
      JsonNode next;
      if (liveHere == null || liveHere.isNull()) {
        JsonNode value = e.getValue();
        boolean filled = value.isContainerNode() && !value.isEmpty(); // owned members: not a zero
        if (!serverSide && !filled && zero(value)) {
          continue; // the record holds a zero, which Go's encoder leaves out: not a drop
        }
        boolean certain = filled || !serverSide;
        next = certain ? DROPPED : UNLESS_ZERO;
        found.add(at.dropped(certain));
      } else if (e.getValue().isArray() && ownedHere.isArray() && liveHere.isArray()) {
        next = elements((ArrayNode) e.getValue(), ownedHere, liveHere, at, serverSide, found);
      } else {
        next = fields(e.getValue(), ownedHere, liveHere, at, false, serverSide, found);
      }
      if (next != e.getValue()) {
        copy = copy != null ? copy : a.deepCopy();
        copy.set(name, next);
      }
    }
    return copy != null ? copy : applied;
  }

  /**
   * The elements of a keyed list, each matched to the owned element and the live one by the key
   * fields the owned element names ({@link ManagedFields#applied}: key fields with their values,
   * the others {@link ManagedFields#OWNED}), and searched for dropped fields.
   */
  private static JsonNode elements(ArrayNode applied, JsonNode owned, JsonNode live, Step path, boolean serverSide,
                                   List<Dropped> found) {
    ArrayNode copy = null;
    for (int i = 0; i < applied.size(); i++) {
      JsonNode element = applied.get(i);
      ObjectNode key = element.isObject() ? keyOf(owned, element) : null;
      JsonNode liveElement = key == null ? null : find(live, key);
      if (liveElement == null) {
        continue;
      }
      JsonNode ownedElement = find(owned, key);
      JsonNode next = fields(element, ownedElement, liveElement, path.element(key), false, serverSide, found);
      if (next != element) {
        copy = copy != null ? copy : applied.deepCopy();
        copy.set(i, next);
      }
    }
    return copy != null ? copy : applied;
  }

  /** True when {@code applied} holds an {@link #UNLESS_ZERO} mark anywhere. */
  static boolean uncertain(JsonNode applied) {
    if (UNLESS_ZERO.equals(applied)) {
      return true;
    }
    for (JsonNode child : applied) {
      if (uncertain(child)) {
        return true;
      }
    }
    return false;
  }

  /** {@code applied} with every {@link #UNLESS_ZERO} mark made {@link #DROPPED}: a copy, or itself when it has none. */
  static JsonNode settled(JsonNode applied) {
    return settled(applied, place -> true);
  }

  /**
   * {@code applied} with the {@link #UNLESS_ZERO} marks whose place {@code which} accepts (a
   * {@link Dropped} not {@code certain}, found in a desired object by {@link Dropped#in}) made
   * {@link #DROPPED}: a copy, or itself when none is. An element's key is its fields other than
   * {@link ManagedFields#OWNED}: what the field set names it by.
   */
  static JsonNode settled(JsonNode applied, java.util.function.Predicate<Dropped> which) {
    if (!uncertain(applied) || !applied.isContainerNode()) {
      return applied;
    }
    JsonNode copy = applied.deepCopy();
    return settle(copy, new Step(null, "", null), which) ? copy : applied;
  }

  /** Makes the marks below {@code node} (a copy) that {@code which} accepts {@link #DROPPED}; true when one was. */
  private static boolean settle(JsonNode node, Step at, java.util.function.Predicate<Dropped> which) {
    boolean changed = false;
    if (node instanceof ObjectNode o) {
      for (String name : o.properties().stream().map(Map.Entry::getKey).toList()) {
        JsonNode child = o.get(name);
        if (UNLESS_ZERO.equals(child)) {
          if (which.test(at.field(name).dropped(false))) {
            o.set(name, DROPPED);
            changed = true;
          }
        } else if (child.isContainerNode()) {
          changed |= settle(child, at.field(name), which);
        }
      }
    } else if (node instanceof ArrayNode a) {
      for (JsonNode element : a) {
        ObjectNode key = keyFields(element);
        if (!key.isEmpty()) {
          changed |= settle(element, at.element(key), which);
        }
      }
    }
    return changed;
  }

  /** True for what Go's encoder leaves out as a zero value: null, false, 0, "", an empty list or map. */
  static boolean zero(JsonNode v) {
    return v.isNull() || v.isContainerNode() && v.isEmpty() || v.isBoolean() && !v.booleanValue()
        || v.isNumber() && v.decimalValue().signum() == 0 || v.isTextual() && v.textValue().isEmpty();
  }

  /** The key fields of the owned element {@code element} matches, or null when none matches. */
  private static ObjectNode keyOf(JsonNode owned, JsonNode element) {
    for (JsonNode o : owned) {
      ObjectNode key = keyFields(o);
      if (!key.isEmpty() && matches(element, key)) {
        return key;
      }
    }
    return null;
  }

  /**
   * The key fields of an element as {@link ManagedFields#applied} gives it: its value fields other
   * than {@link ManagedFields#OWNED} (what the field set names the element by); empty when none.
   */
  private static ObjectNode keyFields(JsonNode element) {
    ObjectNode key = Json.MAPPER.createObjectNode();
    element.properties().forEach(f -> {
      if (f.getValue().isValueNode() && !f.getValue().equals(ManagedFields.OWNED)) {
        key.set(f.getKey(), f.getValue());
      }
    });
    return key;
  }

  /** The first element of {@code list} with {@code key}'s fields, or null. */
  private static JsonNode find(JsonNode list, ObjectNode key) {
    for (JsonNode element : list) {
      if (matches(element, key)) {
        return element;
      }
    }
    return null;
  }

  private static boolean matches(JsonNode element, ObjectNode key) {
    for (Map.Entry<String, JsonNode> f : key.properties()) {
      if (!Json.sameValue(element.get(f.getKey()), f.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** {@code name=web} or {@code containerPort=80,protocol=TCP}, escaped. */
  /**
   * How {@code step} prints in a {@link Dropped}'s text: a field name as {@code .name}, a keyed list's
   * element by its key fields as {@code [name=web]}, escaped.
   *
   * @param step a field name, or the key fields of an element ({@link ObjectNode})
   */
  static String stepText(Object step) {
    return step instanceof ObjectNode key ? "[" + keyText(key) + "]" : "." + ResourceId.escape((String) step);
  }

  private static String keyText(ObjectNode key) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, JsonNode> f : key.properties()) {
      out.append(out.isEmpty() ? "" : ",").append(ResourceId.escape(f.getKey())).append('=')
          .append(ResourceId.escape(f.getValue().asText()));
    }
    return out.toString();
  }
}
