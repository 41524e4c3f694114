package dev.gitops.diff;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.model.ResourceId;
import java.util.List;

/**
 * A {@link Normalizer} given as a rule for one value at a time, so that the {@link Differ} can
 * canonicalise only the values it visits, in the same walk that compares them, instead of copying
 * both trees first. When every normaliser of a {@link DiffOptions} is a field normaliser, the
 * differ works this way; a diff is then the same as the diff of the trees normalised whole.
 *
 * <p>The rule sees one value and its {@link FieldPath}; it decides for that value only (its
 * children get their own calls). The whole-tree form {@link #normalize} applies the rule
 * top-down to every value, copy-on-write. A rule must be pure, thread-safe and idempotent, must
 * not mutate the value, should return the value itself when nothing changes, and should decide by
 * field names rather than array indexes (list elements matched by merge key are visited at the
 * index of their counterpart).
 *
 * <pre>{@code
 * FieldNormalizer noNulls = (id, path, value) -> value.isNull() && path.last() != null ? null : value;
 * }</pre>
 */
@FunctionalInterface
public interface FieldNormalizer extends Normalizer {
  /**
   * The canonical form of {@code value} at {@code path} of resource {@code id}.
   *
   * @param id the resource being compared, so a rule can apply to some kinds only
   * @param path where {@code value} sits; valid only during this call
   * @param value the value at {@code path}, from the desired or the actual side; never null
   * @return {@code value} itself when unchanged, a new node, or null to drop the value (a field
   *     or array element that counts as absent; the root may not be dropped)
   */
  JsonNode field(ResourceId id, FieldPath path, JsonNode value);

  /**
   * The whole tree with {@link #field} applied to every value, top-down.
   *
   * @param id the resource the tree belongs to
   * @param tree the tree to normalise; not mutated
   * @return {@code tree} itself when no value changed, otherwise a copy with the changed values
   */
  @Override
  default JsonNode normalize(ResourceId id, JsonNode tree) {
    return FieldWalk.normalize(List.of(this), id, tree);
  }
}
