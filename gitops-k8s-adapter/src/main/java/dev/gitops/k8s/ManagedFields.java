package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.FieldSchema;
import java.util.Map;

/**
 * Reads {@code metadata.managedFields}: which fields each field manager owns, in the
 * structured-merge-diff set format ({@code fieldsV1}): {@code f:<name>} a field, {@code k:<json>}
 * the element of a keyed list whose key fields are that JSON object, {@code v:<json>} the element
 * of a set with that value, {@code i:<n>} an element by position, {@code .} the element or map
 * itself. Stateless. Not public API.
 */
final class ManagedFields {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** The value of every owned leaf in a {@link #applied} record. */
  static final JsonNode OWNED = BooleanNode.TRUE;

  private ManagedFields() {}

  /**
   * The managers whose fields an adoption takes over: {@code kubectl apply} without
   * {@code --server-side} ({@code kubectl-client-side-apply}) and the server's own name for fields
   * that existed before any field manager ({@code before-first-apply}), each by an Update outside
   * subresources. Left as co-owners, they would keep every field they set after it left Git (the
   * server removes a field only once its last manager stops applying it), as Flux and Argo CD found.
   */
  static final java.util.Set<String> HANDED_OVER = java.util.Set.of("kubectl-client-side-apply", "before-first-apply");

  /** The annotation in which {@code kubectl apply} (client-side) records what it applied. */
  static final String KUBECTL_RECORD = "kubectl.kubernetes.io/last-applied-configuration";

  /**
   * True when {@code live} has no {@code managedFields} entry at all: written before 1.18, or
   * stripped. The server's first apply to it would make the manager {@code before-first-apply}
   * (operation Update) the owner of every field it has ({@code skipnonapplied.go}), so that the
   * apply conflicts on each value it changes and never removes what it does not send.
   */
  static boolean untracked(JsonNode live) {
    JsonNode entries = live.path("metadata").path("managedFields");
    return !entries.isArray() || entries.isEmpty();
  }

  /** What {@code kubectl apply} (client-side) recorded it applied to {@code live}, or null. */
  static ObjectNode kubectlRecord(JsonNode live) {
    JsonNode text = live.path("metadata").path("annotations").get(KUBECTL_RECORD);
    return text != null && text.isTextual() && parse(text.textValue()) instanceof ObjectNode record ? record : null;
  }

  /**
   * The {@code managedFields} an adoption writes on an {@link #untracked} object: one entry of the
   * manager {@code gitops} with operation {@code Apply} owning what kubectl's last-applied record
   * holds (typed by {@code root}, the kind's schema or null), the record itself and the ownership
   * labels, so that the apply removes what of them left Git, as kubectl's next apply would, and the
   * rest of the object stays nobody's: no conflict, and nothing else removed.
   */
  static ArrayNode first(JsonNode live, FieldSchema.Node root, String apiVersion, String time) {
    ObjectNode record = kubectlRecord(live);
    ObjectNode fields = record == null ? NODES.objectNode() : FieldSetOf.object(record, root);
    ObjectNode meta = fields.with("f:metadata");
    if (record != null) {
      meta.with("f:annotations").putObject("f:" + KUBECTL_RECORD);
    }
    meta.with("f:labels").putObject("f:" + Labels.OWNER);
    meta.with("f:labels").putObject("f:" + Labels.MANAGED_BY);
    return ours(NODES.arrayNode(), fields, apiVersion, time);
  }

  /** {@code entries} with the entry of the manager {@code gitops} (Apply) owning {@code fields} added. */
  private static ArrayNode ours(ArrayNode entries, ObjectNode fields, String apiVersion, String time) {
    entries.addObject().put("manager", Labels.FIELD_MANAGER).put("operation", "Apply").put("apiVersion", apiVersion)
        .put("time", time).put("fieldsType", "FieldsV1").set("fieldsV1", fields);
    return entries;
  }

  /**
   * True for an entry at an API version of {@code kind} that no server this library supports
   * serves (removed by {@value RemovedApis#ASSUMED_MINOR}: {@code autoscaling/v2beta2}, say). A
   * server drops such an entry, unused, from every write (structured-merge-diff's
   * {@code reconcileManagedFieldsWithSchemaChanges} and {@code update} on a missing version): it
   * neither conflicts nor keeps a field, and its manager's apply removes nothing it applied before.
   */
  static boolean unserved(JsonNode entry, String kind) {
    RemovedApis.Removal removal = RemovedApis.removal(entry.path("apiVersion").asText(), kind);
    return removal != null && removal.minor() <= RemovedApis.ASSUMED_MINOR;
  }

  /**
   * {@code managedFields} with the entry of the manager {@code gitops} (Apply) moved from an
   * {@link #unserved} version to {@code apiVersion}, so that the next apply removes what left Git
   * as the plan says (the versions' paths are the same where the kinds' fields are); null when it
   * is at a served one, or there is none.
   */
  static ArrayNode current(JsonNode managedFields, String kind, String apiVersion) {
    ArrayNode out = NODES.arrayNode();
    boolean any = false;
    for (JsonNode entry : managedFields) {
      ObjectNode copy = out.addObject();
      copy.setAll((ObjectNode) entry);
      if (ours(entry) && unserved(entry, kind)) {
        copy.put("apiVersion", apiVersion);
        any = true;
      }
    }
    return any ? out : null;
  }

  /** True for an entry of a {@link #HANDED_OVER} manager. */
  static boolean handedOver(JsonNode entry) {
    return HANDED_OVER.contains(entry.path("manager").asText()) && "Update".equals(entry.path("operation").asText())
        && entry.path("subresource").asText("").isEmpty();
  }

  /**
   * The field set of an object nobody owns yet as an adoption would leave it: the sets of the
   * manager {@code gitops} (Apply) and of the {@link #HANDED_OVER} managers in one; null when none has one.
   */
  static ObjectNode adopted(JsonNode managedFields) {
    ObjectNode set = null;
    for (JsonNode entry : managedFields) {
      if ((ours(entry) || handedOver(entry)) && entry.get("fieldsV1") instanceof ObjectNode fields) {
        set = set == null ? fields.deepCopy() : union(set, fields);
      }
    }
    return set;
  }

  /**
   * {@code managedFields} with the {@link #HANDED_OVER} managers' entries folded into one entry of
   * the manager {@code gitops} with operation {@code Apply} (at {@code apiVersion} and {@code time}),
   * and the ownership labels taken from whichever other manager set them ({@link #withoutOwnership});
   * null when there is nothing to hand over.
   */
  static ArrayNode handOver(JsonNode managedFields, String apiVersion, String time) {
    ArrayNode kept = NODES.arrayNode();
    boolean any = false;
    for (JsonNode entry : managedFields) {
      boolean folded = (ours(entry) || handedOver(entry)) && entry.get("fieldsV1") instanceof ObjectNode;
      any |= folded && handedOver(entry);
      JsonNode other = folded ? null : withoutOwnership(entry);
      any |= !folded && other != entry;
      if (other != null) {
        kept.add(other.deepCopy());
      }
    }
    if (!any) {
      return null;
    }
    return ours(kept, adopted(managedFields), apiVersion, time);
  }

  /**
   * {@code entry} without the ownership labels ({@code app.kubernetes.io/managed-by}, the owner
   * label): the same node when it owns neither, a copy without them, or null when nothing is left.
   * Adopting takes them from whoever set them: Helm writes {@code managed-by: Helm}, and left
   * Helm's, the label this library writes would be a conflict that fails every adoption's apply.
   */
  private static JsonNode withoutOwnership(JsonNode entry) {
    if (!(entry.path("fieldsV1").path("f:metadata").path("f:labels") instanceof ObjectNode labels)
        || !labels.has("f:" + Labels.MANAGED_BY) && !labels.has("f:" + Labels.OWNER)) {
      return entry;
    }
    ObjectNode copy = entry.deepCopy();
    ObjectNode meta = (ObjectNode) copy.get("fieldsV1").get("f:metadata");
    ObjectNode left = (ObjectNode) meta.get("f:labels");
    left.remove(java.util.List.of("f:" + Labels.MANAGED_BY, "f:" + Labels.OWNER));
    if (left.isEmpty() || left.size() == 1 && left.has(".")) {
      meta.remove("f:labels");
    }
    if (meta.isEmpty()) {
      ((ObjectNode) copy.get("fieldsV1")).remove("f:metadata");
    }
    return copy.get("fieldsV1").isEmpty() ? null : copy;
  }

  /** {@code into} with every member of {@code set} added (sets of fields merge member by member). */
  static ObjectNode union(ObjectNode into, ObjectNode set) {
    for (Map.Entry<String, JsonNode> e : set.properties()) {
      if (into.get(e.getKey()) instanceof ObjectNode mine && e.getValue() instanceof ObjectNode theirs) {
        union(mine, theirs);
      } else if (!into.has(e.getKey())) {
        into.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    return into;
  }

  /**
   * True for the entry of the manager {@code gitops} with operation {@code Apply} on the object
   * itself: the server names a manager by name, operation and subresource, and this library never
   * applies through a subresource.
   */
  public static boolean ours(JsonNode entry) {
    return Labels.FIELD_MANAGER.equals(entry.path("manager").asText())
        && "Apply".equals(entry.path("operation").asText()) && entry.path("subresource").asText("").isEmpty();
  }

  /**
   * The fields an entry owns as a tree shaped like the object (a last-applied record without
   * values): each owned field present, leaves {@code true}, a keyed list's elements as objects
   * of their owned fields, the key fields among them with their values (a key the manager left out
   * has a default the match uses), a set's elements as their values. An element owned as one field
   * ({@code k:{...}: {}}, nothing below it: its type is atomic, as an owner reference's) is its key
   * fields and {@link FieldSchema#APPLIED_WHOLE}. The
   * ownership labels the target adds are left out (the desired state never has them).
   */
  public static ObjectNode applied(JsonNode fieldsV1) {
    ObjectNode out = object(fieldsV1);
    if (out.get("metadata") instanceof ObjectNode meta && meta.get("labels") instanceof ObjectNode labels) {
      labels.remove(Labels.OWNER);
      labels.remove(Labels.MANAGED_BY);
      if (labels.isEmpty()) {
        meta.remove("labels");
      }
      if (meta.isEmpty()) {
        out.remove("metadata");
      }
    }
    return out;
  }

  /**
   * {@code applied}, what {@code gitops} applied to {@code live}, without the fields the server
   * never stores, whose ownership changes nothing stored: a core Secret's {@code stringData},
   * folded into {@code data} after field tracking, so that nobody owns the {@code data} keys it
   * wrote. A {@code stringData} key left out of Git removes only that owned field and the
   * {@code data} key stays (kubernetes#108008); kept here, the diff's fold of {@code stringData}
   * would read it as an applied {@code data} key and plan a removal that no apply makes (corpus
   * pair 295). Returns {@code applied} itself, or a copy.
   */
  static ObjectNode stored(JsonNode live, ObjectNode applied) {
    if (applied.has("stringData") && "Secret".equals(live.path("kind").asText())
        && "v1".equals(live.path("apiVersion").asText())) {
      ObjectNode copy = applied.deepCopy();
      copy.remove("stringData");
      return copy;
    }
    return applied;
  }

  private static ObjectNode object(JsonNode set) {
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<String, JsonNode> e : set.properties()) {
      String k = e.getKey();
      if (k.startsWith("f:")) {
        out.set(k.substring(2).intern(), value(e.getValue()));
      }
    }
    return out;
  }

  /** What one {@code f:} entry owns: a leaf, an object, or a list when its children are elements. */
  private static JsonNode value(JsonNode set) {
    boolean fields = false;
    boolean elements = false;
    for (Map.Entry<String, JsonNode> e : set.properties()) {
      String k = e.getKey();
      fields |= k.startsWith("f:");
      elements |= k.startsWith("k:") || k.startsWith("v:") || k.startsWith("i:");
    }
    if (elements) {
      return list(set);
    }
    return fields ? object(set) : OWNED;
  }

  private static ArrayNode list(JsonNode set) {
    ArrayNode out = NODES.arrayNode();
    for (Map.Entry<String, JsonNode> e : set.properties()) {
      String k = e.getKey();
      if (k.startsWith("k:")) {
        JsonNode key = parse(k.substring(2));
        if (key instanceof ObjectNode keyFields) {
          // Key fields the manager set are owned leaves: give them their values, so the element
          // matches its counterparts. A key it left out (a defaulted one, a port's protocol) is
          // not its field: the element matches by that key's default.
          ObjectNode element = object(e.getValue());
          boolean whole = e.getValue().isEmpty(); // an element of atomic type: owned as one field
          for (Map.Entry<String, JsonNode> f : keyFields.properties()) {
            if (whole || element.has(f.getKey())) {
              element.set(f.getKey(), f.getValue());
            }
          }
          if (whole) {
            element.set(FieldSchema.APPLIED_WHOLE, OWNED);
          }
          out.add(element);
        }
      } else if (k.startsWith("v:")) {
        JsonNode value = parse(k.substring(2));
        if (value != null) {
          out.add(value);
        }
      } else if (k.startsWith("i:")) {
        out.add(value(e.getValue()));
      }
    }
    return out;
  }

  /**
   * The key fields of an element as a {@code k:} entry names them, or null when it is not one.
   */
  static JsonNode key(String entry) {
    return entry.startsWith("k:") ? parse(entry.substring(2)) : null;
  }

  private static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return null;
    }
  }

  /**
   * The entries of other field managers as the reader keeps them: not ours (manager {@code gitops},
   * whatever the operation, and on an object nobody owns yet, {@code adoptable}, the
   * {@link #HANDED_OVER} managers' too), not at an {@link #unserved} version of {@code kind}, each
   * with only {@code manager}, {@code operation} and {@code fieldsV1} without {@code f:status}; null
   * when none is left. An entry written through a subresource is kept for what it owns outside
   * {@code status}: the server names a manager by name, operation and subresource, and a write to
   * {@code /status} may set labels, annotations or finalizers (a Pod's, a Deployment's annotations),
   * which that entry then owns: every apply's conflict check counts it, and the server keeps a field
   * {@code gitops} stops applying while it owns it (structured-merge-diff's {@code merge/update.go}).
   */
  public static ArrayNode others(JsonNode managedFields, boolean adoptable, String kind) {
    ArrayNode out = null;
    for (JsonNode entry : managedFields) {
      if (Labels.FIELD_MANAGER.equals(entry.path("manager").asText()) || adoptable && handedOver(entry)
          || unserved(entry, kind)
          || !(entry.get("fieldsV1") instanceof ObjectNode fields)) {
        continue;
      }
      ObjectNode kept = NODES.objectNode();
      for (Map.Entry<String, JsonNode> f : fields.properties()) {
        if (!f.getKey().equals("f:status")) {
          kept.set(f.getKey(), f.getValue());
        }
      }
      if (kept.isEmpty()) {
        continue;
      }
      ObjectNode e = NODES.objectNode();
      e.put("manager", entry.path("manager").asText());
      e.put("operation", entry.path("operation").asText());
      e.set("fieldsV1", kept);
      if (out == null) {
        out = NODES.arrayNode();
      }
      out.add(e);
    }
    return out;
  }
}
