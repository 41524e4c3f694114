package dev.gitops.diff;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.model.ResourceId;

/**
 * Canonicalises a tree before comparison, applied alike to the desired and the actual side (so it
 * must be idempotent): e.g. {@code 1000m} to {@code 1}, {@code stringData} into {@code data}.
 * Adapters contribute normalisers through {@link DiffOptions}.
 *
 * <p>Implementations must be pure and thread-safe, must not mutate {@code tree}, and should return
 * {@code tree} itself when nothing changes (so the common case allocates nothing).
 */
@FunctionalInterface
public interface Normalizer {
  /**
   * Canonicalises one resource's tree. Never mutates {@code tree}.
   *
   * @param id the resource the tree belongs to, so a rule can apply to some kinds only
   * @param tree the desired or actual tree, as loaded or as read from the target
   * @return {@code tree} itself when nothing changes, otherwise a new normalised tree
   */
  JsonNode normalize(ResourceId id, JsonNode tree);
}
