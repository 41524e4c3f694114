package dev.gitops.samples.cli;

import dev.gitops.model.Origin;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.Wave;
import java.util.List;

/**
 * Views of a plan for people, built on the plan's own rendering (so masking is the plan's): the
 * full text, a stat (changed lines per step) or the steps alone, and one step's diff.
 */
final class PlanViews {
  private static final String INDENT = "      ";

  private PlanViews() {}

  /** The plan's steps wave by wave as {@code mode} says, without the summary line (callers print it once). */
  static String text(Plan plan, Console.DiffMode mode) {
    if (mode == Console.DiffMode.full || mode == Console.DiffMode.auto) {
      String text = plan.render();
      int nl = text.indexOf('\n'); // the first line is the summary
      String rest = nl < 0 ? "" : text.substring(nl + 1);
      return rest.isEmpty() || rest.endsWith("\n") ? rest : rest + "\n";
    }
    StringBuilder out = new StringBuilder();
    if (!plan.revision().isEmpty()) {
      out.append("Revision: ").append(ResourceId.escape(plan.revision())).append('\n'); // as the plan's own text
    }
    for (Wave w : plan.waves()) {
      if (w.isEmpty()) {
        continue;
      }
      out.append("\nWave ").append(w.index()).append(":\n");
      for (Action a : w.actions()) {
        if (a.kind() == Action.Kind.NOOP) {
          continue;
        }
        out.append("  ").append(a.kind().sign()).append(' ').append(a.kind().word()).append(' ').append(a.id())
            .append(from(a));
        if (mode == Console.DiffMode.stat) {
          Stat stat = Stat.of(diff(plan, w, a));
          if (stat.added() + stat.removed() > 0) {
            out.append(" (+").append(stat.added()).append(" -").append(stat.removed()).append(')');
          }
        }
        out.append('\n');
      }
    }
    return out.toString();
  }

  /**
   * {@code " from base/deploy.yaml:12"}, where the step's resource was declared in the repository, as
   * the plan's own text says it; {@code ""} when unknown or for files (whose id is their path).
   */
  static String from(Action a) {
    Origin o = a.origin();
    return o.file().isEmpty() || a.id().kind().equals("File") ? "" : " from " + o;
  }

  /**
   * The unified diff under one step as the plan renders it (masked), unindented; empty for steps
   * without a diff (creates, deletes, handler runs).
   */
  static List<String> diff(Plan plan, Wave wave, Action action) {
    Plan one = new Plan(plan.owner(), "", List.of(new Wave(wave.index(), List.of(action))), plan.fingerprint(),
        plan.diffOptions());
    return one.render().lines().filter(l -> l.startsWith(INDENT))
        .map(l -> l.substring(INDENT.length())).toList();
  }

  /**
   * Lines added and removed in a unified diff (file headers not counted).
   *
   * @param added lines starting with {@code +}
   * @param removed lines starting with {@code -}
   */
  record Stat(int added, int removed) {
    static Stat of(List<String> diff) {
      int added = 0;
      int removed = 0;
      for (String l : diff) {
        if (l.startsWith("+") && !l.startsWith("+++")) {
          added++;
        } else if (l.startsWith("-") && !l.startsWith("---")) {
          removed++;
        }
      }
      return new Stat(added, removed);
    }
  }
}
