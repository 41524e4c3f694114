package dev.gitops.k8s;

import dev.gitops.target.Lockable;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A held {@link LeaseLock}: renews the Lease (one JSON Patch carrying its {@code resourceVersion},
 * so a Lease someone else took over or deleted is never written) on a daemon thread of its own
 * until closed, and deletes it on close if it is still the version this holder wrote last.
 *
 * <p>The lock is <b>lost</b> — for good, the writes of its target stop before their next step
 * ({@link LeaseHolds}) — when a renewal finds the Lease taken over (409) or deleted (404), or when
 * no renewal got through for {@link #RENEW_DEADLINE} since the last one that did was sent, by this
 * holder's own monotonic clock: two thirds of the lease, as client-go's leader election stops
 * leading at its renew deadline, so that a write already on its way lands before a taker, who
 * waits a whole lease from when it first saw the last renewal, may take the Lease over. A renewal
 * that fails otherwise (the server out of reach) is tried again every quarter of the renewal period
 * until then. Thread-safe.
 */
final class LeaseHold implements Lockable.Lock {
  /** How long after the last renewal that got through the lock counts as lost: 40 s of a 60 s lease. */
  static final Duration RENEW_DEADLINE = LeaseRecord.DURATION.multipliedBy(2).dividedBy(3);
  private final LeaseLock lock;
  private final String holder;
  private final Instant since;
  private final AtomicReference<String> lost = new AtomicReference<>();
  private String version; // guarded by this
  private boolean open = true; // guarded by this
  private volatile long renewed; // ticks when the last renewal that got through was sent
  private volatile String failing; // why the last renewal failed, null when it got through
  private volatile boolean theirs; // lost to a taker, or deleted: not this holder's to release
  private ScheduledExecutorService renewals;

  LeaseHold(LeaseLock lock, String holder, Instant since, String version, long sent) {
    this.lock = lock;
    this.holder = holder;
    this.since = since;
    this.version = version;
    this.renewed = sent;
  }

  /** Renews the Lease every {@code period} on a daemon thread, until closed; sooner again after a failure. */
  synchronized void renewEvery(Duration period) {
    renewals = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gitops " + lock.describe() + " renewal");
      t.setDaemon(true);
      return t;
    });
    long tick = Math.max(1, period.toMillis() / 4);
    renewals.scheduleWithFixedDelay(() -> renewIfDue(period), tick, tick, TimeUnit.MILLISECONDS);
  }

  /**
   * Renews the Lease now; false when the lock is closed or lost.
   *
   * @throws KubernetesClientException when the server cannot be reached or refuses otherwise
   */
  synchronized boolean renew() {
    if (!open || lost() != null) {
      return false;
    }
    long sent = lock.ticks();
    try {
      version = lock.renew(version, lock.clock().instant());
      renewed = sent;
      failing = null;
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409 && e.getCode() != 404) {
        failing = Errors.answer(e);
        throw e;
      }
      theirs = true;
      lose("lock lost to " + lock.holderNow(e.getCode()) + ": " + lock.describe() + " was "
          + (e.getCode() == 409 ? "taken over" : "deleted") + " while " + holder + " held it");
      return false;
    }
  }

  /**
   * Why this lock is lost, null while it is held (or closed): taken over, deleted, or not renewed
   * in time by this holder's clock, which this call checks too.
   */
  String lost() {
    String why = lost.get();
    if (why != null) {
      return why;
    }
    long since = lock.ticks() - renewed;
    if (since > RENEW_DEADLINE.toNanos()) {
      String failed = failing;
      lose("lock lost: " + lock.describe() + " held by " + holder + " was not renewed for "
          + TimeUnit.NANOSECONDS.toSeconds(since) + " s (" + (failed == null ? "no renewal got through"
          : "its renewals failed: " + failed) + "); another holder may take it over once "
          + LeaseRecord.DURATION.toSeconds() + " s pass");
    }
    return lost.get();
  }

  private void lose(String why) {
    if (lost.compareAndSet(null, why)) {
      LeaseLock.log().warn("{}; its target writes nothing more", why);
    }
  }

  private void renewIfDue(Duration period) {
    if (lost() != null || failing == null && lock.ticks() - renewed < period.toNanos()) {
      return;
    }
    try {
      renew();
    } catch (RuntimeException e) { // tried again at the next tick, until the renew deadline
      LeaseLock.log().warn("{} held by {}: renewal failed, tried again in a while: {}", lock.describe(), holder,
          e instanceof KubernetesClientException k ? Errors.answer(k) : Errors.cause(e));
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
      lock.released(this);
      if (theirs) {
        return; // taken over or deleted: not this holder's to release
      }
      try {
        lock.release(version); // only while it is still the version this holder wrote last
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
