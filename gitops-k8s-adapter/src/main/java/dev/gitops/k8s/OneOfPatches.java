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
 * What the writer sends around a server-side apply when another manager keeps an alternative of a
 * one-of group beside the one Git sets ({@link OneOfFields#refused}). The apply keeps that field
 * (structured-merge-diff {@code merge/update.go}: another manager conflicts only on what the apply
 * modifies or adds, and force takes over only those fields), so validation refuses the merged
 * object (422) on every run, forced or not.
 *
 * <p>Without force nothing is sent: a {@link FieldConflictException} names each field and its
 * manager, as the plan shows them. With force, one JSON Patch on the planned version removes the
 * other alternatives and writes Git's in their place (a removal leaves every manager's set,
 * {@code compare.Removed}; writing Git's keeps the object valid, a probe never without a handler);
 * the apply follows at the version it answered. A group Git dropped that another manager keeps
 * without an alternative ({@link OneOfFields#refused} marks it whole) is removed whole by that patch,
 * so the apply has nothing of it left to prune (pair 500, {@code EmptiedOneOfIT}), and so is an element
 * of a keyed list another manager keeps refused ({@link KeptElements}, {@code DroppedElementIT}). The patch, an Update, makes {@code gitops}'s
 * Update entry own what it wrote; once the apply owns it too, one more patch of
 * {@code managedFields} takes that off the Update entry, so that a later removal from Git removes
 * it. In a dry run the patch is sent as one and its answer stands for the write (as
 * {@link StrategySwitch}'s). An alternative no manager owns ({@link OneOfFields#UNOWNED}: the
 * {@code emptyDir} a volume of no source was given) is removed so without force ({@code VolumeSourceIT}).
 * Not public API.
 */
final class OneOfPatches {
  private final ObjectRequests requests;
  private final LiveCache cache;
  private final boolean force;
  private final boolean dryRun;
  private final SchemaSources schemas;

  /** Patches through {@code requests}, objects from {@code cache}, fields named as {@code schemas} key lists. */
  OneOfPatches(ObjectRequests requests, LiveCache cache, SchemaSources schemas, boolean force, boolean dryRun) {
    this.requests = requests;
    this.cache = cache;
    this.schemas = schemas;
    this.force = force;
    this.dryRun = dryRun;
  }

  /**
   * What the patch before the apply left: the version to apply at, the object it answered in a
   * dry run (then no apply follows; else null), and Git's alternatives it wrote (for {@link #after}).
   */
  record Resolved(String expected, ObjectNode dryRunAnswer, List<Site> sites) {}

  /**
   * One place of the object with refused alternatives: its pointer into the live object, its path in
   * a field set, the refused alternatives, Git's, and what Git gives there.
   */
  record Site(String pointer, List<Object> fieldPath, List<String> refused, List<String> chosen, JsonNode wanted) {}

  /**
   * Before the apply of {@code body} at {@code expected} ({@code version:<rv>}); {@code live} is the
   * object at that version when the caller has it, else it is taken from the cache or read.
   *
   * @throws FieldConflictException without force, when another manager keeps a refused alternative
   */
  Resolved before(ResourceId id, KindInfo info, JsonNode body, String expected, ObjectNode live) {
    Resolved none = new Resolved(expected, null, List.of());
    if (!expected.startsWith("version:")) {
      return none;
    }
    String version = expected.substring("version:".length());
    ObjectNode at = live != null ? live : cache.at(id, version);
    if (at == null && !OneOfFields.holdsGroups(id)) {
      return none; // a kind's keyed lists alone (RequiredFields) are judged on what is at hand, never with a read
    }
    at = at != null ? at : requests.get(id, info);
    // the managers as the plan counts them (ManagedFields.others: no gitops entry, whatever its operation)
    FieldSchema.Node root = at == null ? null : ThreeWayPatch.root(schemas, id, at, body);
    JsonNode refused = at == null ? null : OneOfFields.refused(id, ObservedCopy.of(at, true), body, applied(at), root);
    if (refused == null) {
      return none;
    }
    List<String> conflicts = OneOfFields.conflicts(refused, at, root);
    if (!force && !conflicts.isEmpty()) { // an unowned alternative alone (OneOfFields.UNOWNED) goes unforced
      throw new FieldConflictException(id, conflicts);
    }
    List<Site> sites = new ArrayList<>();
    sites(refused, at, body, "", new ArrayList<>(), sites);
    ArrayNode ops = Json.MAPPER.createArrayNode();
    ops.addObject().put("op", "replace").put("path", "/metadata/resourceVersion").put("value", version);
    for (int n = sites.size() - 1; n >= 0; n--) { // later elements first: an index removed whole stays right
      Site s = sites.get(n);
      for (String r : s.refused()) {
        ops.addObject().put("op", "remove").put("path", s.pointer() + "/" + r);
      }
      for (String c : s.chosen()) {
        ops.addObject().put("op", "add").put("path", s.pointer() + "/" + c).set("value", s.wanted().get(c));
      }
    }
    ObjectNode patched = requests.patch(id, info, JsonPatchUpdate.context(dryRun), Json.write(ops));
    if (dryRun) {
      return new Resolved(expected, patched, sites);
    }
    return new Resolved(patched == null ? expected : "version:" + patched.path("metadata").path("resourceVersion")
        .asText(), null, sites);
  }

  /**
   * After the apply answered {@code applied}: Git's alternatives the patch wrote taken off
   * {@code gitops}'s Update entry (the entry dropped when nothing is left) by one patch of
   * {@code managedFields} on the applied version; the object as it stands.
   */
  ObjectNode after(ResourceId id, KindInfo info, ObjectNode applied, Resolved resolved) {
    if (resolved.sites().isEmpty() || applied == null || dryRun) {
      return applied;
    }
    ArrayNode entries = applied.path("metadata").path("managedFields").deepCopy();
    boolean changed = false;
    for (int i = entries.size() - 1; i >= 0; i--) {
      JsonNode e = entries.get(i);
      if (Labels.FIELD_MANAGER.equals(e.path("manager").asText()) && "Update".equals(e.path("operation").asText())
          && e.path("subresource").asText("").isEmpty() && e.get("fieldsV1") instanceof ObjectNode set) {
        for (Site s : resolved.sites()) {
          for (String c : s.chosen()) {
            List<Object> path = new ArrayList<>(s.fieldPath());
            path.add("f:" + c);
            changed |= drop(set, path, 0);
          }
        }
        if (set.isEmpty()) {
          entries.remove(i);
        }
      }
    }
    if (!changed) {
      return applied;
    }
    ArrayNode ops = Json.MAPPER.createArrayNode();
    ops.addObject().put("op", "replace").put("path", "/metadata/resourceVersion")
        .put("value", applied.path("metadata").path("resourceVersion").asText());
    ops.addObject().put("op", "replace").put("path", "/metadata/managedFields").set("value", entries);
    return requests.patch(id, info, JsonPatchUpdate.context(false), Json.write(ops));
  }

  /** Removes {@code path} (a field name, or an element's name as a {@link NamedElement}) from {@code set}; true when it was there. */
  private static boolean drop(ObjectNode set, List<Object> path, int from) {
    String key = null;
    if (path.get(from) instanceof NamedElement n) {
      for (Map.Entry<String, JsonNode> e : set.properties()) {
        JsonNode k = ManagedFields.key(e.getKey());
        if (k != null && k.size() == 1 && n.name().equals(k.path("name").asText(null))) {
          key = e.getKey();
        }
      }
    } else {
      key = (String) path.get(from);
    }
    if (key == null || !set.has(key)) {
      return false;
    }
    if (from == path.size() - 1) {
      set.remove(key);
      return true;
    }
    if (!(set.get(key) instanceof ObjectNode below) || !drop(below, path, from + 1)) {
      return false;
    }
    if (below.isEmpty()) {
      set.remove(key);
    }
    return true;
  }

  /** What {@code gitops}'s Apply entry of {@code live} owns, as a record of what it applied; null when none. */
  private static JsonNode applied(JsonNode live) {
    for (JsonNode entry : live.path("metadata").path("managedFields")) {
      if (ManagedFields.ours(entry)) {
        return ManagedFields.applied(entry.path("fieldsV1"));
      }
    }
    return null;
  }

  /** An element of a list keyed by {@code name}, as a step of a field-set path. */
  record NamedElement(String name) {}

  /** Collects the sites of {@code marks} ({@link OneOfFields#refused}), with pointers into {@code live}. */
  private static void sites(JsonNode marks, JsonNode live, JsonNode desired, String pointer, List<Object> path,
                            List<Site> out) {
    List<String> refused = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : marks.properties()) {
      String k = e.getKey();
      JsonNode mark = e.getValue();
      List<Object> below = new ArrayList<>(path);
      below.add("f:" + k);
      if (k.equals(RequiredFields.KEY)) {
        continue; // the key fields naming an element
      } else if (mark.isObject()) {
        sites(mark, live.path(k), desired.path(k), pointer + "/" + k, below, out);
      } else if (mark.isArray()) {
        for (JsonNode element : mark) {
          String name = element.path("name").asText();
          JsonNode list = live.path(k);
          for (int i = 0; i < list.size(); i++) {
            if (RequiredFields.names(element, list.get(i))) {
              List<Object> at = new ArrayList<>(below);
              at.add(new NamedElement(name));
              JsonNode want = RequiredFields.find(desired.path(k), element);
              if (element.has(".")) { // a dropped element another manager keeps refused: removed whole
                out.add(new Site(pointer + "/" + k, below, List.of(String.valueOf(i)), List.of(), desired.path(k)));
              } else {
                sites(element, list.get(i), want == null ? MissingNode.getInstance() : want,
                    pointer + "/" + k + "/" + i, at, out);
              }
            }
          }
        }
      } else if (!k.equals("name")) {
        refused.add(k);
      }
    }
    if (!refused.isEmpty()) {
      out.add(new Site(pointer, path, refused, chosen(refused, desired), desired));
    }
  }

  /**
   * Git's alternatives beside {@code refused} ones: the members {@code desired} sets of every group
   * holding one of {@code refused}, sorted.
   */
  static List<String> chosen(List<String> refused, JsonNode desired) {
    java.util.TreeSet<String> out = new java.util.TreeSet<>();
    for (Map.Entry<String, List<String>> g : OneOfFields.GROUPS.entrySet()) {
      if (g.getValue().stream().anyMatch(refused::contains)) {
        for (String m : g.getValue()) {
          if (!refused.contains(m) && OneOfFields.set(g.getKey(), m, desired.get(m))) {
            out.add(m);
          }
        }
      }
    }
    return new ArrayList<>(out);
  }
}
