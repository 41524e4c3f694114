package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.FieldSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Elements of any keyed list ({@code x-kubernetes-list-type: map}) that Git dropped and server-side
 * apply's prune keeps for another manager without a field their schema lists as {@code required},
 * found from the schema rather than a table: a container's {@code volumeMounts} (keyed by
 * {@code mountPath}; {@code name} required, {@code ValidateVolumeMounts}: "Required value") and
 * {@code volumeDevices} (keyed by {@code devicePath}), a pod's {@code topologySpreadConstraints}
 * (keyed by {@code topologyKey} and {@code whenUnsatisfiable}; {@code maxSkew} required,
 * {@code ValidateMaxSkew}: "must be greater than zero"), a webhook's {@code matchConditions}
 * ({@code expression}). The prune keeps such an element only while another manager owns it itself
 * ({@code .}), with that manager's fields and the unowned defaults ({@link KeptElements#kept}); what
 * {@code gitops} alone applied goes. The API server's validation enforces the OpenAPI {@code required}
 * fields of these types (of a custom resource's schema, its structural validation does), so such an
 * element makes every apply fail (422).
 *
 * <p>Walked from the object's root in every kind, not only below {@link GroupRoots}: a
 * ValidatingAdmissionPolicy's {@code matchConditions} ({@code expression}; {@code validateMatchCondition}),
 * a CSINode's {@code drivers} ({@code nodeID}), a prerelease or custom kind's lists as its schema
 * says. An element whose type is atomic ({@code x-kubernetes-map-type: atomic}: an owner reference, a
 * policy's {@code variables}) is one leaf of a field set, kept whole or not at all, so never
 * refused. The built-in table holds 323 keyed lists in 69 kinds, 159 of whose elements require a
 * field beside their keys, 70 of them not atomic ({@code RequiredFieldsCoverageTest}). Such an element is marked whole ({@code .}) in the marks of
 * {@link OneOfFields#refused}, named by its key fields ({@code {"=": {mountPath: /cache}, ".":
 * "hotfix"}}: {@link #KEY}), or by {@code name} where that is the list's one key, as the marks name
 * elements there. Walked only where another manager owns something and Git still holds the element's
 * parent. Not public API.
 */
final class RequiredFields {
  /** In a mark of a list element, the element's key fields (when the list is keyed by other than {@code name} alone). */
  static final String KEY = "=";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private RequiredFields() {}

  /**
   * Adds to {@code marks} (at the place of {@code live}) each element below {@code live} that Git
   * dropped and another manager keeps without a required field.
   *
   * @param desired Git's value at this place
   * @param owned the other managers' sets at this place
   * @param mine what {@code gitops} applied last at this place, and the schema node there
   */
  static void mark(JsonNode live, JsonNode desired, List<OneOfFields.Owned> owned, OneOfFields.Mine mine,
                   ObjectNode marks) {
    ObjectNode found = NODES.objectNode();
    walk(live, desired, owned, mine.last(), mine.schema(), found);
    merge(marks, found);
  }

  private static void walk(JsonNode live, JsonNode desired, List<OneOfFields.Owned> owned, JsonNode last,
                           FieldSchema.Node schema, ObjectNode marks) {
    if (!live.isObject() || !desired.isObject() || schema == null || OneOfFields.others(owned).isEmpty()) {
      return;
    }
    for (Map.Entry<String, JsonNode> e : live.properties()) {
      String f = e.getKey();
      FieldSchema.Node node = schema.field(f);
      List<OneOfFields.Owned> below = step(owned, "f:" + f);
      if (node == null || below.isEmpty()) {
        continue;
      }
      FieldSchema.ListMatch match = node.match();
      if (e.getValue().isArray() && match != null && match.kind() == FieldSchema.ListMatch.Kind.KEYED) {
        ArrayNode list = elements(e.getValue(), desired.path(f), below, last.path(f), node, match);
        if (!list.isEmpty()) {
          marks.set(f, list);
        }
      } else if (e.getValue().isObject() && !node.atomic()) {
        ObjectNode m = NODES.objectNode();
        walk(e.getValue(), desired.path(f), below, last.path(f), node, m);
        if (!m.isEmpty()) {
          marks.set(f, m);
        }
      }
    }
  }

  private static ArrayNode elements(JsonNode live, JsonNode desired, List<OneOfFields.Owned> owned, JsonNode last,
                                    FieldSchema.Node list, FieldSchema.ListMatch match) {
    ArrayNode out = NODES.arrayNode();
    for (JsonNode element : live) {
      if (!element.isObject()) {
        continue;
      }
      FieldSchema.Node schema = list.element(element);
      List<OneOfFields.Owned> theirs = entries(owned, element, match);
      int applied = ThreeWayPatch.indexOf(last, element, match);
      JsonNode mine = applied < 0 ? MissingNode.getInstance() : last.get(applied);
      int wanted = ThreeWayPatch.indexOf(desired, element, match);
      ObjectNode m = NODES.objectNode();
      if (wanted < 0) {
        String keeping = applied < 0 ? null : refusedBy(element, mine, OneOfFields.others(theirs), schema);
        if (keeping != null) {
          m.put(".", keeping);
        }
      } else {
        walk(element, desired.get(wanted), theirs, mine, schema, m);
      }
      if (!m.isEmpty()) {
        out.add(named(m, element, match));
      }
    }
    return out;
  }

  /**
   * The managers (sorted, joined by {@code ", "}) that keep {@code live}, which {@code gitops} applied
   * as {@code mine}, without a field {@code schema} requires; null when none keeps it or it keeps them all.
   */
  private static String refusedBy(JsonNode live, JsonNode mine, List<OneOfFields.Owned> theirs, FieldSchema.Node schema) {
    List<String> required = required(schema);
    List<String> keeping = theirs.stream().filter(o -> o.set().isEmpty() || o.set().has("."))
        .map(OneOfFields.Owned::manager).distinct().sorted().toList();
    if (required.isEmpty() || keeping.isEmpty() || schema.atomic()) {
      return null; // an atomic element (an owner reference, a policy's variable) is one leaf: kept whole or not at all
    }
    JsonNode kept = KeptElements.kept(live, mine, theirs.stream().map(OneOfFields.Owned::set).toList(), schema);
    return required.stream().anyMatch(f -> empty(kept.get(f))) ? String.join(", ", keeping) : null;
  }

  /** The fields the schema of {@code node} (unwrapped of its {@link ForwardingNode}s) requires; empty when unknown. */
  static List<String> required(FieldSchema.Node node) {
    SchemaField s = ForwardingNode.declared(node);
    return s != null ? s.type().required : List.of();
  }

  /** {@code mark} naming {@code element}: by {@code name} where the list is keyed by it alone, else by its key fields. */
  static ObjectNode named(ObjectNode mark, JsonNode element, FieldSchema.ListMatch match) {
    if (match.keys().equals(List.of("name"))) {
      return mark.put("name", element.path("name").asText());
    }
    ObjectNode key = mark.putObject(KEY);
    for (int k = 0; k < match.keys().size(); k++) {
      JsonNode v = element.get(match.keys().get(k));
      JsonNode value = v != null ? v : match.defaults().get(k);
      if (value != null) {
        key.set(match.keys().get(k), value);
      }
    }
    return mark;
  }

  /**
   * True when the mark of a list element {@code mark} names {@code element}: each of its key fields
   * ({@link #KEY}) alike, numbers by value; else the same {@code name}.
   */
  static boolean names(JsonNode mark, JsonNode element) {
    JsonNode key = mark.get(KEY);
    if (key == null) {
      return mark.path("name").asText().equals(element.path("name").asText(null));
    }
    for (Map.Entry<String, JsonNode> k : key.properties()) {
      if (!Json.sameValue(element.get(k.getKey()), k.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** The element of {@code list} that {@code mark} names, or null. */
  static JsonNode find(JsonNode list, JsonNode mark) {
    for (JsonNode element : list) {
      if (names(mark, element)) {
        return element;
      }
    }
    return null;
  }

  /** The mark of {@code marks} (a list's) that names {@code element}, or null. */
  static JsonNode markOf(JsonNode marks, JsonNode element) {
    for (JsonNode mark : marks) {
      if (names(mark, element)) {
        return mark;
      }
    }
    return null;
  }

  /** Adds {@code found} to {@code marks}: objects field by field, lists element by element (by what names them). */
  private static void merge(ObjectNode marks, JsonNode found) {
    for (Map.Entry<String, JsonNode> e : found.properties()) {
      JsonNode have = marks.get(e.getKey());
      if (have == null) {
        marks.set(e.getKey(), e.getValue());
      } else if (have instanceof ObjectNode o && e.getValue().isObject()) {
        merge(o, e.getValue());
      } else if (have instanceof ArrayNode a && e.getValue().isArray()) {
        for (JsonNode element : e.getValue()) {
          JsonNode same = null;
          for (JsonNode m : a) {
            same = same == null && (element.has(KEY) ? m.has(KEY) && m.get(KEY).equals(element.get(KEY))
                : !m.has(KEY) && names(m, element)) ? m : same;
          }
          if (same instanceof ObjectNode o) {
            merge(o, element);
          } else {
            a.add(element);
          }
        }
      }
    }
  }

  /** The parts of each set under {@code f}, dropping the sets without it. */
  static List<OneOfFields.Owned> step(List<OneOfFields.Owned> owned, String f) {
    List<OneOfFields.Owned> out = new ArrayList<>();
    for (OneOfFields.Owned o : owned) {
      JsonNode below = o.set().get(f);
      if (below != null) {
        out.add(new OneOfFields.Owned(o.manager(), below));
      }
    }
    return out;
  }

  /** Each set's entry ({@code k:}) for {@code element} of a list matched by {@code match}. */
  private static List<OneOfFields.Owned> entries(List<OneOfFields.Owned> owned, JsonNode element,
                                                 FieldSchema.ListMatch match) {
    List<OneOfFields.Owned> out = new ArrayList<>();
    for (OneOfFields.Owned o : owned) {
      for (Map.Entry<String, JsonNode> e : o.set().properties()) {
        JsonNode key = e.getKey().startsWith("k:") ? ManagedFields.key(e.getKey()) : null;
        if (key != null && OwnedNode.sameKey(key, element, match)) {
          out.add(new OneOfFields.Owned(o.manager(), e.getValue()));
        }
      }
    }
    return out;
  }

  private static boolean empty(JsonNode v) {
    return v == null || v.isNull() || v.isMissingNode() || v.isTextual() && v.asText().isEmpty()
        || v.isContainerNode() && v.isEmpty();
  }
}
