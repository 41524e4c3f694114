package dev.gitops.apply;

import dev.gitops.internal.Printable;
import dev.gitops.model.ResourceId;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What applying a plan did: one {@link Outcome} per step, in plan order, and how long it took.
 *
 * @param outcomes one per step of the plan, in plan order
 * @param took wall time of the whole apply
 * @param dryRun true when nothing was written
 */
public record ApplyReport(List<Outcome> outcomes, Duration took, boolean dryRun) {
  /**
   * Validates and copies.
   *
   * @param outcomes one per step of the plan, in plan order; copied
   * @param took wall time of the whole apply; not null
   * @param dryRun true when nothing was written
   */
  public ApplyReport {
    outcomes = List.copyOf(outcomes);
    Objects.requireNonNull(took, "took");
  }

  /**
   * {@return true when no step failed or was skipped for a reason other than a dry run (so a dry
   * run whose steps were all skipped succeeds)}
   */
  public boolean isSuccess() {
    return outcomes.stream().noneMatch(o -> o.kind() == Outcome.Kind.FAILED
        || (o.kind() == Outcome.Kind.SKIPPED && !dryRun));
  }

  /** {@return the failed outcomes, in plan order; empty when none failed} */
  public List<Outcome.Failed> failures() {
    return outcomes.stream().filter(o -> o instanceof Outcome.Failed)
        .map(o -> (Outcome.Failed) o).toList();
  }

  /**
   * {@return the ids whose steps were skipped because their resource moved since the plan (reason
   * starting with {@value #STALE}), in plan order; empty when none}
   */
  public List<ResourceId> stale() {
    return outcomes.stream()
        .filter(o -> o instanceof Outcome.Skipped s && s.reason().startsWith(STALE))
        .map(o -> o.action().id()).toList();
  }

  /** {@return how many outcomes of each kind, every kind present (with {@code 0} when none)} */
  public Map<Outcome.Kind, Integer> counts() {
    Map<Outcome.Kind, Integer> counts = new EnumMap<>(Outcome.Kind.class);
    for (Outcome.Kind k : Outcome.Kind.values()) {
      counts.put(k, 0);
    }
    outcomes.forEach(o -> counts.merge(o.kind(), 1, Integer::sum));
    return counts;
  }

  /**
   * {@return one line for people and logs: {@code Applied: 3 applied, 10 unchanged, 1 failed,
   * 0 skipped in 120 ms.}, starting {@code Dry run:} for a dry run}
   */
  public String summary() {
    Map<Outcome.Kind, Integer> c = counts();
    return (dryRun ? "Dry run: " : "Applied: ") + c.get(Outcome.Kind.APPLIED) + " applied, "
        + c.get(Outcome.Kind.UNCHANGED) + " unchanged, " + c.get(Outcome.Kind.FAILED) + " failed, "
        + c.get(Outcome.Kind.SKIPPED) + " skipped in " + took.toMillis() + " ms.";
  }

  /** Reason prefix of the skips that the stale-plan check caused. */
  public static final String STALE = "stale:";

  /**
   * The summary, one line per failed or skipped step, and one per applied step that reported a
   * {@linkplain Outcome.Applied#detail() detail} (a handler's output), followed by that detail
   * indented; in plan order. Messages, reasons and details print their characters that print
   * nothing, move text or break lines escaped ({@code \n}, {@code \x1b}, <code>&#92;u202e</code>), as ids do.
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(summary());
    for (Outcome o : outcomes) {
      String head = "\n  " + o.kind().word() + " " + o.action().kind().word() + " " + o.action().id() + ":";
      if (o instanceof Outcome.Failed f) {
        out.append(head).append(' ').append(Printable.escapeHidden(String.valueOf(f.cause().getMessage())));
      } else if (o instanceof Outcome.Skipped s) {
        out.append(head).append(' ').append(Printable.escapeHidden(s.reason()));
      } else if (o instanceof Outcome.Applied a && !a.detail().isBlank()) {
        out.append(head);
        a.detail().strip().lines().forEach(line -> out.append("\n    ").append(Printable.escapeHidden(line)));
      }
    }
    return out.toString();
  }
}
