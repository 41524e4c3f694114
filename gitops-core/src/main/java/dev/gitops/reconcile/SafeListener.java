package dev.gitops.reconcile;

import dev.gitops.apply.Outcome;
import dev.gitops.model.Revision;
import dev.gitops.plan.Plan;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Forwards events to a user's listener, logging and swallowing what it throws. */
final class SafeListener implements ReconcileListener {
  private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);
  private final ReconcileListener delegate;

  SafeListener(ReconcileListener delegate) {
    this.delegate = Objects.requireNonNull(delegate, "listener");
  }

  @Override public void revisionSeen(Revision revision) { run("revisionSeen", () -> delegate.revisionSeen(revision)); }

  @Override public void planned(Plan plan) { run("planned", () -> delegate.planned(plan)); }

  @Override public void applied(Outcome outcome) { run("applied", () -> delegate.applied(outcome)); }

  @Override public void driftFound(Drift drift) { run("driftFound", () -> delegate.driftFound(drift)); }

  @Override public void failed(Exception error) { run("failed", () -> delegate.failed(error)); }

  @Override public void reconciled(ReconcileResult result) { run("reconciled", () -> delegate.reconciled(result)); }

  private static void run(String event, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("reconcile listener threw from {}; ignored", event, e);
    }
  }
}
