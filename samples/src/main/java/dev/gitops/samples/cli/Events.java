package dev.gitops.samples.cli;

import dev.gitops.GitOpsException;
import dev.gitops.apply.Outcome;
import dev.gitops.model.Revision;
import dev.gitops.plan.Plan;
import dev.gitops.reconcile.Drift;
import dev.gitops.reconcile.ReconcileListener;
import dev.gitops.reconcile.ReconcileResult;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Forwards events to a console and lets the demo wait for them. */
final class Events implements ReconcileListener {
  private final ReconcileListener delegate;
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();

  Events(ReconcileListener delegate) {
    this.delegate = delegate;
  }

  ReconcileResult awaitReconciled(Duration timeout) throws InterruptedException {
    return await(ReconcileResult.class, timeout);
  }

  Drift awaitDrift(Duration timeout) throws InterruptedException {
    return await(Drift.class, timeout);
  }

  private <T> T await(Class<T> type, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Object event = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (event == null) {
        throw new GitOpsException("the agent did not report a " + type.getSimpleName() + " within " + timeout);
      }
      if (event instanceof Exception e) {
        throw new GitOpsException("the agent failed: " + e.getMessage(), e);
      }
      if (type.isInstance(event)) {
        return type.cast(event);
      }
    }
  }

  @Override public void revisionSeen(Revision revision) { delegate.revisionSeen(revision); }
  @Override public void planned(Plan plan) { delegate.planned(plan); }
  @Override public void applied(Outcome outcome) { delegate.applied(outcome); }

  @Override
  public void driftFound(Drift drift) {
    delegate.driftFound(drift);
    queue.add(drift);
  }

  @Override
  public void failed(Exception error) {
    delegate.failed(error);
    queue.add(error);
  }

  @Override
  public void reconciled(ReconcileResult result) {
    delegate.reconciled(result);
    queue.add(result);
  }
}
