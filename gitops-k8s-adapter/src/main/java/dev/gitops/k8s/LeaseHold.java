package dev.gitops.k8s;

import dev.gitops.target.Lockable;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A held {@link LeaseLock}: renews the Lease (one JSON Patch carrying its {@code resourceVersion},
 * so a Lease someone else took over or deleted is never written) on a daemon thread of its own
 * until closed, and deletes it on close if it is still the version this holder wrote last. A renewal
 * the server refuses as stale (409) or finds gone (404) ends the renewals: the lock is someone
 * else's now, which is logged; a failure to reach the server is tried again at the next renewal.
 * Thread-safe.
 */
final class LeaseHold implements Lockable.Lock {
  private final LeaseLock lock;
  private final String holder;
  private final Instant since;
  private String version;
  private boolean open = true;
  private boolean lost;
  private ScheduledExecutorService renewals;

  LeaseHold(LeaseLock lock, String holder, Instant since, String version) {
    this.lock = lock;
    this.holder = holder;
    this.since = since;
    this.version = version;
  }

  /** Renews the Lease every {@code period} on a daemon thread, until closed. */
  synchronized void renewEvery(Duration period) {
    renewals = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gitops " + lock.describe() + " renewal");
      t.setDaemon(true);
      return t;
    });
    renewals.scheduleAtFixedRate(this::renewQuietly, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Renews the Lease now; false when the lock is closed or lost.
   *
   * @throws KubernetesClientException when the server cannot be reached or refuses otherwise
   */
  synchronized boolean renew() {
    if (!open || lost) {
      return false;
    }
    try {
      version = lock.renew(version, lock.clock().instant());
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409 && e.getCode() != 404) {
        throw e;
      }
      lost = true;
      LeaseLock.log().warn("{} held by {}: taken over or deleted by someone else (HTTP {}); no longer renewed",
          lock.describe(), holder, e.getCode());
      return false;
    }
  }

  private void renewQuietly() {
    try {
      renew();
    } catch (RuntimeException e) { // tried again at the next renewal, before the lease runs out
      LeaseLock.log().warn("{} held by {}: renewal failed, tried again in a while: {}", lock.describe(), holder,
          Errors.cause(e));
    }
  }

  @Override
  public String holder() {
    return holder;
  }

  @Override
  public Instant since() {
    return since;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (!open) {
        return;
      }
      open = false;
      if (renewals != null) {
        renewals.shutdownNow();
      }
      if (lost) {
        return;
      }
      try {
        lock.release(version);
      } catch (RuntimeException e) {
        // taken over between the GET and the DELETE (409), or the server is out of reach: the Lease
        // runs out unrenewed, and the next taker takes it over then
        LeaseLock.log().debug("{} held by {}: not released: {}", lock.describe(), holder, Errors.cause(e));
      }
    }
  }

  @Override
  public String toString() {
    return lock.describe() + " held by " + holder;
  }
}
