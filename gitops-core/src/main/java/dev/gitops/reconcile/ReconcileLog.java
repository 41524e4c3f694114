package dev.gitops.reconcile;

import dev.gitops.apply.Outcome;
import dev.gitops.model.ResourceId;
import dev.gitops.model.Revision;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanRefusedException;
import dev.gitops.target.LockedException;
import dev.gitops.target.TargetException;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Logs what an operator must see, then forwards every event to the user's listener: drift found
 * (WARN, one line per drifted resource) and healed (INFO), refusals and failures (WARN), applies that
 * changed something (INFO). Every line carries SLF4J key-values: {@code reconciler}, {@code revision}
 * when one is known, {@code resource} when one is concerned, and {@code reason} for failures.
 *
 * <p>Safe to read: names and messages go through {@link LogText} (control characters escaped,
 * credentials in URLs and the values of the Secrets in the last plan masked); drift shows paths,
 * never values.
 */
final class ReconcileLog implements ReconcileListener {
  /** Drifted or failed resources logged one by one; past this, one line says how many more. */
  static final int MAX_LINES = 20;

  private final String name;
  private final Logger log;
  private final ReconcileListener next;
  private volatile Revision revision;
  private volatile Drift pending;
  private volatile LogText text = LogText.NONE;

  /**
   * @param name the reconciler's name
   * @param log where to log
   * @param next told every event after it is logged
   */
  ReconcileLog(String name, Logger log, ReconcileListener next) {
    this.name = LogText.NONE.escape(name);
    this.log = Objects.requireNonNull(log, "log");
    this.next = Objects.requireNonNull(next, "next");
  }

  @Override
  public void revisionSeen(Revision seen) {
    revision = seen;
    next.revisionSeen(seen);
  }

  @Override
  public void planned(Plan plan) {
    text = LogText.masking(plan);
    next.planned(plan);
  }

  @Override
  public void applied(Outcome outcome) {
    next.applied(outcome);
  }

  @Override
  public void driftFound(Drift drift) {
    pending = drift;
    text = text.and(LogText.masking(drift.plan()));
    List<String> fields = drift.fields();
    at(Level.WARN, drift.revision()).addKeyValue("resources", drift.ids().size())
        .log("drift found: {} resource(s) differ from the applied revision", drift.ids().size());
    List<ResourceId> ids = drift.ids();
    for (int i = 0; i < Math.min(ids.size(), MAX_LINES); i++) {
      ResourceId id = ids.get(i);
      String prefix = id + " ";
      List<String> paths = fields.stream().filter(f -> f.startsWith(prefix))
          .map(f -> f.substring(prefix.length())).toList();
      at(Level.WARN, drift.revision()).addKeyValue("resource", text.id(id))
          .addKeyValue("fields", text.escape(String.join(" ", paths))).log("drifted");
    }
    more(ids.size(), drift.revision(), "drifted");
    next.driftFound(drift);
  }

  @Override
  public void failed(Exception error) {
    Level level = Level.WARN;
    String what = isRefusal(error) ? "reconcile refused" : "reconcile failed";
    LoggingEventBuilder line = at(level, revision).addKeyValue("reason", error.getClass().getSimpleName());
    if (error instanceof TargetException t && t.id() != null) {
      line = line.addKeyValue("resource", text.id(t.id()));
    }
    line.log("{}: {}", what, text.escape(String.valueOf(error.getMessage())));
    pending = null;
    next.failed(error);
  }

  @Override
  public void reconciled(ReconcileResult result) {
    Drift healed = pending;
    pending = null;
    if (result.isSuccess()) {
      if (healed != null) {
        at(Level.INFO, result.revision()).addKeyValue("resources", healed.ids().size())
            .log("drift healed: {}", text.escape(result.report().summary()));
      } else if (!result.plan().isEmpty()) {
        at(Level.INFO, result.revision()).log("reconciled: {}", text.escape(result.report().summary()));
      }
    } else {
      List<Outcome.Failed> failures = result.report().outcomes().stream()
          .filter(Outcome.Failed.class::isInstance).map(Outcome.Failed.class::cast).toList();
      at(Level.WARN, result.revision()).addKeyValue("reason", "ApplyFailed")
          .log("reconcile failed: {}", text.escape(result.report().summary()));
      for (int i = 0; i < Math.min(failures.size(), MAX_LINES); i++) {
        Outcome.Failed o = failures.get(i);
        at(Level.WARN, result.revision()).addKeyValue("resource", text.id(o.action().id()))
            .addKeyValue("reason", o.cause().getClass().getSimpleName())
            .log("step failed: {}", text.escape(String.valueOf(o.cause().getMessage())));
      }
      more(failures.size(), result.revision(), "failed");
    }
    next.reconciled(result);
  }

  private void more(int count, Revision at, String what) {
    if (count > MAX_LINES) {
      at(Level.WARN, at).log("... and {} more {}", count - MAX_LINES, what);
    }
  }

  private LoggingEventBuilder at(Level level, Revision at) {
    LoggingEventBuilder line = log.atLevel(level).addKeyValue("reconciler", name);
    return at == null ? line : line.addKeyValue("revision", text.escape(at.id()));
  }

  private static boolean isRefusal(Exception error) {
    return error instanceof PlanRefusedException || error instanceof StalePlanException
        || error instanceof LockedException;
  }
}
