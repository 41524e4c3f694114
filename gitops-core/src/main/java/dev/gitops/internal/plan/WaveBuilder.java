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
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
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
    public boolean equals(Object o) {
      return o instanceof Key k && k.wave == wave && k.level == level && k.rank == rank;
    }

    @Override
    public int hashCode() {
      return (wave * 31 + level) * 31 + rank;
    }

    @Override
    public int compareTo(Key o) {
      int c = Integer.compare(wave, o.wave);
      if (c == 0) {
        c = Integer.compare(level, o.level);
      }
      return c != 0 ? c : Integer.compare(rank, o.rank);
    }
  }

  /**
   * Waves, and for each wave of applies the index in {@code applies} of each of its steps (null
   * for the waves of deletes and handler runs), so that per-step data gathered while planning (see
   * {@link IdFields}) can be read in wave order.
   *
   * @param waves the waves, in order
   * @param applySteps per wave, the {@code applies} index of each step, or null
   */
  public record Ordered(List<Wave> waves, List<int[]> applySteps) {}

  private final List<Wave> waves = new ArrayList<>();
  private final List<int[]> applySteps = new ArrayList<>();

  /** A growable list of step indices. */
  private static final class Bucket {
    int[] steps = new int[16];
    int size;

    void add(int step) {
      if (size == steps.length) {
        steps = Arrays.copyOf(steps, size * 2);
      }
      steps[size++] = step;
    }
  }

  /**
   * Appends the steps of {@code keys} (each with its key, in id order) as new waves, one per
   * distinct key in {@code keyOrder}; within a wave the steps keep their id order. Plans have few
   * distinct keys and steps of one kind arrive together (ids sort by kind), so the steps are
   * bucketed rather than sorted.
   *
   * @param indexed true to keep each wave's step indices ({@link Ordered#applySteps()})
   */
  private void addGroups(List<Action> steps, List<Key> keys, Comparator<Key> keyOrder,
                         boolean indexed) {
    Map<Key, Bucket> buckets = new HashMap<>();
    Key lastKey = null;
    Bucket last = null;
    for (int i = 0, n = steps.size(); i < n; i++) {
      Key key = keys.get(i);
      if (key != lastKey) {
        last = buckets.computeIfAbsent(key, k -> new Bucket());
        lastKey = key;
      }
      last.add(i);
    }
    List<Key> order = new ArrayList<>(buckets.keySet());
    order.sort(keyOrder);
    for (Key key : order) {
      Bucket bucket = buckets.get(key);
      Action[] wave = new Action[bucket.size];
      for (int j = 0; j < bucket.size; j++) {
        wave[j] = steps.get(bucket.steps[j]);
      }
      waves.add(new Wave(waves.size(), List.of(wave))); // Wave keeps an immutable list as is
      applySteps.add(indexed ? Arrays.copyOf(bucket.steps, bucket.size) : null);
    }
  }

  /**
   * Waves for the desired state's steps.
   *
   * @param applies one step per desired resource (create, update, adopt or no-op), sorted by id
   * @param deletes delete steps with the observation each was planned from, sorted by id
   * @param runs handler runs, placed in one last wave
   */
  public static Ordered build(DesiredState desired, List<Action> applies,
                              Map<Action, Observed> deletes, List<Action> runs,
                              ToIntFunction<ResourceId> kindOrder) {
    WaveBuilder b = new WaveBuilder();
    Map<ResourceId, Set<ResourceId>> dependencies = desired.dependencies();
    checkWaves(desired, dependencies);
    Map<ResourceId, Integer> levels = dependencies.isEmpty() ? Map.of()
        : levels(dependencies.keySet(), desired::dependsOn, desired::wave);
    List<Key> keys = new ArrayList<>(applies.size());
    Key previous = null;
    for (Action a : applies) {
      ResourceId id = a.id();
      int wave = desired.wave(id);
      int level = levels.isEmpty() ? 0 : levels.getOrDefault(id, 0);
      int rank = kindOrder.applyAsInt(id);
      if (previous == null || previous.wave != wave || previous.level != level
          || previous.rank != rank) {
        previous = new Key(wave, level, rank);
      }
      keys.add(previous);
    }
    b.addGroups(applies, keys, Comparator.naturalOrder(), true);
    Map<ResourceId, Integer> deleteWaves = new HashMap<>();
    Map<ResourceId, Set<ResourceId>> deleteDeps = new HashMap<>();
    deletes.values().forEach(o -> deleteWaves.put(o.id(), actualWave(o.resource())));
    deletes.values().forEach(o -> deleteDeps.put(o.id(), actualDependsOn(o.resource(), deleteWaves)));
    Map<ResourceId, Integer> deleteLevels = levels(deleteWaves.keySet(),
        id -> deleteDeps.getOrDefault(id, Set.of()), deleteWaves::get);
    List<Action> deleting = new ArrayList<>(deletes.keySet());
    List<Key> deleteKeys = new ArrayList<>(deletes.size());
    for (Action a : deleting) {
      deleteKeys.add(new Key(deleteWaves.get(a.id()), deleteLevels.getOrDefault(a.id(), 0),
          kindOrder.applyAsInt(a.id())));
    }
    b.addGroups(deleting, deleteKeys, Comparator.<Key>naturalOrder().reversed(), false);
    if (!runs.isEmpty()) {
      b.waves.add(new Wave(b.waves.size(), runs.stream()
          .sorted(Comparator.comparing(Action::id)).toList()));
      b.applySteps.add(null);
    }
    return new Ordered(List.copyOf(b.waves), Collections.unmodifiableList(b.applySteps));
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
   * @param dependencies the desired state's {@link DesiredState#dependencies()}
   * @throws InvalidDesiredStateException naming both
   */
  static void checkWaves(DesiredState desired, Map<ResourceId, Set<ResourceId>> dependencies) {
    if (dependencies.isEmpty()) {
      return;
    }
    List<Problem> problems = new ArrayList<>();
    for (ResourceId id : new TreeSet<>(dependencies.keySet())) {
      Resource r = desired.get(id);
      for (ResourceId dep : dependencies.get(id)) {
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
