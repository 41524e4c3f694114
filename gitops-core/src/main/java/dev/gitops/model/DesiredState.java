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

  /** {@return a desired state with no resources and no handlers} */
  public static DesiredState empty() {
    return of(List.of());
  }

  /**
   * Validates and builds.
   *
   * @param resources the resources that should exist, in any order; ids must be unique
   * @return the validated state, without handlers
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
   * @return the validated state
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

  /** {@return every desired resource, sorted by id; unmodifiable} */
  public Collection<Resource> resources() {
    return sorted;
  }

  /** {@return the desired resources keyed by id, in id order; unmodifiable} */
  public NavigableMap<ResourceId, Resource> byId() {
    return resources;
  }

  /**
   * Looks up one resource.
   *
   * @param id the resource to look up
   * @return the resource with {@code id}, or null when it is not desired
   */
  public Resource get(ResourceId id) {
    return resources.get(id);
  }

  /**
   * Tells whether a resource is desired.
   *
   * @param id the resource to look up
   * @return true when {@code id} is desired
   */
  public boolean contains(ResourceId id) {
    return resources.containsKey(id);
  }

  /** {@return the number of desired resources (handlers not counted)} */
  public int size() {
    return resources.size();
  }

  /** {@return true when no resource is desired} */
  public boolean isEmpty() {
    return resources.isEmpty();
  }

  /** {@return the handlers, in declaration order; unmodifiable, empty when there are none} */
  public List<Handler> handlers() {
    return handlers;
  }

  /**
   * The wave a resource is applied in.
   *
   * @param id a desired resource
   * @return the resource's wave ({@value Resource#WAVE}), {@code 0} when it has none or is not
   *     desired
   */
  public int wave(ResourceId id) {
    return waves.getOrDefault(id, 0);
  }

  /**
   * Every {@value Resource#DEPENDS_ON} edge: each resource that declares dependencies, with the
   * (desired) ids it depends on; empty when no resource declares any. Unordered.
   *
   * @return each declaring resource mapped to its sorted dependencies; unmodifiable
   */
  public Map<ResourceId, Set<ResourceId>> dependencies() {
    return dependsOn;
  }

  /**
   * The resources one resource waits for.
   *
   * @param id a desired resource
   * @return the ids {@code id} depends on ({@value Resource#DEPENDS_ON}), all desired and sorted;
   *     empty when it declares none
   */
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
