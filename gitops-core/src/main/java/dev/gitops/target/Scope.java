package dev.gitops.target;

import dev.gitops.internal.Checks;
import dev.gitops.model.ResourceId;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a target reads: every resource owned by {@code owner}, plus the resources named in
 * {@code ids} whoever owns them (the desired ids, so the planner can tell create from adopt).
 *
 * @param owner reconciler name
 * @param ids further ids to read, owned or not
 */
public record Scope(String owner, Set<ResourceId> ids) {
  /**
   * Validates and copies (sorted).
   *
   * @param owner reconciler name; not blank
   * @param ids further ids to read, owned or not; copied into a sorted set
   */
  public Scope {
    Checks.notBlank(owner, "owner");
    ids = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(ids));
  }

  /**
   * Everything {@code owner} owns, nothing else.
   *
   * @param owner reconciler name; not blank
   * @return a scope with no further ids
   */
  public static Scope owned(String owner) {
    return new Scope(owner, Set.of());
  }

  /**
   * Everything {@code owner} owns plus {@code ids}.
   *
   * @param owner reconciler name; not blank
   * @param ids further ids to read whoever owns them, usually the desired ids
   * @return the scope
   */
  public static Scope of(String owner, Set<ResourceId> ids) {
    return new Scope(owner, ids);
  }
}
