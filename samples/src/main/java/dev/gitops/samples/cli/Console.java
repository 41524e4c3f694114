package dev.gitops.samples.cli;

import dev.gitops.apply.ApplyReport;
import dev.gitops.apply.Outcome;
import dev.gitops.model.Revision;
import dev.gitops.plan.Plan;
import dev.gitops.reconcile.Drift;
import dev.gitops.reconcile.ReconcileListener;
import java.io.PrintWriter;

/**
 * What the command line prints for people: progress lines, plans with their diffs (sensitive values
 * masked), the summary line, and the apply report.
 */
public final class Console implements ReconcileListener {
  private final PrintWriter out;
  private final boolean quiet;
  private boolean reportFailures;

  /**
   * @param out where to print
   * @param quiet true to print nothing but what callers print themselves ({@code --json})
   */
  public Console(PrintWriter out, boolean quiet) {
    this.out = out;
    this.quiet = quiet;
  }

  /** Also print failures as they happen (for the long-running agent; one-shot commands print the error once, at exit). */
  public Console reportingFailures() {
    reportFailures = true;
    return this;
  }

  /** Prints every step with its diff, then the summary line. */
  public void plan(Plan plan) {
    if (!plan.isEmpty()) {
      String text = plan.render();
      out.print(text.endsWith("\n") ? text : text + "\n");
    }
    out.println(plan.summary());
  }

  /** Prints the report's summary, its failed or skipped steps and what applied steps said (handler output). */
  public void report(ApplyReport report) {
    out.println(report);
  }

  /** One line for the person. */
  public void say(String line) {
    if (!quiet) {
      out.println(line);
    }
  }

  @Override
  public void revisionSeen(Revision revision) {
    say("revision " + revision + (revision.message().isEmpty() ? "" : ": " + firstLine(revision.message())));
  }

  @Override
  public void applied(Outcome outcome) {
    if (outcome.kind() != Outcome.Kind.UNCHANGED) {
      say("  " + outcome.kind().word() + " " + outcome.action().kind().word() + " " + outcome.action().id()
          + (outcome instanceof Outcome.Failed f ? ": " + f.cause().getMessage() : "")
          + (outcome instanceof Outcome.Skipped s ? ": " + s.reason() : ""));
    }
  }

  @Override
  public void driftFound(Drift drift) {
    say("drift found on " + drift.ids().size() + " resource(s): " + String.join(", ", drift.fields()));
  }

  @Override
  public void failed(Exception error) {
    if (reportFailures) {
      say("failed: " + error.getMessage());
    }
  }

  private static String firstLine(String message) {
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
