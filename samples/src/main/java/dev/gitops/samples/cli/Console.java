package dev.gitops.samples.cli;

import dev.gitops.apply.ApplyReport;
import dev.gitops.apply.Outcome;
import dev.gitops.model.Revision;
import dev.gitops.plan.Plan;
import dev.gitops.reconcile.Drift;
import dev.gitops.reconcile.ReconcileListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * What the command line prints for people. Data — the plan with its diffs (sensitive values
 * masked), the summary line once, the apply report — goes to standard output; progress — revisions
 * seen, steps applied, drift, banners — to standard error, so that with {@code --json} standard
 * output is the JSON document alone. On a terminal, progress is one live counter
 * ({@code applied 1,204/2,000 …}); elsewhere one line per step up to
 * {@value OutputOptions#FULL_DIFF_LIMIT} changes, else one line per tenth, and every failure.
 */
public final class Console implements ReconcileListener {
  /** How much of each step's diff a plan shows. */
  public enum DiffMode {
    /** The unified diff under every step. */
    full,
    /** Changed lines per step: {@code (+3 -1)}. */
    stat,
    /** Steps only. */
    none,
    /** Full for up to {@value OutputOptions#FULL_DIFF_LIMIT} changes, stat above. */
    auto
  }

  /**
   * How a console prints.
   *
   * @param quiet summary lines only
   * @param json the caller prints JSON: no data from the console (progress still goes to stderr)
   * @param diff how much of each diff to show
   * @param live a live counter on standard error (a terminal)
   */
  public record Style(boolean quiet, boolean json, DiffMode diff, boolean live) {}

  private final PrintWriter out;
  private final PrintWriter err;
  private final Style style;
  private boolean reportFailures;
  /** The plan being applied's masker: its Secret values are masked in what servers answer. */
  private UnaryOperator<String> masker = String::valueOf;
  private int total;
  private int done;

  /**
   * A console printing data to {@code out} and progress to {@code err}.
   *
   * @param out where data goes
   * @param err where progress goes
   * @param style how to print
   */
  public Console(PrintWriter out, PrintWriter err, Style style) {
    this.out = out;
    this.err = err;
    this.style = style;
  }

  /**
   * A console printing everything to {@code out} (the demo's narration), full diffs.
   *
   * @param out where to print
   * @param quiet true to print nothing but what callers print themselves
   */
  public Console(PrintWriter out, boolean quiet) {
    this(out, out, new Style(quiet, quiet, DiffMode.full, false));
  }

  /** Also print failures as they happen (for the long-running agent; one-shot commands print the error once, at exit). */
  public Console reportingFailures() {
    reportFailures = true;
    return this;
  }

  /** Prints the plan's steps with their diffs as {@link DiffMode} says, then the summary line (once). */
  public void plan(Plan plan) {
    if (style.json()) {
      return;
    }
    if (!style.quiet() && !plan.isEmpty()) {
      out.print(PlanViews.text(plan, mode(plan)));
    }
    out.println(plan.summary());
    out.flush();
  }

  /** The diff mode for {@code plan}: {@code auto} resolved by its number of changes. */
  DiffMode mode(Plan plan) {
    if (style.diff() != DiffMode.auto) {
      return style.diff();
    }
    return plan.changes().size() <= OutputOptions.FULL_DIFF_LIMIT ? DiffMode.full : DiffMode.stat;
  }

  /** Prints the report's summary, then (unless quiet) its failed or skipped steps and handlers' output. */
  public void report(ApplyReport report) {
    if (style.json()) {
      return;
    }
    out.println(masked(style.quiet() ? report.summary() : report.toString()));
    out.flush();
  }

  /**
   * One progress line for the person, on standard error; a character in it that would drive the
   * terminal or move text prints escaped ({@link Printed#lines}).
   */
  public void say(String line) {
    if (!style.quiet()) {
      clearCounter();
      err.println(Printed.lines(line));
      err.flush();
    }
  }

  @Override
  public void revisionSeen(Revision revision) {
    // the ref (a tag's name) and the commit message are the repository's words: one line, escaped
    say("revision " + Printed.line(revision.toString())
        + (revision.message().isEmpty() ? "" : ": " + Printed.line(firstLine(revision.message()))));
  }

  @Override
  public void planned(Plan plan) {
    masker = plan.masker(); // once per plan, not per message: each finding walks the whole plan
    total = plan.changes().size();
    done = 0;
  }

  @Override
  public void applied(Outcome outcome) {
    if (outcome.kind() == Outcome.Kind.UNCHANGED || style.quiet()) {
      return;
    }
    done++;
    boolean problem = outcome.kind() == Outcome.Kind.FAILED || outcome.kind() == Outcome.Kind.SKIPPED;
    if (style.live()) {
      if (problem) {
        say(line(outcome));
      }
      err.print("\r" + counter());
      if (done >= total) {
        clearCounter();
      }
      err.flush();
    } else if (problem || total <= OutputOptions.FULL_DIFF_LIMIT) {
      say(line(outcome));
    } else if (done % Math.max(1, total / 10) == 0 || done == total) {
      say(counter());
    }
  }

  /** {@code applied 1,204/2,000 …}: steps done of the plan's changes. */
  String counter() {
    return String.format(Locale.ROOT, "applied %,d/%,d %s", done, Math.max(total, done), done >= total ? "" : "…").strip();
  }

  private void clearCounter() {
    if (style.live()) {
      err.print("\r\033[K");
    }
  }

  /**
   * A step's line; a failure's message (a server's or a host's words, which may quote what was sent:
   * a 422 names the value it refused) on that one line, escaped, the plan's Secret values masked.
   */
  private String line(Outcome outcome) {
    return "  " + outcome.kind().word() + " " + outcome.action().kind().word() + " " + outcome.action().id()
        + (outcome instanceof Outcome.Failed f ? ": " + Printed.line(masked(f.cause().getMessage())) : "")
        + (outcome instanceof Outcome.Skipped s ? ": " + Printed.line(masked(s.reason())) : "");
  }

  /** {@return the masker of the last plan this console was told of ({@link Plan#masker}); none before it} */
  UnaryOperator<String> masker() {
    return masker;
  }

  /** {@code text} with the Secret values of the plan being applied masked ({@link Plan#masked}). */
  private String masked(String text) {
    return masker.apply(text);
  }

  @Override
  public void driftFound(Drift drift) {
    // a field's path is the object's own keys, unescaped: one line
    say("drift found on " + drift.ids().size() + " resource(s): " + Printed.line(String.join(", ", drift.fields())));
  }

  @Override
  public void failed(Exception error) {
    if (reportFailures) {
      say("failed: " + masked(error.getMessage()));
    }
  }

  private static String firstLine(String message) {
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
