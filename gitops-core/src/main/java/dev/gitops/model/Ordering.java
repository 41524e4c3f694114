package dev.gitops.model;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeSet;

/** Reads and checks the wave and depends-on annotations of a desired state. */
record Ordering(Map<ResourceId, Integer> waves, Map<ResourceId, Set<ResourceId>> dependsOn) {

  static Ordering check(NavigableMap<ResourceId, Resource> byId, List<Problem> problems) {
    Map<ResourceId, Integer> waves = new HashMap<>();
    Map<ResourceId, Set<ResourceId>> deps = new HashMap<>();
    for (Resource r : byId.values()) {
      Map<String, String> annotations = r.annotations();
      String wave = annotations.get(Resource.WAVE);
      if (wave != null) {
        try {
          waves.put(r.id(), Integer.parseInt(wave.trim()));
        } catch (NumberFormatException e) {
          problems.add(Problem.at(r.origin(), r.id(),
              Resource.WAVE + " must be an integer, not '" + ResourceId.escape(wave) + "'"));
        }
      }
      String list = annotations.get(Resource.DEPENDS_ON);
      if (list != null && !list.isBlank()) {
        Set<ResourceId> targets = new TreeSet<>();
        for (String entry : list.split(",")) {
          String text = entry.trim();
          if (text.isEmpty()) {
            continue;
          }
          try {
            ResourceId dep = ResourceId.parse(text);
            if (!byId.containsKey(dep)) {
              problems.add(Problem.at(r.origin(), r.id(), Resource.DEPENDS_ON + " names " + dep
                  + ", which is not in the desired state"));
            } else if (dep.equals(r.id())) {
              problems.add(Problem.at(r.origin(), r.id(), "depends on itself"));
            } else {
              targets.add(dep);
            }
          } catch (IllegalArgumentException e) {
            problems.add(Problem.at(r.origin(), r.id(), Resource.DEPENDS_ON + ": " + e.getMessage()));
          }
        }
        deps.put(r.id(), targets);
      }
    }
    reportCycles(byId, deps, problems);
    return new Ordering(waves, deps);
  }

  /** Depth-first search; every cycle found is reported once, naming its members in order. */
  private static void reportCycles(NavigableMap<ResourceId, Resource> byId,
                                   Map<ResourceId, Set<ResourceId>> deps, List<Problem> problems) {
    Map<ResourceId, Integer> state = new HashMap<>(); // 1 = on stack, 2 = done
    for (ResourceId start : byId.keySet()) {
      if (state.containsKey(start) || !deps.containsKey(start)) {
        continue;
      }
      Deque<ResourceId> path = new ArrayDeque<>();
      Deque<java.util.Iterator<ResourceId>> iterators = new ArrayDeque<>();
      path.push(start);
      iterators.push(deps.getOrDefault(start, Set.of()).iterator());
      state.put(start, 1);
      while (!path.isEmpty()) {
        java.util.Iterator<ResourceId> it = iterators.peek();
        if (it.hasNext()) {
          ResourceId next = it.next();
          Integer s = state.get(next);
          if (s == null) {
            state.put(next, 1);
            path.push(next);
            iterators.push(deps.getOrDefault(next, Set.of()).iterator());
          } else if (s == 1) {
            problems.add(cycle(byId, path, next));
          }
        } else {
          state.put(path.pop(), 2);
          iterators.pop();
        }
      }
    }
  }

  private static Problem cycle(NavigableMap<ResourceId, Resource> byId, Deque<ResourceId> path,
                               ResourceId back) {
    StringBuilder members = new StringBuilder();
    var it = path.descendingIterator();
    boolean inCycle = false;
    while (it.hasNext()) {
      ResourceId id = it.next();
      inCycle |= id.equals(back);
      if (inCycle) {
        members.append(id).append(" -> ");
      }
    }
    members.append(back);
    Resource r = byId.get(back);
    return Problem.at(r.origin(), back, "depends-on cycle: " + members);
  }
}
