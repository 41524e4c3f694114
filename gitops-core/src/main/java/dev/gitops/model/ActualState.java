package dev.gitops.model;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
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

  /** An empty actual state. */
  public static ActualState empty() {
    return new ActualState(new TreeMap<>());
  }

  /**
   * Builds from observations.
   *
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

  /** Observations sorted by id. */
  public Collection<Observed> observed() {
    return sorted;
  }

  /** Observations by id, sorted. */
  public NavigableMap<ResourceId, Observed> byId() {
    return observed;
  }

  /** The observation of {@code id}, or null when the target did not report it. */
  public Observed get(ResourceId id) {
    return observed.get(id);
  }

  /** Number of observations. */
  public int size() {
    return observed.size();
  }

  /** How many resources {@code owner} owns here. */
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
