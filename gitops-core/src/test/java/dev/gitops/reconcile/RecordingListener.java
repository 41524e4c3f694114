package dev.gitops.reconcile;

import dev.gitops.apply.Outcome;
import dev.gitops.model.Revision;
import dev.gitops.plan.Plan;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every event, in order, as short words, plus the drifts and failures themselves. */
final class RecordingListener implements ReconcileListener {
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<Drift> drifts = new CopyOnWriteArrayList<>();
  final List<Exception> failures = new CopyOnWriteArrayList<>();

  @Override public void revisionSeen(Revision revision) { events.add("revision " + revision.id()); }

  @Override public void planned(Plan plan) { events.add("planned " + plan.summary()); }

  @Override public void applied(Outcome outcome) {
    events.add(outcome.kind().word() + " " + outcome.action().id());
  }

  @Override public void driftFound(Drift drift) {
    drifts.add(drift);
    events.add("drift " + drift.ids());
  }

  @Override public void failed(Exception error) {
    failures.add(error);
    events.add("failed " + error.getClass().getSimpleName());
  }

  @Override public void reconciled(ReconcileResult result) {
    events.add("reconciled " + result.isSuccess());
  }
}
