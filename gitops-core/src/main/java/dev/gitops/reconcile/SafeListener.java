package dev.gitops.reconcile;

import dev.gitops.apply.Outcome;
import dev.gitops.internal.LoggedThrowable;
import dev.gitops.model.Revision;
import dev.gitops.plan.Plan;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * Forwards events to a user's listener, logging (once, at WARN, with the reconciler's name) and
 * swallowing whatever it throws, an {@link Error} included: a listener's bug never breaks a run. An
 * {@link OutOfMemoryError} alone passes through, for the agent to stop on as it does for its own.
 */
final class SafeListener implements ReconcileListener {
  private final String name;
  private final Logger log;
  private final ReconcileListener delegate;

  /**
   * @param name the reconciler's name, for the log line
   * @param log where to log what the listener threw
   * @param delegate the user's listener
   */
  SafeListener(String name, Logger log, ReconcileListener delegate) {
    this.name = LogText.NONE.escape(name);
    this.log = Objects.requireNonNull(log, "log");
    this.delegate = Objects.requireNonNull(delegate, "listener");
  }

  @Override public void revisionSeen(Revision revision) { run("revisionSeen", () -> delegate.revisionSeen(revision)); }

  @Override public void planned(Plan plan) { run("planned", () -> delegate.planned(plan)); }

  @Override public void applied(Outcome outcome) { run("applied", () -> delegate.applied(outcome)); }

  @Override public void driftFound(Drift drift) { run("driftFound", () -> delegate.driftFound(drift)); }

  @Override public void failed(Exception error) { run("failed", () -> delegate.failed(error)); }

  @Override public void reconciled(ReconcileResult result) { run("reconciled", () -> delegate.reconciled(result)); }

  private void run(String event, Runnable call) {
    try {
      call.run();
    } catch (OutOfMemoryError e) {
      throw e;
    } catch (Throwable e) { // an AssertionError, a StackOverflowError, a LinkageError: the listener's, not the run's
      log.atWarn().addKeyValue("reconciler", name).setCause(LoggedThrowable.of(e)) // its messages may quote names
          .log("reconciler {}: its listener threw {} from {}; ignored", name, e.getClass().getName(), event);
    }
  }
}
