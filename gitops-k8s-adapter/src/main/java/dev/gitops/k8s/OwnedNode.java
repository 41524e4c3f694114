package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.diff.FieldSchema.ListMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A schema node seen together with the fields other managers own at the same place (their
 * {@code fieldsV1} sets, as {@link ManagedFields#others} keeps them): an actual-only value one of
 * them owns is counted as {@code owned by <manager>}: in desired-subset mode it is not drift, and
 * not a removal even when {@code gitops} applied it too, since the server keeps it for them. Built for one diff of an object that has such entries, along the paths the walk
 * visits; where no other manager owns anything below, it hands back the plain schema node.
 * Not public API.
 */
final class OwnedNode extends ForwardingNode {
  /** The mark of an entry whose fields an apply of this library cannot conflict on (it writes by JSON patch). */
  static final String NO_CONFLICTS = "gitops.dev/no-conflicts";
  private final List<String> managers;
  private final List<JsonNode> sets;
  /**
   * True for an item structured-merge-diff never makes a member by name: an element of a keyed list,
   * or an entry of a map ({@link SchemaField#mapEntry}). Kept only for a manager that owns it itself.
   */
  private final boolean item;
  /**
   * True below an entry of a free-form object (no schema there): every key below is an entry too,
   * as structured-merge-diff deduces the type of what it holds.
   */
  private final boolean freeForm;
  /** True when this library writes by server-side apply, whose conflict check counts these managers. */
  private final boolean conflicts;

  private OwnedNode(FieldSchema.Node schema, List<String> managers, List<JsonNode> sets, boolean item,
                    boolean freeForm, boolean conflicts) {
    super(schema);
    this.managers = managers;
    this.sets = sets;
    this.item = item;
    this.freeForm = freeForm;
    this.conflicts = conflicts;
  }

  /** {@code schema} (may be null) with the entries of {@code others}, or {@code schema} when none. */
  static FieldSchema.Node of(FieldSchema.Node schema, JsonNode others) {
    List<String> managers = new ArrayList<>();
    List<JsonNode> sets = new ArrayList<>();
    boolean conflicts = true;
    for (JsonNode entry : others) {
      JsonNode set = entry.get("fieldsV1");
      if (set != null && set.isObject()) {
        managers.add(entry.path("manager").asText());
        sets.add(set);
        conflicts &= !entry.path(NO_CONFLICTS).asBoolean(false);
      }
    }
    return sets.isEmpty() ? schema : new OwnedNode(schema, managers, sets, false, false, conflicts);
  }

  @Override
  public FieldSchema.Node field(String name) {
    FieldSchema.Node child = schema == null ? null : schema.field(name);
    String f = "f:" + name;
    boolean entry = freeForm || SchemaField.mapEntry(schema, name);
    return narrowed(child, set -> set.get(f), entry, entry && child == null);
  }

  @Override
  public FieldSchema.Node element(JsonNode element) {
    FieldSchema.Node child = schemaElement(element);
    ListMatch match = match();
    return narrowed(child, set -> entryOf(set, element, match), match != null && match.kind() == ListMatch.Kind.KEYED,
        false);
  }

  /**
   * {@code child} with the part of each manager's set that {@code step} reaches from it: the child
   * itself when no manager owns anything there; {@code item} for an element of a keyed list or an
   * entry of a map; {@code freeForm} below a free-form object's entry.
   */
  private FieldSchema.Node narrowed(FieldSchema.Node child, java.util.function.UnaryOperator<JsonNode> step,
                                    boolean item, boolean freeForm) {
    List<String> m = null;
    List<JsonNode> s = null;
    for (int i = 0; i < sets.size(); i++) {
      JsonNode set = step.apply(sets.get(i));
      if (set != null) {
        if (m == null) {
          m = new ArrayList<>(2);
          s = new ArrayList<>(2);
        }
        m.add(managers.get(i));
        s.add(set);
      }
    }
    return m == null ? child : new OwnedNode(child, m, s, item, freeForm, conflicts);
  }

  /** The entry of {@code set} for {@code element}: by its key fields, or by value for a set. */
  private static JsonNode entryOf(JsonNode set, JsonNode element, ListMatch match) {
    if (match != null && match.kind() == ListMatch.Kind.SET && element.isValueNode()) {
      return set.get("v:" + element);
    }
    if (match == null || match.kind() != ListMatch.Kind.KEYED || !element.isObject()) {
      return null;
    }
    for (Map.Entry<String, JsonNode> e : set.properties()) {
      JsonNode key = e.getKey().startsWith("k:") ? ManagedFields.key(e.getKey()) : null;
      if (key != null && sameKey(key, element, match)) {
        return e.getValue();
      }
    }
    return null;
  }

  /**
   * True when {@code key} (a managedFields {@code k:} key, or an element's key fields) names
   * {@code element}: each key field alike, numbers by value, a field {@code element} leaves out read as
   * its default.
   */
  static boolean sameKey(JsonNode key, JsonNode element, ListMatch match) {
    for (int k = 0; k < match.keys().size(); k++) {
      String field = match.keys().get(k);
      JsonNode want = element.get(field);
      if (want == null) {
        want = match.defaults().get(k);
      }
      JsonNode have = key.get(field);
      if (want == null || have == null || !(want.equals(have)
          || want.isNumber() && have.isNumber() && want.decimalValue().compareTo(have.decimalValue()) == 0)) {
        return false;
      }
    }
    return true;
  }

  /**
   * An actual-only value another manager owns is theirs: not drift when never applied, and no
   * removal either when {@code gitops} applied it too (server-side apply keeps a field while any
   * manager owns it; stopping to apply it only drops {@code gitops}'s claim). An element of a
   * keyed list or an entry of a map {@code gitops} applied that no manager owns itself is no one's
   * but {@code gitops}'s, whatever they own in it: its removal counts (the server removes it whole).
   */
  @Override
  public String hidden(JsonNode actual, JsonNode desired, JsonNode lastApplied) {
    if (desired == null && (lastApplied == null || !item || keptWhenLeftOut())) {
      return "owned by " + String.join(", ", new TreeSet<>(managers));
    }
    if (conflicts && actual == null && desired != null && (desired.isValueNode() || desired.isEmpty())
        && ownedItself()) {
      return null; // see #ownedItself: a zero the server dropped, which an apply adds back, is a conflict
    }
    return super.hidden(actual, desired, lastApplied);
  }

  /**
   * Null: another manager owns this value or something in it, so the server keeps it (or what
   * they own of it) when {@code gitops} stops applying it, and no default takes its place.
   */
  @Override
  public JsonNode storedWhenLeftOut() {
    return null;
  }

  /**
   * True when a manager owns this value itself ({@code {}} or {@code .}). A server-side apply
   * that writes a value here that the live object lacks (a zero the server dropped:
   * {@code hostNetwork: false}, {@code initialDelaySeconds: 0}, {@code args: []}) adds it to the
   * object it compares with the live one, and structured-merge-diff's conflict check
   * ({@code merge/update.go update}: each other manager's set intersected with what the apply
   * modifies or adds) counts it, shared or not: a second applier of the same chart owning the field
   * makes every apply of it fail. So it is no hidden zero but a change, shown as a conflict.
   */
  private boolean ownedItself() {
    for (JsonNode set : sets) {
      if (set.isEmpty() || set.has(".")) {
        return true;
      }
    }
    return false;
  }

  /** True when a manager owns something below this value (a field, an element), not it whole. */
  @Override
  public boolean countsExtras() {
    for (JsonNode set : sets) {
      for (java.util.Iterator<String> names = set.fieldNames(); names.hasNext(); ) {
        if (!names.next().equals(".")) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * True when the server keeps this object though {@code gitops} stops applying what it applied in
   * it: a manager owns something below it ({@link #countsExtras}), or owns the map or struct
   * itself, a member of its set ({@code .}, or {@code {}} with nothing below: structured-merge-diff
   * writes {@code .} only beside a child). The walk asks only where {@code gitops} applied fields
   * inside the object; an atomic one it owns as one leaf, whose removal that manager's hides whole.
   * An element of a keyed list, and an entry of a map (a custom resource's {@code additionalProperties}
   * of objects, a key its schema does not declare where it keeps unknown fields), is kept only by a
   * manager that owns it itself: structured-merge-diff's prune adds back what any manager's set
   * holds once named fields are made members, and neither is a named field, so a manager owning
   * fields in it alone (an Update that changed one, as {@code kubectl set image} or a controller
   * setting a backend's {@code weight}) keeps nothing, and the element or entry goes whole
   * ({@code merge/update.go}, {@code fieldpath/set.go EnsureNamedFieldsAreMembers}).
   */
  @Override
  public boolean keptWhenLeftOut() {
    if (!item && countsExtras()) {
      return true;
    }
    for (JsonNode set : sets) {
      if (set.isEmpty() || set.has(".")) {
        return true;
      }
    }
    return false;
  }

  /** The managers that own this value or something below it. */
  List<String> managers() {
    return managers;
  }
}
