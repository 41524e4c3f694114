package dev.gitops.apply;

import dev.gitops.GitOpsException;
import dev.gitops.plan.Action;
import java.time.Duration;
import java.util.Objects;

/**
 * What happened to one step of a plan. A closed family; dispatch on {@link #kind()}. Every step of
 * an applied plan has exactly one outcome, so one failure never hides the others.
 *
 * <p>Members are immutable records, safe to share between threads.
 */
public sealed interface Outcome {
  /** Stable words used in logs and JSON. */
  enum Kind {
    /** The step was performed ({@link Applied}). */
    APPLIED("applied"),
    /** The step was a no-op ({@link Unchanged}). */
    UNCHANGED("unchanged"),
    /** The step was attempted and failed ({@link Failed}). */
    FAILED("failed"),
    /** The step was not attempted ({@link Skipped}). */
    SKIPPED("skipped");

    private final String word;

    Kind(String word) {
      this.word = word;
    }

    /**
     * {@return the stable word used in logs and JSON: {@code applied}, {@code unchanged},
     * {@code failed} or {@code skipped}}
     */
    public String word() {
      return word;
    }
  }

  /** {@return the plan step this outcome is for} */
  Action action();

  /** {@return which member of the family this is} */
  Kind kind();

  /** {@return how long the step took, retries included; zero for no-ops and steps not attempted} */
  Duration took();

  /**
   * The step was performed.
   *
   * @param action the step
   * @param took how long it took, retries included
   * @param detail what the target said (a handler's output), {@code ""} for none
   */
  record Applied(Action action, Duration took, String detail) implements Outcome {
    /**
     * Validates.
     *
     * @param action the step; not null
     * @param took how long it took; not null
     * @param detail what the target said; null becomes {@code ""}
     */
    public Applied {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(took, "took");
      detail = Objects.requireNonNullElse(detail, "");
    }

    @Override public Kind kind() { return Kind.APPLIED; }
  }

  /**
   * The step was a no-op.
   *
   * @param action the step
   */
  record Unchanged(Action action) implements Outcome {
    @Override public Kind kind() { return Kind.UNCHANGED; }
    @Override public Duration took() { return Duration.ZERO; }
  }

  /**
   * The step failed.
   *
   * @param action the step
   * @param cause why, with the resource named in its message
   * @param took how long it took, retries included
   */
  record Failed(Action action, GitOpsException cause, Duration took) implements Outcome {
    /**
     * Validates.
     *
     * @param action the step; not null
     * @param cause why it failed; not null
     * @param took how long it took, retries included; not null
     */
    public Failed {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(cause, "cause");
      Objects.requireNonNull(took, "took");
    }

    @Override public Kind kind() { return Kind.FAILED; }
  }

  /**
   * The step was not attempted.
   *
   * @param action the step
   * @param reason why: dry run, an earlier wave failed, the resource moved since the plan
   */
  record Skipped(Action action, String reason) implements Outcome {
    /**
     * Validates.
     *
     * @param action the step; not null
     * @param reason why it was not attempted, for people; starts with {@value ApplyReport#STALE}
     *     when the resource moved since the plan; not null
     */
    public Skipped {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(reason, "reason");
    }

    @Override public Kind kind() { return Kind.SKIPPED; }
    @Override public Duration took() { return Duration.ZERO; }
  }
}
