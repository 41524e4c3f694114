package dev.gitops.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every resource (and handler) that should exist, by id, validated as a whole.
 *
 * <p>Construction checks everything the planner relies on and throws one
 * {@link InvalidDesiredStateException} listing every {@link Problem}: duplicate ids (naming both
 * origins), a {@value Resource#WAVE} that is not an integer, a {@value Resource#DEPENDS_ON} entry that
 * is not an id or names no desired resource, and {@code depends-on} cycles. So a desired state that
 * exists is one the planner can order. Immutable and thread-safe.
 */
public final class DesiredState {
  private final NavigableMap<ResourceId, Resource> resources;
  /** The same resources in id order, array-backed: iterating it chases no tree nodes. */
  private final List<Resource> sorted;
  private final List<Handler> handlers;
  private final Map<ResourceId, Integer> waves;
  private final Map<ResourceId, Set<ResourceId>> dependsOn;

  private DesiredState(NavigableMap<ResourceId, Resource> resources, List<Handler> handlers,
                       Map<ResourceId, Integer> waves, Map<ResourceId, Set<ResourceId>> dependsOn) {
    this.resources = Collections.unmodifiableNavigableMap(resources);
    this.sorted = List.copyOf(resources.values());
    this.handlers = List.copyOf(handlers);
    this.waves = Map.copyOf(waves);
    Map<ResourceId, Set<ResourceId>> edges = new HashMap<>();
    dependsOn.forEach((id, deps) -> edges.put(id,
        Collections.unmodifiableSortedSet(new TreeSet<>(deps))));
    this.dependsOn = Map.copyOf(edges);
  }

  /** An empty desired state. */
  public static DesiredState empty() {
    return of(List.of());
  }

  /**
   * Validates and builds.
   *
   * @throws InvalidDesiredStateException listing every problem
   */
  public static DesiredState of(Collection<Resource> resources) {
    return of(resources, List.of(), List.of());
  }

  /**
   * Validates and builds, adding the problems a loader already found, so that one exception lists
   * all of them.
   *
   * @param resources the resources
   * @param handlers handlers (see {@link Handler}); names must be unique
   * @param loaderProblems problems found while loading; any makes this throw
   * @throws InvalidDesiredStateException listing every problem
   */
  public static DesiredState of(Collection<Resource> resources, List<Handler> handlers,
                                List<Problem> loaderProblems) {
    List<Problem> problems = new ArrayList<>(loaderProblems);
    NavigableMap<ResourceId, Resource> byId = new TreeMap<>();
    for (Resource r : resources) {
      Resource previous = byId.putIfAbsent(r.id(), r);
      if (previous != null) {
        problems.add(Problem.at(r.origin(), r.id(),
            "duplicate resource, also declared at " + previous.origin()));
      }
    }
    Map<String, Handler> handlerNames = new TreeMap<>();
    for (Handler h : handlers) {
      Handler previous = handlerNames.putIfAbsent(h.name(), h);
      if (previous != null) {
        problems.add(Problem.at(h.origin(), h.id(), "duplicate handler, also declared at "
            + previous.origin()));
      }
    }
    Ordering ordering = Ordering.check(byId, problems);
    if (!problems.isEmpty()) {
      throw new InvalidDesiredStateException(problems);
    }
    return new DesiredState(byId, handlers, ordering.waves(), ordering.dependsOn());
  }

  /** Resources sorted by id. */
  public Collection<Resource> resources() {
    return sorted;
  }

  /** Resources by id, sorted. */
  public NavigableMap<ResourceId, Resource> byId() {
    return resources;
  }

  /** The resource with {@code id}, or null. */
  public Resource get(ResourceId id) {
    return resources.get(id);
  }

  /** True when {@code id} is desired. */
  public boolean contains(ResourceId id) {
    return resources.containsKey(id);
  }

  /** Number of resources. */
  public int size() {
    return resources.size();
  }

  /** True when no resource is desired. */
  public boolean isEmpty() {
    return resources.isEmpty();
  }

  /** Handlers, in declaration order. */
  public List<Handler> handlers() {
    return handlers;
  }

  /** The resource's wave ({@value Resource#WAVE}), {@code 0} when it has none. */
  public int wave(ResourceId id) {
    return waves.getOrDefault(id, 0);
  }

  /**
   * Every {@value Resource#DEPENDS_ON} edge: each resource that declares dependencies, with the
   * (desired) ids it depends on; empty when no resource declares any. Unordered.
   */
  public Map<ResourceId, Set<ResourceId>> dependencies() {
    return dependsOn;
  }

  /** The ids {@code id} depends on ({@value Resource#DEPENDS_ON}), all desired. */
  public Set<ResourceId> dependsOn(ResourceId id) {
    return dependsOn.getOrDefault(id, Set.of());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DesiredState d && resources.equals(d.resources) && handlers.equals(d.handlers);
  }

  @Override
  public int hashCode() {
    return resources.hashCode();
  }

  @Override
  public String toString() {
    return "DesiredState[" + resources.size() + " resources, " + handlers.size() + " handlers]";
  }
}
