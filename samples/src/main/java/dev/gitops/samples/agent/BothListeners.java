package dev.gitops.samples.agent;

import dev.gitops.apply.Outcome;
import dev.gitops.model.Revision;
import dev.gitops.plan.Plan;
import dev.gitops.reconcile.Drift;
import dev.gitops.reconcile.ReconcileListener;
import dev.gitops.reconcile.ReconcileResult;

/**
 * Two listeners as one, each event to the first, then the second.
 *
 * @param first told first
 * @param second told next
 */
public record BothListeners(ReconcileListener first, ReconcileListener second) implements ReconcileListener {
  @Override public void revisionSeen(Revision revision) { first.revisionSeen(revision); second.revisionSeen(revision); }
  @Override public void planned(Plan plan) { first.planned(plan); second.planned(plan); }
  @Override public void applied(Outcome outcome) { first.applied(outcome); second.applied(outcome); }
  @Override public void driftFound(Drift drift) { first.driftFound(drift); second.driftFound(drift); }
  @Override public void failed(Exception error) { first.failed(error); second.failed(error); }
  @Override public void reconciled(ReconcileResult result) { first.reconciled(result); second.reconciled(result); }
}
