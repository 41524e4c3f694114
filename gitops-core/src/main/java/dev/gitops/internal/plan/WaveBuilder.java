package dev.gitops.internal.plan;

import dev.gitops.model.DesiredState;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Observed;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Wave;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Orders steps into waves. Applies (creates, updates, adoptions, no-ops) by the key (explicit wave,
 * depends-on level within that wave, kind rank), then id; deletes after them by the reverse of the
 * same key read from the actual resources' annotations (an unparseable wave counts as 0, depends-on
 * entries that are not ids or not deleted are ignored); handler runs last. Each distinct key is one
 * wave. Not part of the public API.
 */
public final class WaveBuilder {
  private record Key(int wave, int level, int rank) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = Integer.compare(wave, o.wave);
      if (c == 0) {
        c = Integer.compare(level, o.level);
      }
      return c != 0 ? c : Integer.compare(rank, o.rank);
    }
  }

  private record Keyed(Key key, Action action) {}

  private final List<Wave> waves = new ArrayList<>();

  /** Appends the given steps (sorted by id), grouped by key, as new waves. */
  private void addGroups(List<Keyed> keyed, Comparator<Key> keyOrder) {
    keyed.sort((x, y) -> keyOrder.compare(x.key(), y.key())); // stable: ids stay sorted in a key
    List<Action> current = new ArrayList<>();
    Key currentKey = null;
    for (Keyed k : keyed) {
      if (currentKey != null && !currentKey.equals(k.key())) {
        waves.add(new Wave(waves.size(), current));
        current = new ArrayList<>();
      }
      currentKey = k.key();
      current.add(k.action());
    }
    if (!current.isEmpty()) {
      waves.add(new Wave(waves.size(), current));
    }
  }

  /**
   * Waves for the desired state's steps.
   *
   * @param applies one step per desired resource (create, update, adopt or no-op), sorted by id
   * @param deletes delete steps with the observation each was planned from, sorted by id
   * @param runs handler runs, placed in one last wave
   */
  public static List<Wave> build(DesiredState desired, List<Action> applies,
                                 Map<Action, Observed> deletes, List<Action> runs,
                                 ToIntFunction<ResourceId> kindOrder) {
    WaveBuilder b = new WaveBuilder();
    checkWaves(desired);
    Map<ResourceId, Integer> levels = levels(desired.byId().keySet(), desired::dependsOn,
        desired::wave);
    List<Keyed> keyed = new ArrayList<>(applies.size());
    for (Action a : applies) {
      ResourceId id = a.id();
      keyed.add(new Keyed(new Key(desired.wave(id), levels.getOrDefault(id, 0),
          kindOrder.applyAsInt(id)), a));
    }
    b.addGroups(keyed, Comparator.naturalOrder());
    Map<ResourceId, Integer> deleteWaves = new HashMap<>();
    Map<ResourceId, Set<ResourceId>> deleteDeps = new HashMap<>();
    deletes.values().forEach(o -> deleteWaves.put(o.id(), actualWave(o.resource())));
    deletes.values().forEach(o -> deleteDeps.put(o.id(), actualDependsOn(o.resource(), deleteWaves)));
    Map<ResourceId, Integer> deleteLevels = levels(deleteWaves.keySet(),
        id -> deleteDeps.getOrDefault(id, Set.of()), deleteWaves::get);
    List<Keyed> deleting = new ArrayList<>(deletes.size());
    deletes.forEach((a, o) -> deleting.add(new Keyed(new Key(deleteWaves.get(a.id()),
        deleteLevels.getOrDefault(a.id(), 0), kindOrder.applyAsInt(a.id())), a)));
    b.addGroups(deleting, Comparator.<Key>naturalOrder().reversed());
    if (!runs.isEmpty()) {
      b.waves.add(new Wave(b.waves.size(), runs.stream()
          .sorted(Comparator.comparing(Action::id)).toList()));
    }
    return b.waves;
  }

  /** The wave annotation of an actual resource, 0 when absent or not an integer. */
  static int actualWave(Resource r) {
    String w = r.annotations().get(Resource.WAVE);
    if (w == null) {
      return 0;
    }
    try {
      return Integer.parseInt(w.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The depends-on annotation of an actual resource: the parseable ids among {@code deleted}. */
  static Set<ResourceId> actualDependsOn(Resource r, Map<ResourceId, Integer> deleted) {
    String list = r.annotations().get(Resource.DEPENDS_ON);
    if (list == null || list.isBlank()) {
      return Set.of();
    }
    Set<ResourceId> out = new TreeSet<>();
    for (String entry : list.split(",")) {
      try {
        ResourceId dep = ResourceId.parse(entry.trim());
        if (deleted.containsKey(dep) && !dep.equals(r.id())) {
          out.add(dep);
        }
      } catch (IllegalArgumentException e) {
        // Not an id: the target's copy of an annotation is no reason to refuse a prune.
      }
    }
    return out;
  }

  /**
   * Refuses a desired resource that depends on one in a later explicit wave.
   *
   * @throws InvalidDesiredStateException naming both
   */
  static void checkWaves(DesiredState desired) {
    List<Problem> problems = new ArrayList<>();
    for (Resource r : desired.resources()) {
      ResourceId id = r.id();
      for (ResourceId dep : desired.dependsOn(id)) {
        if (desired.wave(dep) > desired.wave(id)) {
          problems.add(Problem.at(r.origin(), id, "depends on " + dep + " (wave "
              + desired.wave(dep) + "), which applies in a later wave than " + id + " (wave "
              + desired.wave(id) + ")"));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidDesiredStateException(problems);
    }
  }

  /**
   * Depends-on level of every id that has same-wave dependencies: 1 + the highest level of those
   * it depends on in its own wave (0 for none). Iterative, linear in ids and edges; an edge that
   * closes a cycle (possible only in annotations read back from a target) is ignored.
   */
  static Map<ResourceId, Integer> levels(Collection<ResourceId> ids,
                                         Function<ResourceId, Set<ResourceId>> deps,
                                         ToIntFunction<ResourceId> wave) {
    Map<ResourceId, Integer> levels = new HashMap<>();
    Set<ResourceId> onPath = new HashSet<>();
    for (ResourceId start : ids) {
      if (deps.apply(start).isEmpty() || levels.containsKey(start)) {
        continue;
      }
      Deque<ResourceId> path = new ArrayDeque<>();
      Deque<Iterator<ResourceId>> pending = new ArrayDeque<>();
      path.push(start);
      onPath.add(start);
      pending.push(deps.apply(start).iterator());
      while (!path.isEmpty()) {
        Iterator<ResourceId> it = pending.peek();
        ResourceId id = path.peek();
        if (it.hasNext()) {
          ResourceId dep = it.next();
          if (wave.applyAsInt(dep) == wave.applyAsInt(id) && !levels.containsKey(dep)
              && onPath.add(dep)) {
            path.push(dep);
            pending.push(deps.apply(dep).iterator());
          }
          continue;
        }
        int level = 0;
        for (ResourceId dep : deps.apply(id)) {
          Integer l = levels.get(dep);
          if (l != null && wave.applyAsInt(dep) == wave.applyAsInt(id)) {
            level = Math.max(level, l + 1);
          }
        }
        levels.put(id, level);
        onPath.remove(path.pop());
        pending.pop();
      }
    }
    return levels;
  }
}
