package dev.gitops.reconcile;

import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** What moved between an approved plan and a fresh one. Not part of the public API. */
final class PlanComparison {
  private PlanComparison() { }

  /**
   * The ids whose steps differ between the two plans, sorted: a step present in one and not the
   * other (a missing step counts as a no-op), another kind, or the same kind with other content, diff
   * or precondition.
   */
  public static List<ResourceId> moved(Plan approved, Plan fresh) {
    Map<ResourceId, Action> a = changes(approved);
    Map<ResourceId, Action> b = changes(fresh);
    Set<ResourceId> ids = new TreeSet<>(a.keySet());
    ids.addAll(b.keySet());
    List<ResourceId> out = new ArrayList<>();
    for (ResourceId id : ids) {
      if (!Objects.equals(a.get(id), b.get(id))) {
        out.add(id);
      }
    }
    return out;
  }

  /** {@code Deployment/default/web (update -> noop)}: how one id's step moved. */
  public static String describe(ResourceId id, Plan approved, Plan fresh) {
    String was = approved.action(id).map(x -> x.kind().word()).orElse("noop");
    String now = fresh.action(id).map(x -> x.kind().word()).orElse("noop");
    return id + " (" + (was.equals(now) ? was + " changed" : was + " -> " + now) + ")";
  }

  private static Map<ResourceId, Action> changes(Plan plan) {
    Map<ResourceId, Action> out = new TreeMap<>();
    plan.changes().forEach(x -> out.put(x.id(), x));
    return out;
  }
}
