package dev.gitops.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.gitops.internal.tune.Tuning;
import dev.gitops.model.Content;
import dev.gitops.model.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Compares a resource's actual content with its desired content under {@link DiffOptions}:
 * normalisers first (to all sides), then a field-by-field walk that yields {@link Change}s with
 * JSON-pointer paths. Lists are matched by merge key where one is declared for their path (their
 * order is then not drift; a change inside an element carries the element's index in the actual
 * list, an added element the path {@code .../-}), else by position; an object element without
 * some key field counts that field as absent, and a list with two elements of one key falls back
 * to positions. Numbers compare by value ({@code 1} equals {@code 1L} and {@code 1.0}). Differences
 * under an ignore rule are counted in {@link ResourceDiff#suppressed()} instead; changes under a
 * sensitive rule are marked {@link Change#sensitive()}. With a {@link FieldSchema}, lists it knows
 * are matched as it says (by key fields, as sets, or by position), and differences it hides are
 * counted in {@link ResourceDiff#suppressed()} under its reasons.
 *
 * <p>Files ({@link Content.Bytes}) differ at {@code /content} (text, or {@code sha256:} digests
 * for binary data) and {@code /mode} (octal text).
 *
 * <p>When every normaliser is a {@link FieldNormalizer}, values are normalised as the walk visits
 * them (in the options' order, each rule on the previous one's result) rather than as whole trees
 * first: the actual side's extra fields (status, defaults) are then never visited in
 * {@link DiffOptions.Mode#DESIRED_SUBSET} mode, and nothing is copied.
 *
 * <p>Immutable, thread-safe and pure: no I/O, clock or threads. When nothing differs the walk
 * allocates (almost) nothing, so it is cheap to call for every resource of a plan.
 */
public final class Differ {
  private static final JsonNode EMPTY = JsonNodeFactory.instance.objectNode();

  private final DiffOptions options;
  private final Rules rules;
  private final List<FieldNormalizer> fields;
  /**
   * Each thread's walk for trees, reused from one diff to the next (its arrays are most of what a
   * diff allocates); a diff started inside another (a normaliser that diffs) gets its own.
   */
  private final Tuning.PerThread<Walk> walks = Tuning.perThread();

  /**
   * A differ for {@code options}.
   *
   * @param options rules, merge keys, normalisers and schema; compiled once here
   * @throws IllegalArgumentException when a rule's pointer or a merge key is malformed
   */
  public Differ(DiffOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.rules = new Rules(options);
    this.fields = fieldRules(options.normalizers());
  }

  /** The normalisers as field rules when all of them are, else null. */
  private static List<FieldNormalizer> fieldRules(List<Normalizer> normalizers) {
    List<FieldNormalizer> out = new ArrayList<>(normalizers.size());
    for (Normalizer n : normalizers) {
      if (!(n instanceof FieldNormalizer f)) {
        return null;
      }
      out.add(f);
    }
    return out.isEmpty() ? null : List.copyOf(out);
  }

  /** {@return the options this differ applies, as given} */
  public DiffOptions options() {
    return options;
  }

  /**
   * The differences that turn {@code actual} into {@code desired}.
   *
   * @param id the resource, for per-resource rules and normalisers
   * @param actual what the target holds, or null when the resource is absent (everything is added)
   * @param desired what Git holds, never null
   * @param lastApplied what this owner applied last, or null; in {@link DiffOptions.Mode#DESIRED_SUBSET}
   *     fields it has that desired no longer has are removals
   * @return the changes that count, sorted by path, and what the rules hid; empty changes when the
   *     two sides are equivalent
   * @throws IllegalArgumentException when actual and desired are of different kinds
   */
  public ResourceDiff diff(ResourceId id, Content actual, Content desired, Content lastApplied) {
    Walk walk = start(id, actual, desired, false);
    try {
      compare(walk, id, actual, desired, lastApplied);
      return walk.result();
    } finally {
      walk.release();
    }
  }

  /**
   * Tells whether two contents are equivalent, faster than {@link #diff}: it stops at the first
   * difference that counts and records nothing. No last-applied content is considered.
   *
   * @param id the resource, for per-resource rules and normalisers
   * @param actual what the target holds, or null when absent (then never equivalent)
   * @param desired what Git holds, never null
   * @return true when {@code actual} and {@code desired} have no difference that counts
   */
  public boolean equivalent(ResourceId id, Content actual, Content desired) {
    Walk walk = start(id, actual, desired, true);
    try {
      compare(walk, id, actual, desired, null);
      return !walk.found();
    } finally {
      walk.release();
    }
  }

  /** A claimed walk for one diff: this thread's tree walk when it is free, else a new one. */
  private Walk start(ResourceId id, Content actual, Content desired, boolean firstOnly) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(desired, "desired");
    if (actual != null && actual.kind() != desired.kind()) {
      throw new IllegalArgumentException(id + ": cannot compare " + actual.kind() + " with "
          + desired.kind());
    }
    boolean subset = options.mode() == DiffOptions.Mode.DESIRED_SUBSET;
    if (desired instanceof Content.Bytes) {
      return new Walk(rules, id, subset, firstOnly, null);
    }
    Walk walk = walks.claim(Walk::claim, () -> new Walk(rules, id, subset, firstOnly, fields));
    walk.reset(id, subset, firstOnly);
    return walk;
  }

  private void compare(Walk walk, ResourceId id, Content actual, Content desired,
                       Content lastApplied) {
    if (desired instanceof Content.Bytes file) {
      FileDiffs.diff(walk, (Content.Bytes) actual, file);
      return;
    }
    JsonNode desiredTree = ((Content.Tree) desired).node();
    JsonNode actualTree = actual == null ? null : ((Content.Tree) actual).node();
    JsonNode lastTree = lastApplied instanceof Content.Tree t ? t.node() : null;
    if (options.schema() != null) {
      lastTree = options.schema().removable(id, actualTree, desiredTree, lastTree);
      walk.schema(options.schema().root(id, actualTree, desiredTree, lastTree));
    }
    JsonNode d = side(walk, id, desiredTree);
    JsonNode a = actualTree == null ? (d.isObject() ? EMPTY : null) : side(walk, id, actualTree);
    JsonNode la = lastTree == null ? null : side(walk, id, lastTree);
    walk.value(a, d, la, 0);
  }

  /**
   * One side's tree as the walk starts on it: with field rules only its root is normalised (the
   * walk normalises the rest as it goes), else the whole tree.
   */
  private JsonNode side(Walk walk, ResourceId id, JsonNode tree) {
    return fields != null ? walk.root(tree) : normalize(id, tree);
  }

  /** {@code tree} after every normaliser of the options, in order. */
  JsonNode normalize(ResourceId id, JsonNode tree) {
    if (fields != null) {
      return FieldWalk.normalize(fields, id, tree);
    }
    JsonNode out = tree;
    for (Normalizer n : options.normalizers()) {
      out = Objects.requireNonNull(n.normalize(id, out), "a normaliser returned null");
    }
    return out;
  }
}
