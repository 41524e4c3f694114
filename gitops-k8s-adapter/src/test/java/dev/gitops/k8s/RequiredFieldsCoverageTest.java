package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.model.ResourceId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link RequiredFields} covers every keyed list of every built-in kind whose elements require a field
 * beside their keys: for each such list of the built-in table (reached through objects and keyed lists,
 * as server-side apply merges them; never inside an atomic value, which an apply replaces whole), an
 * element {@code gitops} applied, Git drops and a second applier keeps by its key alone is refused whole,
 * unless its type is atomic: then the applier's set holds it as one leaf, and the prune keeps it whole.
 * The objects are built from the compiled schema itself; what is required comes from the 1.35 OpenAPI.
 */
class RequiredFieldsCoverageTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** One keyed list: the kind, the path of fields to it, and its elements' type. */
  private record Site(KindSchemas.Entry kind, List<String> path, SchemaField list) {}

  @Test
  void everyKeyedListWhoseElementsRequireAFieldIsJudged() {
    List<Site> sites = new ArrayList<>();
    for (KindSchemas.Entry e : BuiltinSchemas.kinds().entries()) {
      for (java.util.Map.Entry<String, SchemaField> f : e.root().type().fields.entrySet()) {
        if (!f.getKey().equals("status")) {
          find(e, List.of(f.getKey()), f.getValue(), new HashSet<>(), sites);
        }
      }
    }
    Set<String> missed = new TreeSet<>();
    int atomic = 0;
    for (Site s : sites) {
      boolean whole = s.list().type().element.atomic(); // one leaf, kept whole: never refused
      atomic += whole ? 1 : 0;
      if (refused(s) == whole) {
        missed.add(s.kind().kind() + " " + String.join(".", s.path()) + (whole ? " (atomic)" : ""));
      }
    }
    assertEquals(89, atomic, "owner references and a policy's variables are atomic");
    // the 1.35 table: 159 of the 323 keyed lists of its 69 kinds (owner references of objects and of their
    // templates: 88, atomic like a policy's variables); 70 hold elements that can be kept in part. Judged only
    // below the one-of roots before, a policy's conditions, a CSINode's drivers and a ComponentStatus's
    // conditions were missed
    assertTrue(sites.size() >= 159, "keyed lists with required fields found: " + sites.size());
    assertEquals(Set.of(), missed, "of " + sites.size());
  }

  private static void find(KindSchemas.Entry kind, List<String> path, SchemaField field, Set<SchemaType> seen,
                           List<Site> out) {
    SchemaType t = field.type();
    if (t == null || !seen.add(t) || field.atomic()) {
      return;
    }
    if (t.shape == SchemaType.Shape.STRUCT) {
      t.fields.forEach((name, f) -> find(kind, append(path, name), f, seen, out));
    } else if (t.shape == SchemaType.Shape.LIST && t.match != null && t.match.kind() == FieldSchema.ListMatch.Kind.KEYED
        && t.element != null && t.element.type() != null) {
      if (t.element.type().required.stream().anyMatch(r -> !t.match.keys().contains(r))) {
        out.add(new Site(kind, path, field));
      }
      t.element.type().fields.forEach((name, f) -> find(kind, append(append(path, "[]"), name), f, seen, out));
    }
    seen.remove(t);
  }

  /** True when the element of {@code s}'s list that a second applier keeps by its key alone is refused. */
  private static boolean refused(Site s) {
    KindSchemas.Entry k = s.kind();
    String apiVersion = k.group().isEmpty() ? k.version() : k.group() + "/" + k.version();
    ObjectNode live = NODES.objectNode().put("apiVersion", apiVersion).put("kind", k.kind());
    live.putObject("metadata").put("name", "x");
    ObjectNode desired = live.deepCopy();
    ObjectNode applied = live.deepCopy();
    ObjectNode set = NODES.objectNode();
    ObjectNode l = live;
    ObjectNode d = desired;
    ObjectNode a = applied;
    ObjectNode f = set;
    SchemaField at = k.root();
    List<String> path = s.path();
    for (int i = 0; i < path.size(); i++) {
      String name = path.get(i);
      if (name.equals("[]")) {
        continue;
      }
      at = at.type().shape == SchemaType.Shape.LIST ? at.type().element.type().fields.get(name)
          : at.type().fields.get(name);
      boolean element = i + 1 < path.size() && path.get(i + 1).equals("[]");
      if (i == path.size() - 1) {
        ObjectNode kept = keyOf(at);
        ObjectNode full = kept.deepCopy();
        for (String r : at.type().element.type().required) {
          SchemaField rf = at.type().element.type().fields.get(r);
          if (!full.has(r) && rf != null) {
            full.set(r, sample(rf));
          }
        }
        l.putArray(name).add(full);
        d.putArray(name);
        a.putArray(name).add(full.deepCopy());
        ObjectNode entry = f.putObject("f:" + name).putObject("k:" + kept);
        if (!at.type().element.atomic()) { // an atomic element is one leaf of the set
          entry.putObject(".");
          kept.fieldNames().forEachRemaining(key -> entry.putObject("f:" + key));
        }
      } else if (element) {
        ObjectNode key = keyOf(at);
        l = (ObjectNode) l.putArray(name).addObject().setAll(key);
        d = (ObjectNode) d.putArray(name).addObject().setAll(key.deepCopy());
        a = (ObjectNode) a.putArray(name).addObject().setAll(key.deepCopy());
        f = f.putObject("f:" + name).putObject("k:" + key);
      } else {
        l = l.putObject(name);
        d = d.putObject(name);
        a = a.putObject(name);
        f = f.putObject("f:" + name);
      }
    }
    ((ObjectNode) live.get("metadata")).putArray("managedFields").addObject()
        .put("manager", "hotfix").put("operation", "Apply").set("fieldsV1", set);
    ResourceId id = new ResourceId(k.group(), k.kind(), "", "x");
    FieldSchema.Node root = KubernetesSchema.builtin().root(id, null, live, null);
    return !OneOfFields.conflicts(OneOfFields.refused(id, live, desired, applied, root), live, root).isEmpty();
  }

  /** An element of the keyed list {@code list} holding its key fields, each a sample of its type. */
  private static ObjectNode keyOf(SchemaField list) {
    ObjectNode key = NODES.objectNode();
    for (String k : list.type().match.keys()) {
      SchemaField kf = list.type().element.type().fields.get(k);
      key.set(k, kf == null ? NODES.textNode("k") : sample(kf));
    }
    return key;
  }

  private static JsonNode sample(SchemaField f) {
    SchemaType t = f.type();
    return switch (t.shape) {
      case STRUCT, MAP -> NODES.objectNode().put("x", "y");
      case LIST -> NODES.arrayNode().add("y");
      default -> switch (t.scalar) {
        case INTEGER, NUMBER, INT_OR_STRING -> NODES.numberNode(1);
        case BOOLEAN -> NODES.booleanNode(true);
        default -> NODES.textNode("k");
      };
    };
  }

  private static List<String> append(List<String> path, String name) {
    List<String> out = new ArrayList<>(path);
    out.add(name);
    return out;
  }
}
