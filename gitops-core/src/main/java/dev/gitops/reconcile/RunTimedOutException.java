package dev.gitops.reconcile;

import dev.gitops.GitOpsException;
import java.time.Duration;
import java.util.Objects;

/**
 * A pull run passed its deadline ({@link PullAgent.Builder#runTimeout}, {@link Fleet.Builder#runTimeout})
 * and was interrupted. Never thrown: {@link ReconcileListener#failed} hears it, once per such run, on a
 * thread of the agent or fleet that is neither the stuck run's nor the one timing the deadline. The
 * stuck thread may still be inside the reconciler (a call that ignores interrupts) when the listener
 * hears it, and the next run waits until that thread returns.
 */
public final class RunTimedOutException extends GitOpsException {
  private static final long serialVersionUID = 1L;
  /** The deadline that passed. */
  private final Duration timeout;
  /** What the run was doing: source, lock, fetch, load, read, plan, report or apply. */
  private final String phase;

  /**
   * A timeout naming the deadline and the phase.
   *
   * @param message which reconciler, the deadline and the phase
   * @param timeout the deadline that passed; not null
   * @param phase what the run was doing; not null
   */
  public RunTimedOutException(String message, Duration timeout, String phase) {
    super(message);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.phase = Objects.requireNonNull(phase, "phase");
  }

  /** {@return the deadline that passed: the longest a run may take} */
  public Duration timeout() {
    return timeout;
  }

  /**
   * {@return what the run was doing when its deadline passed: {@code source}, {@code lock},
   * {@code fetch}, {@code load}, {@code read}, {@code plan}, {@code report} or {@code apply}}
   */
  public String phase() {
    return phase;
  }
}
