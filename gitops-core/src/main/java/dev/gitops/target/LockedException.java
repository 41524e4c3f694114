package dev.gitops.target;

import dev.gitops.GitOpsException;
import java.time.Instant;

/** The target's lock is held by someone else: {@code locked by X since T}. */
public class LockedException extends GitOpsException {
  private static final long serialVersionUID = 1L;
  /** Who holds the lock. */
  private final String holder;
  /** Since when. */
  private final Instant since;

  /**
   * @param target the target, as it describes itself
   * @param holder who holds the lock
   * @param since since when
   */
  public LockedException(String target, String holder, Instant since) {
    super(target + " is locked by " + holder + " since " + since);
    this.holder = holder;
    this.since = since;
  }

  /** Who holds the lock. */
  public String holder() {
    return holder;
  }

  /** Since when. */
  public Instant since() {
    return since;
  }
}
