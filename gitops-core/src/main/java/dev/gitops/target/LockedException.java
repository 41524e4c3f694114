package dev.gitops.target;

import dev.gitops.GitOpsException;
import java.time.Instant;

/**
 * The target's lock is held by someone else:
 * {@code locked by ci-42 (pid 4242 on build-7) since T}.
 */
public class LockedException extends GitOpsException {
  private static final long serialVersionUID = 1L;
  /** Who holds the lock. */
  private final String holder;
  /** Since when. */
  private final Instant since;
  /** The whole record, null when only name and time are known. */
  private final transient Lockable.Holder details;

  /**
   * A refusal naming the holder by name and time only.
   *
   * @param target the target, as it describes itself
   * @param holder who holds the lock
   * @param since since when
   */
  public LockedException(String target, String holder, Instant since) {
    super(target + " is locked by " + holder + " since " + since);
    this.holder = holder;
    this.since = since;
    this.details = null;
  }

  /**
   * A refusal naming the holder with its process and machine.
   *
   * @param target the target, as it describes itself
   * @param holder who holds the lock: name, process, machine and time
   */
  public LockedException(String target, Lockable.Holder holder) {
    super(target + " is locked by " + holder);
    this.holder = holder.name();
    this.since = holder.since();
    this.details = holder;
  }

  /**
   * A refusal naming the holder with its process and machine, and what the caller can do:
   * {@code <target> is locked by <holder>; <detail>}.
   *
   * @param target the target, as it describes itself
   * @param holder who holds the lock: name, process, machine and time
   * @param detail when the lock can be taken over or how to release it; not blank
   */
  public LockedException(String target, Lockable.Holder holder, String detail) {
    super(target + " is locked by " + holder + "; " + dev.gitops.internal.Checks.notBlank(detail, "detail"));
    this.holder = holder.name();
    this.since = holder.since();
    this.details = holder;
  }

  /** {@return who holds the lock, by name} */
  public String holder() {
    return holder;
  }

  /** {@return when the holder took the lock} */
  public Instant since() {
    return since;
  }

  /**
   * {@return the holder's record (process id, machine) when the target keeps one; else one with
   * name and time only}
   */
  public Lockable.Holder details() {
    return details != null ? details : new Lockable.Holder(holder, "", -1, since, "");
  }
}
