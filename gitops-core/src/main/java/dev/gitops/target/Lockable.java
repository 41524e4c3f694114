package dev.gitops.target;

import dev.gitops.internal.Checks;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An optional capability of a {@link Target}: an exclusive lock over the whole target, so that two
 * deploys never write it at once. {@code PushDeployer} holds it for a whole deploy; a pull agent
 * for each reconcile.
 *
 * <p>The protocol every implementation follows: the lock records its {@link Holder} (name, the
 * machine and process id that took it, since when), is created atomically (no reader ever sees an
 * empty or partial lock, also when the disk is full), and is taken over only when the holder is
 * {@linkplain Holder#isProvablyGone() provably gone} (same machine, process no longer running) or
 * older than the caller's lease ({@code staleAfter}); where the holder renews its lock while it
 * holds it (a Kubernetes Lease), a holder that stopped renewing it for a whole lease, as the taker
 * watched it, is gone too, whatever {@code staleAfter} says. An operator who knows better can
 * {@linkplain #forceUnlock() force it open}.
 *
 * <p>Implementations are thread-safe, like a {@link Target}; adapters keep the lock on the target
 * itself, so that deployers in other processes see it too.
 */
public interface Lockable {

  /**
   * Takes the lock for {@code holder} (this process on this machine), or fails at once. A lock
   * whose holder is provably gone is taken over whatever {@code staleAfter} says.
   *
   * @param holder who takes it (host name, CI job), recorded with machine, process id and time
   * @param staleAfter the lease: a lock older than this is taken over; {@code null} for no lease
   * @return the held lock; close it to release
   * @throws LockedException naming the current holder, its process and machine, and since when
   */
  Lock lock(String holder, Duration staleAfter);

  /**
   * Who holds the lock now, without taking it; empty when it is free.
   *
   * @return the holder, or empty when the lock is free
   * @throws TargetException when the target cannot be asked
   */
  Optional<Holder> lockedBy();

  /**
   * Releases the lock whoever holds it — for an operator who knows that the holder is gone (a
   * killed CI job on another machine) before its lease runs out. The holder, if still running, is
   * not told.
   *
   * @return who held it; empty when it was free
   * @throws TargetException when the target cannot be asked or written
   */
  Optional<Holder> forceUnlock();

  /** A held lock. Closing releases it; closing twice is harmless. */
  interface Lock extends AutoCloseable {
    /** {@return who holds it, as passed to {@link Lockable#lock}} */
    String holder();

    /** {@return when it was taken} */
    Instant since();

    @Override
    void close();
  }

  /**
   * Who holds a lock. Prints as {@code ci-42 (pid 4242 on build-7) since 2026-01-01T00:00:00Z}.
   *
   * @param name the holder's name, as passed to {@link #lock}
   * @param host the name of the machine the holder ran on, {@code ""} when unknown
   * @param pid the holder's process id, {@code -1} when unknown
   * @param since when it took the lock
   * @param machine an opaque identity of the holder's machine and process namespace (host name,
   *     boot and process namespace), {@code ""} when unknown: only a holder whose machine is this
   *     one can be proved gone
   */
  record Holder(String name, String host, long pid, Instant since, String machine) {
    /**
     * Validates; null host or machine become {@code ""}.
     *
     * @param name the holder's name; not blank
     * @param host the holder's machine name; null when unknown
     * @param pid the holder's process id, {@code -1} when unknown
     * @param since when it took the lock; not null
     * @param machine opaque machine identity; null when unknown
     */
    public Holder {
      Checks.notBlank(name, "name");
      Objects.requireNonNull(since, "since");
      host = Objects.requireNonNullElse(host, "");
      machine = Objects.requireNonNullElse(machine, "");
    }

    /**
     * A holder record for this process.
     *
     * @param name the holder's name; not blank
     * @param since when it takes the lock
     * @return {@code name}, held by this process on this machine since {@code since}
     */
    public static Holder self(String name, Instant since) {
      return new Holder(name, ThisProcess.hostName(), ThisProcess.pid(), since, ThisProcess.machine());
    }

    /**
     * True when the holder is certainly not running: it ran on this machine (same boot, same
     * process namespace) and its process is gone. False whenever that cannot be proved (another
     * machine, an unknown process id).
     *
     * @return true only when the holder is proved gone
     */
    public boolean isProvablyGone() {
      return pid > 0 && !machine.isEmpty() && machine.equals(ThisProcess.machine())
          && !ThisProcess.isRunning(pid);
    }

    /**
     * Tells whether the lock's lease has run out.
     *
     * @param lease how long a lock lasts, null for ever
     * @param now the current time
     * @return true when older than {@code lease} at {@code now}; never for a null lease
     */
    public boolean isOlderThan(Duration lease, Instant now) {
      return lease != null && since.plus(lease).isBefore(now);
    }

    /** {@code name (pid N on host) since T}, name and host escaped; what is unknown is left out. */
    @Override
    public String toString() {
      String on = dev.gitops.model.ResourceId.escape(host);
      String where = pid > 0 && !host.isEmpty() ? " (pid " + pid + " on " + on + ")"
          : pid > 0 ? " (pid " + pid + ")" : !host.isEmpty() ? " (on " + on + ")" : "";
      return dev.gitops.model.ResourceId.escape(name) + where + " since " + since;
    }
  }
}
