package dev.gitops.k8s;

import static dev.gitops.k8s.OneOfFields.CHILDREN;
import static dev.gitops.k8s.OneOfFields.GROUPS;
import static dev.gitops.k8s.OneOfFields.REQUIRED;
import static dev.gitops.k8s.OneOfFields.UNOWNED;
import static dev.gitops.k8s.OneOfFields.byName;
import static dev.gitops.k8s.OneOfFields.others;
import static dev.gitops.k8s.OneOfFields.set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.k8s.OneOfFields.Mine;
import dev.gitops.k8s.OneOfFields.Owned;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The walk down a live object and Git's, from the root of a kind's one-of groups
 * ({@link GroupRoots}) through the types {@link OneOfFields#CHILDREN} names (a pod spec's containers,
 * their env vars, probes and hooks, its volumes; a webhook's client config), that marks what
 * {@link OneOfFields#refused} reports: another manager's alternative beside Git's, a required group
 * Git dropped that another manager keeps without an alternative, a volume source no manager owns,
 * and an element of a keyed list Git dropped that another manager keeps in a shape validation
 * refuses ({@link KeptElements}). The groups themselves are {@link OneOfFields}'s table. Stateless.
 * Not public API.
 */
final class OneOfWalk {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private OneOfWalk() {}

  /** {@link OneOfFields#GROUPS} as sets, for a membership test per field. */
  private static final Map<String, Set<String>> ALTERNATIVES = GROUPS.entrySet().stream()
      .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> Set.copyOf(e.getValue())));

  /** Adds to {@code out} (at the object's root) the marks of the groups below {@code root}. */
  static void groups(GroupRoots.Root root, JsonNode a, JsonNode d, List<Owned> owned, Mine mine, ObjectNode out) {
    for (String f : root.path()) {
      a = a.path(f);
      d = d.path(f);
    }
    if (owned.isEmpty() && !sourcesBeside(a.path("volumes"), d.path("volumes"))) {
      return; // with no other manager, a live volume's source Git lacks is the one mark possible
    }
    for (String f : root.path()) {
      owned = RequiredFields.step(owned, "f:" + f);
      mine = mine.field(f);
    }
    ObjectNode marks = NODES.objectNode();
    walk(root.type(), a, d, owned, mine, marks);
    if (root.type().equals("ServiceSpec") && !owned.isEmpty()) {
      KeptElements.servicePorts(a, d, RequiredFields.step(owned, "f:ports"), mine.field("ports"), marks);
    }
    for (int i = root.path().size() - 1; i >= 0 && !marks.isEmpty(); i--) {
      marks = NODES.objectNode().set(root.path().get(i), marks);
    }
    out.setAll(marks);
  }

  /**
   * Marks in {@code marks} what of {@code actual} (of {@code type}) another manager keeps beside Git's
   * alternative, and each element of a keyed list Git dropped that another manager keeps in a shape
   * validation refuses ({@link KeptElements#refusedBy}: marked {@code .}, whole).
   */
  private static void walk(String type, JsonNode actual, JsonNode desired, List<Owned> owned, Mine mine,
                           ObjectNode marks) {
    // an unowned volume source counts with no other manager, who alone makes the rest worth walking
    boolean nobody = owned.isEmpty();
    if (!actual.isObject() || !desired.isObject() || nobody && !type.equals("PodSpec") && !type.equals("Volume")) {
      return;
    }
    List<String> group = GROUPS.get(type);
    if (group != null) {
      String chosen = null;
      for (String m : group) {
        if (set(type, m, desired.get(m))) {
          chosen = m;
        }
      }
      for (String m : group) {
        if (chosen != null && !m.equals(chosen) && desired.get(m) == null && set(type, m, actual.get(m))) {
          // gitops's own Update entry (JSON Patch) is no other manager: it owns the emptyDir its patch's defaulting added (pair 465)
          List<String> by = managers(others(RequiredFields.step(owned, "f:" + m)));
          if (!by.isEmpty()) {
            marks.put(m, String.join(", ", by));
          } else if (type.equals("Volume") && unapplied(mine.last().path(m))) {
            marks.put(m, UNOWNED); // the emptyDir SetDefaults_Volume gave a volume of no source
          }
        }
      }
    }
    for (Map.Entry<String, String> c : CHILDREN.getOrDefault(type, Map.of()).entrySet()) {
      String field = c.getKey();
      if (nobody && !field.equals("volumes")) {
        continue;
      }
      List<Owned> below = RequiredFields.step(owned, "f:" + field);
      if (c.getValue().endsWith("[]")) {
        String element = c.getValue().substring(0, c.getValue().length() - 2);
        ArrayNode list = NODES.arrayNode();
        for (JsonNode have : actual.path(field)) {
          String name = have.path("name").asText();
          JsonNode want = byName(desired.path(field), name);
          if (nobody && (want == null || !sourceBeside(element, have, want))) {
            continue; // nothing another manager keeps, and no source of the live element Git lacks
          }
          ObjectNode m = NODES.objectNode();
          Mine applied = mine.element(field, have);
          String keptBy = want == null && desired.isObject()
              ? KeptElements.refusedBy(element, have, applied, others(element(below, name))) : null;
          if (keptBy != null) {
            m.put(".", keptBy);
          } else {
            walk(element, have, want == null ? NODES.missingNode() : want, element(below, name), applied, m);
          }
          if (!m.isEmpty()) {
            list.add(m.put("name", have.path("name").asText()));
          }
        }
        if (!list.isEmpty()) {
          marks.set(field, list);
        }
      } else if (emptied(c.getValue(), actual.path(field), desired.path(field), below)) {
        marks.put(field, String.join(", ", managers(others(below))));
      } else {
        ObjectNode m = NODES.objectNode();
        walk(c.getValue(), actual.path(field), desired.path(field), below, mine.field(field), m);
        if (!m.isEmpty()) {
          marks.set(field, m);
        }
      }
    }
  }

  /**
   * True when a volume of {@code live} (a pod spec's list) holds a source its namesake in
   * {@code desired} lacks ({@link #sourceBeside}).
   */
  private static boolean sourcesBeside(JsonNode live, JsonNode desired) {
    for (JsonNode have : live) {
      JsonNode want = byName(desired, have.path("name").asText());
      if (want != null && sourceBeside("Volume", have, want)) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when {@code have}, a live element of {@code type}, holds an alternative of its group that
   * {@code want} lacks: with no other manager, the only shape {@link #walk} can mark (an unowned
   * source). Reads the live element's few fields, not the group's thirty alternatives.
   */
  private static boolean sourceBeside(String type, JsonNode have, JsonNode want) {
    Set<String> group = ALTERNATIVES.get(type);
    if (group == null) {
      return false;
    }
    for (Iterator<String> names = have.fieldNames(); names.hasNext(); ) {
      String f = names.next();
      if (group.contains(f) && want.get(f) == null) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when a group of {@code type} that validation requires one alternative of is left with none
   * once Git drops it: {@code desired} has no such field, {@code actual} has it, and another manager
   * owns something in it (a {@code kubectl edit} of a probe's {@code timeoutSeconds}) but none of its
   * alternatives. Server-side apply prunes Git's alternative and keeps that manager's field with the
   * unowned defaults beside it (structured-merge-diff {@code merge/update.go} {@code prune}), and
   * validation refuses the group without an alternative on every run ({@code validateHandler}: "must
   * specify a handler type"). An alternative nobody owns would stay too; Git's applied alternative
   * is owned by its apply, so it is taken as going.
   */
  private static boolean emptied(String type, JsonNode actual, JsonNode desired, List<Owned> owned) {
    if (!REQUIRED.contains(type) || !actual.isObject() || !(desired.isMissingNode() || desired.isNull())
        || others(owned).isEmpty()) {
      return false;
    }
    return GROUPS.get(type).stream().allMatch(m -> others(RequiredFields.step(owned, "f:" + m)).isEmpty());
  }

  /**
   * True when {@code gitops} did not apply {@code last}: missing, or the mark {@link #removable}
   * trees carry (the diff builds its schema with that tree).
   */
  private static boolean unapplied(JsonNode last) {
    return last.isMissingNode() || last.isTextual() && UNOWNED.equals(last.textValue());
  }

  /** The parts of each set for the element of a list keyed by {@code name}. */
  private static List<Owned> element(List<Owned> owned, String name) {
    List<Owned> out = new ArrayList<>();
    for (Owned o : owned) {
      for (Map.Entry<String, JsonNode> e : o.set().properties()) {
        JsonNode key = e.getKey().startsWith("k:") ? ManagedFields.key(e.getKey()) : null;
        if (key != null && key.size() == 1 && name.equals(key.path("name").asText(null))) {
          out.add(new Owned(o.manager(), e.getValue()));
        }
      }
    }
    return out;
  }

  private static List<String> managers(List<Owned> owned) {
    return owned.stream().map(Owned::manager).distinct().sorted().toList();
  }
}
