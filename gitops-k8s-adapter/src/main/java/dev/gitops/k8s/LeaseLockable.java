package dev.gitops.k8s;

import dev.gitops.target.Lockable;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A {@link KubernetesTarget}'s lock over one Lease: the whole cluster's ({@value
 * KubernetesTarget#LOCK_LEASE}) or one owner's ({@code gitops-lock-<owner>}, see
 * {@link KubernetesTarget#lockable(String)}). Each call asks the cluster. While a lock is held its
 * hold is registered with the target's {@link LeaseHolds}: once lost, the target writes nothing
 * more for its owner. Thread-safe.
 */
final class LeaseLockable implements Lockable {
  /** The Lease of an owner's lock is this prefix and the owner's name, lower case. */
  static final String OWNER_PREFIX = "gitops-lock-";

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String target;
  private final LeaseLock.Sightings sightings;
  private final LeaseHolds holds;
  private final Clock clock;
  private final LongSupplier ticks;
  private final boolean renewing;

  private LeaseLockable(KubernetesClient client, String namespace, String name, String target,
                        LeaseLock.Sightings sightings, LeaseHolds holds, Clock clock, LongSupplier ticks,
                        boolean renewing) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.target = target;
    this.sightings = sightings;
    this.holds = holds;
    this.clock = clock;
    this.ticks = ticks;
    this.renewing = renewing;
  }

  /**
   * The lock of the whole cluster; it and its {@linkplain #owner owners' locks} remember the Leases
   * they found held (a taker that tries again takes over a Lease once it ran out unrenewed), and
   * register what they hold with {@code holds}, which the target's writer asks before every step.
   */
  static LeaseLockable cluster(KubernetesClient client, String namespace, String target, LeaseHolds holds) {
    return new LeaseLockable(client, namespace, KubernetesTarget.LOCK_LEASE, target, new LeaseLock.Sightings(), holds,
        Clock.systemUTC(), System::nanoTime, true);
  }

  /** The lock of what {@code owner} writes, on the cluster of this lock. */
  LeaseLockable owner(String owner) {
    return new LeaseLockable(client, namespace, leaseName(owner), target + " (owner " + owner + ")", sightings,
        holds, clock, ticks, renewing);
  }

  /**
   * This lock on {@code clock}, which also measures how long ago a hold renewed, and renewed only
   * when {@link LeaseHold#renew()} is called: time and renewals in a test's hands.
   */
  LeaseLockable manual(Clock byHand) {
    return new LeaseLockable(client, namespace, name, target, sightings, holds, byHand, LeaseLock.ticks(byHand), false);
  }

  /** {@code gitops-lock-<owner>}, lower case, characters a Lease's name cannot hold as {@code -}. */
  static String leaseName(String owner) {
    return OWNER_PREFIX + owner.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
  }

  private LeaseLock lease() {
    return new LeaseLock(client, namespace, name, target, clock, ticks, dev.gitops.apply.ApplyOptions.Sleeper.REAL,
        sightings, renewing, holds);
  }

  @Override
  public Lock lock(String holder, Duration staleAfter) {
    return lease().lock(holder, staleAfter);
  }

  @Override
  public Optional<Holder> lockedBy() {
    return lease().holder();
  }

  @Override
  public Optional<Holder> forceUnlock() {
    return lease().forceUnlock();
  }

  @Override
  public String toString() {
    return "Lease " + namespace + "/" + name + " of " + target;
  }
}
