package dev.gitops.reconcile;

import dev.gitops.target.Target;
import java.util.function.BooleanSupplier;

/** The reconcile package's own target wrappers, for the tests and contract suites of other packages. */
public final class Wrappers {
  /** Start of the message of a step the stop flag refused. */
  public static final String REFUSED = StoppingTarget.REFUSED;

  private Wrappers() {}

  /** The pull agent's stop-flag wrapper ({@code StoppingTarget}), never stopping. */
  public static Target stopping(Target target) {
    return stopping(target, () -> false, "never stops");
  }

  /** The pull agent's stop-flag wrapper: once {@code stop} is up, steps not started are refused. */
  public static Target stopping(Target target, BooleanSupplier stop, String why) {
    return new StoppingTarget(target, stop, why);
  }
}
