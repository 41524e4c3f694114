package dev.gitops.diff;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.model.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Differ} knows about the fields of a resource beyond their values: how the elements
 * of a list are matched (by key fields, by value, by position), and which differences do not count
 * and why (a zero value the server drops, a quantity written another way, an entry the server
 * appended, a field another writer owns). Given with {@link DiffOptions#withSchema}; the differ
 * asks it only about the values its walk visits, so a schema should answer in constant time
 * (precompiled per kind, indexed by field).
 *
 * <p>A schema answers null where it knows nothing: the differ then compares as it does without
 * one (the options' merge keys, else positions; every difference counts). Each difference a node
 * hides is counted in {@link ResourceDiff#suppressed()} under the reason it gives, so that
 * {@link ResourceDiff#explain()} says what was hidden and why, as it does for ignore rules (which
 * take precedence).
 *
 * <p>Implementations must be pure and thread-safe; the nodes of one diff may be built for it (they
 * are used by one thread, during that diff only).
 *
 * <pre>{@code
 * FieldSchema.Node ports = new FieldSchema.Node() {          // a list of ports, keyed
 *   public FieldSchema.Node field(String name) { return null; }
 *   public FieldSchema.Node element(JsonNode element) { return null; }
 *   public FieldSchema.ListMatch match() {
 *     return FieldSchema.ListMatch.keyed(List.of("port", "protocol"),
 *         Arrays.asList(null, TextNode.valueOf("TCP")));  // a port without protocol is TCP
 *   }
 * };
 * FieldSchema schema = (id, actual, desired, lastApplied) -> new FieldSchema.Node() {
 *   public FieldSchema.Node field(String name) { return name.equals("ports") ? ports : null; }
 *   public FieldSchema.Node element(JsonNode element) { return null; }
 * };
 * DiffOptions options = DiffOptions.defaults().withSchema(schema);
 * }</pre>
 */
@FunctionalInterface
public interface FieldSchema {
  /**
   * The schema of {@code id}'s tree for one diff, or null when nothing is known of it.
   *
   * @param id the resource whose trees are compared
   * @param actual the actual tree as the differ was given it, or null when absent
   * @param desired the desired tree as the differ was given it
   * @param lastApplied the last-applied tree as the differ was given it, or null
   * @return the schema node of the tree's root, or null when nothing is known of this resource
   */
  Node root(ResourceId id, JsonNode actual, JsonNode desired, JsonNode lastApplied);

  /**
   * What writing {@code desired} takes away, as a last-applied tree: in
   * {@link DiffOptions.Mode#DESIRED_SUBSET}, the differ asks about the fields of this tree that
   * desired leaves out and actual has as removals, and passes it to {@link #root} and on to the
   * nodes as the last-applied tree. By default {@code lastApplied} itself (what was applied last
   * goes when desired leaves it out). A schema that knows the target also drops fields nobody
   * applied on such a write (a Kubernetes Service's allocated node ports when its type no longer
   * takes them) returns a copy with those fields added (leaves of any value), so the plan shows
   * their removal; its nodes decide, as for any removal, whether it counts ({@link Node#hidden}).
   * Must be pure; must not mutate its arguments.
   *
   * @param id the resource whose trees are compared
   * @param actual the actual tree as the differ was given it, or null when absent
   * @param desired the desired tree as the differ was given it
   * @param lastApplied the last-applied tree as the differ was given it, or null
   * @return the tree removals are judged by: {@code lastApplied}, a new tree, or null for none
   */
  default JsonNode removable(ResourceId id, JsonNode actual, JsonNode desired, JsonNode lastApplied) {
    return lastApplied;
  }

  /**
   * The field that marks an object of a last-applied tree as applied whole though it is no leaf:
   * an element of a keyed list whose type is atomic ({@link Node#atomic()}), which server-side
   * apply owns as one field while the list matches it by its key fields, so the tree gives it its
   * key fields and this field (any value). Below it the walk goes as below a last-applied leaf.
   */
  String APPLIED_WHOLE = ".";

  /** The schema of one value of a tree. */
  interface Node {
    /**
     * The schema of one field of this object.
     *
     * @param name the field's name (a declared field or a map entry's key)
     * @return the field's schema node, or null when nothing is known of it
     */
    Node field(String name);

    /**
     * The schema of one element of this list, or null.
     *
     * @param element the element as desired has it, or as actual has it when only actual does
     * @return the element's schema node, or null when nothing is known of it
     */
    Node element(JsonNode element);

    /**
     * How the elements of this list are matched.
     *
     * @return keyed, set or atomic matching, or null when not known (the differ's own rules apply)
     */
    default ListMatch match() {
      return null;
    }

    /**
     * True when server-side apply owns this value as one field and replaces it whole with what
     * its owner applies: an atomic list ({@link #match()} atomic), or an atomic map or struct
     * ({@code x-kubernetes-map-type: atomic}). Under a last-applied leaf here, in
     * {@link DiffOptions.Mode#DESIRED_SUBSET}, whatever only actual has is asked about as a removal.
     *
     * @return whether this value is replaced whole when applied
     */
    default boolean atomic() {
      ListMatch m = match();
      return m != null && m.kind() == ListMatch.Kind.ATOMIC;
    }

    /**
     * Why a difference at this value does not count, or null when it does. The reason is what
     * {@link Suppressed#rule()} shows ({@code zero value}, {@code quantity}, ...).
     *
     * @param actual the actual value, null when absent
     * @param desired the desired value, null when absent (a removal, or an actual-only value the
     *     walk asks about because {@link #countsExtras()} said so)
     * @param lastApplied what was applied last at this path, null when nothing was; under a
     *     last-applied leaf that holds a whole object or list (an atomic one, which server-side
     *     apply owns as one field), that leaf
     * @return the rule's name when the difference is hidden, or null when it counts
     */
    default String hidden(JsonNode actual, JsonNode desired, JsonNode lastApplied) {
      return null;
    }

    /**
     * True when, in {@link DiffOptions.Mode#DESIRED_SUBSET}, the walk should ask {@link #hidden}
     * about this object's actual-only fields too (they are not drift, but may be worth counting:
     * fields another writer owns); an actual-only object whose own node says so too is asked
     * about field by field. Lists' actual-only elements are asked about whenever their element
     * has a node.
     *
     * @return whether actual-only fields of this object are asked about
     */
    default boolean countsExtras() {
      return false;
    }

    /**
     * True when, in {@link DiffOptions.Mode#DESIRED_SUBSET}, this object, keyed list or set stays
     * when desired leaves it out after something in it was applied: another writer keeps it (under
     * server-side apply, a manager owns the map or struct itself, {@code .} in its field set, or a
     * field in it). The removal is then walked field by field, or element by element: each field
     * or element that was applied is a removal asked about ({@link #hidden}), and the value stays
     * with the rest, empty when nothing is left. A value nobody keeps is removed whole, and so is
     * an {@link #atomic} one (one removal asked about). An element of a keyed list is such an
     * object: one nobody keeps goes whole when applied and left out, however many of its fields
     * another writer owns (server-side apply keeps an element only for a manager that owns it
     * itself), so its node should then not hide that removal; one kept loses what was applied in it.
     *
     * @return whether leaving this value out removes only what was applied in it; by default
     *     {@link #countsExtras()} (its other fields are another writer's, so it stays for them)
     */
    default boolean keptWhenLeftOut() {
      return countsExtras();
    }

    /**
     * True when the removal of this value, applied in part and left out of desired, is split: field
     * by field for an object, element by element for a keyed list or set, each applied piece a
     * removal of its own; it is {@link #keptWhenLeftOut} and not {@link #atomic}. False when it is
     * one removal, asked about whole ({@link #hidden}). The differ's walk decides with it, and so
     * should a writer that removes what the diff removes (a three-way patch), so that both agree.
     *
     * @return whether leaving this value out removes it piece by piece
     */
    default boolean removedInParts() {
      return !atomic() && keptWhenLeftOut();
    }

    /**
     * What the target stores in this field when a write leaves it out, where that is a value and
     * not nothing: a default the target fills in on every write (a Kubernetes custom resource's
     * CRD {@code default}). In {@link DiffOptions.Mode#DESIRED_SUBSET} the removal of an applied
     * field that is removed whole is then judged against it: a live value equal to it is asked
     * about as a removal ({@link #hidden}, which may hide it as a default); any other live value is
     * compared with it as if desired had it, so the plan shows the value replaced by the default
     * (and, in an object, each applied field the default lacks removed), not a removal the target
     * never makes.
     *
     * @return the value stored when this field is left out, or null when leaving it out removes it
     */
    default JsonNode storedWhenLeftOut() {
      return null;
    }
  }

  /**
   * How a list's elements are matched.
   *
   * @param kind keyed, a set or atomic
   * @param keys for {@link Kind#KEYED}: the fields that identify an element; else empty
   * @param defaults for {@link Kind#KEYED}: the value a key field has when an element leaves it
   *     out (null when it has none), one per key
   */
  record ListMatch(Kind kind, List<String> keys, List<JsonNode> defaults) {
    /** Kinds of lists. */
    public enum Kind {
      /** Elements matched by their key fields, order not drift ({@code x-kubernetes-list-type: map}). */
      KEYED,
      /** Scalar elements matched by value, order not drift ({@code set}). */
      SET,
      /** Elements matched by position: the list is one value ({@code atomic}). */
      ATOMIC
    }

    private static final ListMatch SET_MATCH = new ListMatch(Kind.SET, List.of(), List.of());
    private static final ListMatch ATOMIC_MATCH = new ListMatch(Kind.ATOMIC, List.of(), List.of());

    /**
     * Validates and copies; keys and defaults have one entry per key field.
     *
     * @param kind keyed, a set or atomic
     * @param keys for {@link Kind#KEYED}: the fields that identify an element; else empty
     * @param defaults one per key: the value a key field has when an element leaves it out, or null
     */
    public ListMatch {
      Objects.requireNonNull(kind, "kind");
      keys = List.copyOf(keys);
      defaults = java.util.Collections.unmodifiableList(new ArrayList<>(defaults));
      if (keys.size() != defaults.size() || (kind == Kind.KEYED) == keys.isEmpty()) {
        throw new IllegalArgumentException("a keyed list names its keys (and one default each), "
            + "other lists none: " + kind + " " + keys);
      }
    }

    /**
     * A keyed list.
     *
     * @param keys the fields that identify an element, in order
     * @param defaults one per key: the value that fills an absent key field, or null for none
     * @return the match for a list keyed by {@code keys}
     */
    public static ListMatch keyed(List<String> keys, List<JsonNode> defaults) {
      return new ListMatch(Kind.KEYED, keys, defaults);
    }

    /**
     * A set of scalars.
     *
     * @return the match for a list whose scalar elements are matched by value, order ignored
     */
    public static ListMatch set() {
      return SET_MATCH;
    }

    /**
     * A list matched by position.
     *
     * @return the match for a list compared as one value
     */
    public static ListMatch atomic() {
      return ATOMIC_MATCH;
    }
  }
}
