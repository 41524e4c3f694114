package dev.gitops.apply;

import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Wave;
import dev.gitops.target.TargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One wave of an {@link ApplyRun}: no-ops, the stale check, the steps (in parallel), then the
 * health wait. Not part of the public API.
 */
final class WaveRun {
  private final ApplyRun run;
  private final List<Action> actions;
  private final AtomicReferenceArray<Outcome> out;

  WaveRun(ApplyRun run, Wave wave) {
    this.run = run;
    this.actions = wave.actions();
    this.out = new AtomicReferenceArray<>(actions.size());
  }

  Outcome[] run() {
    List<Action> writes = new ArrayList<>();
    for (int i = 0; i < actions.size(); i++) {
      Action a = actions.get(i);
      if (a.kind() == Action.Kind.NOOP) {
        set(i, new Outcome.Unchanged(a));
      } else if (StaleCheck.writes(a)) {
        writes.add(a);
      }
    }
    Map<ResourceId, String> moved;
    try {
      moved = run.target().checksPreconditions() ? Map.of()
          : StaleCheck.moved(run.target(), run.owner(), writes);
    } catch (TargetException e) {
      writes.forEach(a -> set(indexOf(a), new Outcome.Failed(a, e, java.time.Duration.ZERO)));
      moved = Map.of();
    } catch (RuntimeException e) { // a target's bug: every write of the wave fails, the report stays whole
      writes.forEach(a -> set(indexOf(a), new Outcome.Failed(a, new TargetException(a.id(), "target "
          + run.target().describe() + " failed unexpectedly reading before the wave: " + e, false, e),
          java.time.Duration.ZERO)));
      moved = Map.of();
    }
    List<Integer> todo = new ArrayList<>();
    for (int i = 0; i < actions.size(); i++) {
      Action a = actions.get(i);
      if (out.get(i) != null) {
        continue;
      }
      String reason = moved.get(a.id());
      if (reason != null) {
        set(i, new Outcome.Skipped(a, ApplyReport.STALE + " " + reason));
      } else if (a instanceof Action.Run r && !triggered(r)) {
        set(i, new Outcome.Skipped(a, "none of the changes that trigger it was applied"));
      } else {
        todo.add(i);
      }
    }
    try {
      run.workers().run(todo.size(), k -> {
        int i = todo.get(k);
        set(i, run.runner().perform(actions.get(i)));
      });
      if (!Thread.currentThread().isInterrupted()) {
        awaitHealth();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Outcome[] result = new Outcome[actions.size()];
    for (int i = 0; i < result.length; i++) {
      Outcome o = out.get(i);
      if (o == null) {
        o = new Outcome.Skipped(actions.get(i), ApplyRun.INTERRUPTED);
        run.emit(o);
      }
      result[i] = o;
    }
    return result;
  }

  /** A handler runs when a change that triggers it was applied, or when none is in this plan. */
  private boolean triggered(Action.Run r) {
    boolean anyKnown = false;
    for (ResourceId id : r.because()) {
      Outcome.Kind k = run.earlier(id);
      if (k == null) {
        return true;
      }
      anyKnown = true;
      if (k == Outcome.Kind.APPLIED) {
        return true;
      }
    }
    return !anyKnown;
  }

  private void awaitHealth() throws InterruptedException {
    Map<ResourceId, Integer> applied = new TreeMap<>();
    for (int i = 0; i < actions.size(); i++) {
      Outcome o = out.get(i);
      Action.Kind k = actions.get(i).kind();
      if (o instanceof Outcome.Applied && (k == Action.Kind.CREATE || k == Action.Kind.UPDATE
          || k == Action.Kind.ADOPT)) {
        applied.put(actions.get(i).id(), i);
      }
    }
    if (applied.isEmpty()) {
      return;
    }
    Map<ResourceId, String> unhealthy;
    try {
      unhealthy = new HealthPoll(run.target(), run.options()).await(applied.keySet());
    } catch (InterruptedException e) {
      // written, but never seen healthy: not a success, even in the last wave (no later step says so)
      applied.forEach((id, i) -> fail(i, "applied, but the apply was interrupted while waiting for it to"
          + " become healthy: its health is unknown"));
      throw e;
    }
    unhealthy.forEach((id, why) -> fail(applied.get(id), why));
  }

  /** Turns the applied step {@code i} into a failure saying {@code why}. */
  private void fail(int i, String why) {
    Outcome before = out.get(i);
    Outcome failed = new Outcome.Failed(before.action(), new TargetException(before.action().id(), why),
        before.took());
    out.set(i, failed);
    run.emit(failed);
  }

  private int indexOf(Action a) {
    return actions.indexOf(a);
  }

  private void set(int i, Outcome o) {
    if (out.compareAndSet(i, null, o)) {
      run.emit(o);
    }
  }
}
