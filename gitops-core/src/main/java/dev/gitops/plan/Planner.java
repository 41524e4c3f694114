package dev.gitops.plan;

import dev.gitops.diff.DiffOptions;
import dev.gitops.diff.Differ;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.internal.tune.Tuning;
import dev.gitops.internal.plan.Fingerprints;
import dev.gitops.internal.plan.IdFields;
import dev.gitops.model.PathGlob;
import dev.gitops.internal.plan.WaveBuilder;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Handler;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Makes a {@link Plan} from a desired and an actual state. Pure: no I/O, clock or threads; the same
 * inputs give an equal plan (and byte-identical {@link Plan#toJson() JSON}). Thread-safe; its only
 * state is the compiled form of the last diff options it planned with (a {@link Differ}, immutable),
 * kept so that a pull agent re-planning every minute does not compile its rules each time.
 *
 * <p>Per desired resource: absent on the target → {@code create}; owned by
 * {@link PlanOptions#owner()} → {@code update} with its diff, or {@code noop} when the diff is
 * empty; owned by nobody → {@code adopt} ({@link PlanOptions.Adoption#ADOPT}) or a refusal; owned by
 * another reconciler → always a refusal. Per owned actual resource no longer desired →
 * {@code delete} when {@link PlanOptions#prune()} is on. Resources owned by others and not desired
 * never appear in the plan. A handler whose globs match the name of a resource created, updated,
 * adopted or deleted becomes a {@code run} step in a last wave.
 *
 * <p>Order: applies by (explicit wave, depends-on level in that wave, kind rank), then id; each
 * distinct key is one {@link Wave}. Deletes follow, in reverse order of (the actual resource's wave
 * annotation, kind rank).
 */
public final class Planner {
  /** The differ of the last plan: reused while the diff options are equal. */
  private final Tuning.Last<DiffOptions, Differ> differs = Tuning.last(Differ::new);

  /** A planner. */
  public Planner() {
  }

  /**
   * Plans.
   *
   * @param desired what should exist, validated
   * @param actual what the target reported for the owner's scope (see
   *     {@link dev.gitops.target.Scope})
   * @param options owner, prune and its guards, adoption, diff options and kind order
   * @return the plan, its steps ordered into waves; empty when nothing differs
   * @throws PlanRefusedException listing every resource owned by another reconciler, every
   *     unowned one when adoption is refused, and a prune that an empty desired state or the
   *     delete budget forbids
   * @throws dev.gitops.model.InvalidDesiredStateException when a resource depends on one in a
   *     later explicit wave
   */
  public Plan plan(DesiredState desired, ActualState actual, PlanOptions options) {
    String owner = Tuning.name(options.owner()); // Observed owners are shared: equals by reference
    Differ differ = differs.get(options.diff());
    List<Action> applies = new ArrayList<>(desired.size());
    IdFields ids = new IdFields(desired.size());
    List<PlanRefusedException.Reason> refusals = new ArrayList<>();
    Map<Action, Observed> deletes = new LinkedHashMap<>();
    long owned = 0;
    // Both sides are sorted by id: one merge pass, no lookups.
    Iterator<Resource> wants = desired.resources().iterator();
    Iterator<Observed> haves = actual.observed().iterator();
    Resource want = wants.hasNext() ? wants.next() : null;
    Observed have = haves.hasNext() ? haves.next() : null;
    while (want != null || have != null) {
      int order = want == null ? 1 : have == null ? -1 : want.id().compareTo(have.id());
      if (order <= 0) {
        int before = applies.size();
        step(want, order == 0 ? have : null, owner, options, differ, applies, refusals);
        if (applies.size() > before) {
          ids.add(want.id()); // for the fingerprint, while the id is in cache
        }
      }
      if (order >= 0) {
        if (have.isOwnedBy(owner)) {
          owned++;
          if (order > 0 && options.prune()) {
            deletes.put(new Action.Delete(have.id(), have.fingerprint()), have);
          }
        }
        have = haves.hasNext() ? haves.next() : null;
      }
      if (order <= 0) {
        want = wants.hasNext() ? wants.next() : null;
      }
    }
    guardPrune(desired, options, deletes, owned, refusals);
    if (!refusals.isEmpty()) {
      throw new PlanRefusedException(refusals);
    }
    List<Action> runs = runs(desired.handlers(), applies, deletes.keySet());
    WaveBuilder.Ordered ordered = WaveBuilder.build(desired, applies, deletes, runs,
        options.kindOrder());
    return new Plan(owner, "", ordered.waves(),
        Fingerprints.of(owner, ordered, ids, options.diff().sensitive()), options.diff());
  }

  private static void step(Resource want, Observed have, String owner, PlanOptions options,
                           Differ differ, List<Action> applies,
                           List<PlanRefusedException.Reason> refusals) {
    if (have == null) {
      applies.add(new Action.Create(want));
    } else if (have.isOwnedBy(owner)) {
      ResourceDiff diff = diff(differ, want, have);
      applies.add(diff.isEmpty() ? new Action.NoOp(want.id(), diff)
          : new Action.Update(want, diff, have.fingerprint()));
    } else if (!have.owner().isEmpty()) {
      refusals.add(new PlanRefusedException.Reason(List.of(want.id()), want.id()
          + " exists and is not owned by '" + owner + "' (owner: '" + have.owner() + "')"));
    } else if (options.adoption() == PlanOptions.Adoption.ADOPT) {
      applies.add(new Action.Adopt(want, diff(differ, want, have), have.fingerprint()));
    } else {
      refusals.add(new PlanRefusedException.Reason(List.of(want.id()), want.id()
          + " exists and is not owned by '" + owner + "' (owner: none; adoption is refused)"));
    }
  }

  private static ResourceDiff diff(Differ differ, Resource want, Observed have) {
    Content actual = have.resource().content();
    // Bytes compare in one pass; trees go straight to the Differ, which is as fast as
    // JsonNode.equals and must walk them anyway whenever the target added anything.
    if (actual instanceof Content.Bytes && want.content().equals(actual)) {
      return ResourceDiff.none(want.id());
    }
    if (actual.kind() != want.content().kind()) {
      // A tree where a file is wanted (or the reverse): replaced whole, every desired field added.
      return differ.diff(want.id(), null, want.content(), null);
    }
    return differ.diff(want.id(), actual, want.content(), have.lastApplied());
  }

  private static void guardPrune(DesiredState desired, PlanOptions options,
                                 Map<Action, Observed> deletes, long owned,
                                 List<PlanRefusedException.Reason> refusals) {
    int count = deletes.size();
    if (count == 0) {
      return;
    }
    List<ResourceId> ids = deletes.keySet().stream().map(Action::id).sorted().toList();
    String who = "owned by '" + options.owner() + "'";
    if (desired.isEmpty() && !options.allowEmptyPrune()) {
      refusals.add(new PlanRefusedException.Reason(ids, "the desired state is empty: refusing to"
          + " delete " + count + " resource(s) " + who + " (allowEmptyPrune is off): " + ids));
      return;
    }
    if (options.maxDeletes() >= 0 && count > options.maxDeletes()) {
      refusals.add(new PlanRefusedException.Reason(ids, "would delete " + count
          + " resource(s) " + who + ", over the budget of " + options.maxDeletes() + ": " + ids));
    }
    if ((long) count * 100 > (long) options.maxDeletePercent() * owned) {
      refusals.add(new PlanRefusedException.Reason(ids, "would delete " + count + " of " + owned
          + " resource(s) " + who + ", over the budget of " + options.maxDeletePercent() + "%: " + ids));
    }
  }

  private static List<Action> runs(List<Handler> handlers, List<Action> applies,
                                   Iterable<Action> deletes) {
    if (handlers.isEmpty()) {
      return List.of();
    }
    List<ResourceId> changed = new ArrayList<>();
    for (Action a : applies) {
      if (a.kind() != Action.Kind.NOOP) {
        changed.add(a.id());
      }
    }
    deletes.forEach(a -> changed.add(a.id()));
    List<Action> runs = new ArrayList<>();
    for (Handler h : handlers) {
      PathGlob globs = PathGlob.of(h.globs());
      TreeSet<ResourceId> because = new TreeSet<>();
      for (ResourceId id : changed) {
        if (globs.matches(id.name())) {
          because.add(id);
        }
      }
      if (!because.isEmpty()) {
        runs.add(new Action.Run(h, List.copyOf(because)));
      }
    }
    return runs;
  }
}
