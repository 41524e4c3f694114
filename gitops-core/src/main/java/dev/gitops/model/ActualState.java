package dev.gitops.model;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What a target reported for a scope: every resource it owns for a reconciler, plus the desired
 * ids it was asked about, each with its owner. Immutable and thread-safe.
 */
public final class ActualState {
  private final NavigableMap<ResourceId, Observed> observed;
  /** The same observations in id order, array-backed: iterating it chases no tree nodes. */
  private final List<Observed> sorted;

  private ActualState(NavigableMap<ResourceId, Observed> observed) {
    this.observed = Collections.unmodifiableNavigableMap(observed);
    this.sorted = List.copyOf(observed.values());
  }

  /** {@return an actual state with no observations: a target that owns nothing} */
  public static ActualState empty() {
    return new ActualState(new TreeMap<>());
  }

  /**
   * Builds from observations.
   *
   * @param observations what the target reported, in any order; each id at most once
   * @return the observations keyed and sorted by id
   * @throws IllegalArgumentException when an id occurs twice
   */
  public static ActualState of(Collection<Observed> observations) {
    NavigableMap<ResourceId, Observed> byId = new TreeMap<>();
    for (Observed o : observations) {
      if (byId.putIfAbsent(o.id(), o) != null) {
        throw new IllegalArgumentException("target reported " + o.id() + " twice");
      }
    }
    return new ActualState(byId);
  }

  /**
   * A copy with observations replaced: each of {@code replacements} stands in place of the
   * observation with its id, or is added where there is none; the others stay as they are.
   *
   * @param replacements the new observations, by id, in any order; empty for none
   * @return the copy, or this state itself when {@code replacements} is empty
   */
  public ActualState with(Map<ResourceId, Observed> replacements) {
    if (replacements.isEmpty()) {
      return this;
    }
    NavigableMap<ResourceId, Observed> byId = new TreeMap<>(observed);
    replacements.forEach((id, o) -> {
      if (!id.equals(o.id())) {
        throw new IllegalArgumentException("observation of " + o.id() + " given for " + id);
      }
      byId.put(id, o);
    });
    return new ActualState(byId);
  }

  /** {@return every observation, sorted by id; unmodifiable} */
  public Collection<Observed> observed() {
    return sorted;
  }

  /** {@return the observations keyed by id, in id order; unmodifiable} */
  public NavigableMap<ResourceId, Observed> byId() {
    return observed;
  }

  /**
   * Looks up one observation.
   *
   * @param id the resource to look up
   * @return the observation of {@code id}, or null when the target did not report it
   */
  public Observed get(ResourceId id) {
    return observed.get(id);
  }

  /** {@return the number of observations, owned or not} */
  public int size() {
    return observed.size();
  }

  /**
   * Counts the observations owned by one reconciler.
   *
   * @param owner a reconciler name, as in {@code Reconciler.builder().name(...)}
   * @return how many observed resources {@code owner} owns here, {@code 0} when none
   */
  public long ownedBy(String owner) {
    return observed.values().stream().filter(o -> o.isOwnedBy(owner)).count();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ActualState a && observed.equals(a.observed);
  }

  @Override
  public int hashCode() {
    return observed.hashCode();
  }

  @Override
  public String toString() {
    return "ActualState[" + observed.size() + " resources]";
  }
}
