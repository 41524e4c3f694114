package dev.gitops.k8s.lease;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Spreads many targets over the live replicas of an agent. Each replica holds a membership
 * {@code Lease} ({@code gitops-shard-<group>-<identity>}, labelled {@value #GROUP_LABEL}) and renews
 * it with {@link #heartbeat()}; the members are the holders whose lease has not expired. A target
 * belongs to the member that wins rendezvous (highest-random-weight) hashing of the target's name
 * over the members: a consistent hash, so when a replica dies (its lease expires) only its targets
 * move, each to one of the survivors, and the others stay where they are.
 *
 * <pre>{@code
 * Shard shard = Shard.of(client, "gitops", "agents", podName, Duration.ofSeconds(30), Clock.systemUTC());
 * shard.heartbeat();                               // every ~10 s
 * for (Reconciler r : all) if (shard.owns(r.name())) r.reconcile(null);
 * }</pre>
 *
 * <p>A {@code Fleet} runs the reconcilers of its shard: {@link #owned()} is the predicate its
 * builder takes, answered from the members the last heartbeat saw (no request per question):
 *
 * <pre>{@code
 * Fleet fleet = Fleet.builder().shard(shard.owned()).build().start();
 * scheduler.scheduleAtFixedRate(shard::heartbeat, 0, 10, TimeUnit.SECONDS);
 * }</pre>
 *
 * <p>Thread-safe; every call but {@link #owned()} asks the cluster (one LIST for
 * {@link #members()}, one GET, one write and one LIST for {@link #heartbeat()}).
 */
public final class Shard {
  /** Label that marks membership leases with their group. */
  public static final String GROUP_LABEL = "gitops.dev/shard-group";

  private final KubernetesClient client;
  private final String namespace;
  private final String group;
  private final String identity;
  private final Duration leaseDuration;
  private final Clock clock;
  /** The live members the last heartbeat saw; empty before the first. */
  private volatile List<String> seen = List.of();

  private Shard(KubernetesClient client, String namespace, String group, String identity,
                Duration leaseDuration, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.namespace = notBlank(namespace, "namespace");
    this.group = notBlank(group, "group");
    this.identity = notBlank(identity, "identity");
    this.leaseDuration = Objects.requireNonNull(leaseDuration, "leaseDuration");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * A shard membership for {@code identity} in {@code group}; call {@link #heartbeat()} to join.
   * Nothing is sent to the cluster yet.
   *
   * @param client the cluster holding the membership leases
   * @param namespace namespace of the leases; not blank
   * @param group the name shared by every replica of one agent; not blank
   * @param identity this replica's unique name, e.g. its pod name; not blank
   * @param leaseDuration how long a membership lasts without a heartbeat, rounded up to whole
   *     seconds; heartbeat at a fraction of it (a third is usual)
   * @param clock the clock that stamps renewals and judges expiry
   * @return the membership
   */
  public static Shard of(KubernetesClient client, String namespace, String group, String identity,
                         Duration leaseDuration, Clock clock) {
    return new Shard(client, namespace, group, identity, leaseDuration, clock);
  }

  /**
   * Creates or renews this replica's membership lease, then reads the live members for
   * {@link #owned()}.
   *
   * @throws dev.gitops.target.TargetException (retryable) when the lease cannot be written
   */
  public void heartbeat() {
    String name = "gitops-shard-" + group + "-" + identity;
    ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    var leases = client.leases().inNamespace(namespace);
    Lease existing = leases.withName(name).get();
    Lease lease = new LeaseBuilder(existing == null ? new Lease() : existing)
        .editOrNewMetadata().withName(name).withNamespace(namespace)
        .addToLabels(GROUP_LABEL, group).endMetadata()
        .editOrNewSpec().withHolderIdentity(identity)
        .withLeaseDurationSeconds(seconds(leaseDuration)).withRenewTime(now)
        .endSpec().build();
    try {
      if (existing == null) {
        leases.resource(lease).create();
      } else {
        leases.resource(lease).update();
      }
    } catch (KubernetesClientException e) {
      throw new dev.gitops.target.TargetException(null, "cannot renew shard lease " + name
          + ": HTTP " + e.getCode(), true, e);
    }
    seen = members();
  }

  /**
   * Which targets this replica owns, as a {@code Fleet}'s shard predicate wants it: true for a
   * target that {@link #ownerOf rendezvous hashing} gives this replica among the live members the
   * last {@link #heartbeat()} saw. No request per question; false for every target before the
   * first heartbeat. Between two heartbeats a member's death or arrival is not seen yet: two
   * replicas may both own a target for a moment (their runs take the owner's lock).
   *
   * @return the predicate, live: it follows every later heartbeat
   */
  public java.util.function.Predicate<String> owned() {
    return target -> identity.equals(ownerOf(target, seen));
  }

  /** {@return the live members of the group, sorted: holders of unexpired membership leases} */
  public List<String> members() {
    Instant now = clock.instant();
    return client.leases().inNamespace(namespace).withLabel(GROUP_LABEL, group).list().getItems()
        .stream().filter(l -> alive(l, now)).map(l -> l.getSpec().getHolderIdentity())
        .filter(Objects::nonNull).distinct().sorted().toList();
  }

  /**
   * Tells whether this replica should reconcile a target now. Two replicas that disagree on the
   * members (one saw a lease expire) may both answer true for a moment; targets should also be
   * locked.
   *
   * @param target the target's name, e.g. the reconciler's name
   * @return true when {@code target} belongs to this replica among the live members
   */
  public boolean owns(String target) {
    return identity.equals(ownerOf(target, members()));
  }

  /**
   * The member that owns {@code target}: rendezvous hashing, so removing a member moves only its
   * targets. Pure; {@code ""} when there are no members.
   *
   * @param target the target's name
   * @param members the live members, in any order
   * @return the winning member, the same for the same inputs on every replica; {@code ""} when
   *     {@code members} is empty
   */
  public static String ownerOf(String target, Collection<String> members) {
    String best = "";
    long bestWeight = Long.MIN_VALUE;
    for (String m : members) {
      long w = weight(m, target);
      if (w > bestWeight || w == bestWeight && m.compareTo(best) < 0) {
        best = m;
        bestWeight = w;
      }
    }
    return best;
  }

  private static String notBlank(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return value;
  }

  private static boolean alive(Lease l, Instant now) {
    if (l.getSpec() == null || l.getSpec().getRenewTime() == null) {
      return false;
    }
    int seconds = l.getSpec().getLeaseDurationSeconds() == null ? 0 : l.getSpec().getLeaseDurationSeconds();
    return l.getSpec().getRenewTime().toInstant().plusSeconds(seconds).isAfter(now);
  }

  /** {@code d} in whole seconds, rounded up: a lease never shrinks to 0 (expired at once). */
  private static int seconds(Duration d) {
    long seconds = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, seconds));
  }

  private static long weight(String member, String target) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256")
          .digest((member + "\u0000" + target).getBytes(StandardCharsets.UTF_8));
      long w = 0;
      for (int i = 0; i < 8; i++) {
        w = (w << 8) | (d[i] & 0xff);
      }
      return w;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  @Override
  public String toString() {
    return "Shard[" + identity + " in " + namespace + "/" + group + "]";
  }
}
