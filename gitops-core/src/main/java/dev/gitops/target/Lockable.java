package dev.gitops.target;

import java.time.Duration;
import java.time.Instant;

/**
 * An optional capability of a {@link Target}: an exclusive lock over the whole target, so that two
 * deploys never write it at once. {@code PushDeployer} holds it for a whole deploy.
 *
 * <p>Implementations are thread-safe, like a {@link Target}; adapters keep the lock on the target
 * itself, so that deployers in other processes see it too.
 */
public interface Lockable {

  /**
   * Takes the lock for {@code holder}, or fails at once.
   *
   * @param holder who takes it (host name, CI job), recorded with the time
   * @param staleAfter a lock older than this is taken over; {@code null} never takes over
   * @return the held lock; close it to release
   * @throws LockedException naming the current holder and since when
   */
  Lock lock(String holder, Duration staleAfter);

  /** A held lock. Closing releases it; closing twice is harmless. */
  interface Lock extends AutoCloseable {
    /** Who holds it. */
    String holder();

    /** Since when. */
    Instant since();

    @Override
    void close();
  }
}
