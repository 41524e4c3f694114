package dev.gitops.internal;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What the core hands to SLF4J in place of a throwable: a copy with the same stack frames, causes
 * and suppressed throwables, whose every message is masked by the caller's rule (a plan's Secret
 * values) and escaped by {@link Printable#escape} and names the class it copies
 * ({@code java.lang.IllegalStateException: web\n[WARN] forged}). Every backend prints a throwable's
 * messages as they are, with its stack trace, and a message may quote a repository's or a cluster's
 * names (a listener's exception, a server's answer): handed over raw, a name could forge a log line or
 * drive the terminal. Class names and stack frames are the program's own, printed as they are. Kept
 * as the cause of an exception too, where the cause's messages quote hostile input (a plan file's
 * parser failure: {@code PlanFormatException}).
 * Causes are copied up to {@value #DEPTH} deep, each once. Not part of the public API.
 */
public final class LoggedThrowable extends Throwable {
  private static final long serialVersionUID = 1L;
  private static final int DEPTH = 20;

  private LoggedThrowable(Throwable of, UnaryOperator<String> mask, Set<Throwable> seen, int depth) {
    super(text(of, mask)); // its cause left unset, for initCause
    setStackTrace(of.getStackTrace());
    Throwable cause = of.getCause();
    if (cause != null && depth < DEPTH && seen.add(cause)) {
      initCause(new LoggedThrowable(cause, mask, seen, depth + 1));
    }
    for (Throwable s : of.getSuppressed()) {
      if (depth < DEPTH && seen.add(s)) {
        addSuppressed(new LoggedThrowable(s, mask, seen, depth + 1));
      }
    }
  }

  /**
   * A copy of {@code e} safe to log, its messages escaped.
   *
   * @param e any throwable; not null
   * @return the copy
   */
  public static Throwable of(Throwable e) {
    return of(e, UnaryOperator.identity());
  }

  /**
   * A copy of {@code e} safe to log, its messages masked by {@code mask}, then escaped.
   *
   * @param e any throwable; not null
   * @param mask what hides the secrets a message may quote (such as {@code Plan::masker}); not null
   * @return the copy
   */
  public static Throwable of(Throwable e, UnaryOperator<String> mask) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    seen.add(e);
    return new LoggedThrowable(e, mask, seen, 0);
  }

  /**
   * {@code e}'s class and message, masked and escaped, as {@link Throwable#toString} prints them:
   * the text of a log line that names a failure.
   *
   * @param e any throwable; not null
   * @param mask as for {@link #of(Throwable, UnaryOperator)}; not null
   * @return one line
   */
  public static String text(Throwable e, UnaryOperator<String> mask) {
    String message = e.getMessage();
    return e.getClass().getName() + (message == null ? "" : ": " + Printable.escape(mask.apply(message)));
  }

  /** The copied class and message alone: a backend prints this where it would print the original's {@code toString()}. */
  @Override
  public String toString() {
    return getMessage();
  }
}
