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
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Orders steps into waves. Applies (creates, updates, adoptions, no-ops) by the key (explicit wave,
 * depends-on level within that wave, kind rank), then id; deletes after them by the reverse of
 * (wave annotation of the actual resource, kind rank); handler runs last. Each distinct key is one
 * wave. Not part of the public API.
 */
public final class WaveBuilder {
  private record Key(int wave, int level, int rank) implements Comparable<Key> {
    private static final Comparator<Key> ORDER = Comparator.comparingInt(Key::wave)
        .thenComparingInt(Key::level).thenComparingInt(Key::rank);

    @Override
    public int compareTo(Key o) {
      return ORDER.compare(this, o);
    }
  }

  private record Keyed(Key key, Action action) {}

  private final List<Wave> waves = new ArrayList<>();

  /** Appends the given steps (sorted by id), grouped by key, as new waves. */
  private void addGroups(List<Keyed> keyed, Comparator<Key> keyOrder) {
    keyed.sort(Comparator.comparing(Keyed::key, keyOrder)); // stable: ids stay sorted in a key
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
    Map<ResourceId, Integer> levels = levels(desired);
    List<Keyed> keyed = new ArrayList<>(applies.size());
    for (Action a : applies) {
      ResourceId id = a.id();
      keyed.add(new Keyed(new Key(desired.wave(id), levels.getOrDefault(id, 0),
          kindOrder.applyAsInt(id)), a));
    }
    b.addGroups(keyed, Comparator.naturalOrder());
    List<Keyed> deleting = new ArrayList<>(deletes.size());
    deletes.forEach((a, o) -> deleting.add(new Keyed(
        new Key(actualWave(o.resource()), 0, kindOrder.applyAsInt(a.id())), a)));
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

  /**
   * Depends-on level of every resource that has same-wave dependencies: 1 + the highest level of
   * those it depends on in its own wave (0 for none). Iterative, linear in resources and edges.
   *
   * @throws InvalidDesiredStateException when a resource depends on one in a later wave
   */
  static Map<ResourceId, Integer> levels(DesiredState desired) {
    List<Problem> problems = new ArrayList<>();
    Map<ResourceId, Integer> levels = new HashMap<>();
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
    for (Resource r : desired.resources()) {
      if (!desired.dependsOn(r.id()).isEmpty() && !levels.containsKey(r.id())) {
        resolve(desired, r.id(), levels);
      }
    }
    return levels;
  }

  private static void resolve(DesiredState desired, ResourceId start, Map<ResourceId, Integer> levels) {
    Deque<ResourceId> path = new ArrayDeque<>();
    Deque<Iterator<ResourceId>> pending = new ArrayDeque<>();
    path.push(start);
    pending.push(desired.dependsOn(start).iterator());
    while (!path.isEmpty()) {
      Iterator<ResourceId> it = pending.peek();
      ResourceId id = path.peek();
      if (it.hasNext()) {
        ResourceId dep = it.next();
        if (desired.wave(dep) == desired.wave(id) && !levels.containsKey(dep)) {
          path.push(dep);
          pending.push(desired.dependsOn(dep).iterator());
        }
        continue;
      }
      int level = 0;
      for (ResourceId dep : desired.dependsOn(id)) {
        if (desired.wave(dep) == desired.wave(id)) {
          level = Math.max(level, levels.get(dep) + 1);
        }
      }
      levels.put(id, level);
      path.pop();
      pending.pop();
    }
  }
}
