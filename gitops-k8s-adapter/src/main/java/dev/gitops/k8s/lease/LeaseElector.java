package dev.gitops.k8s.lease;

import dev.gitops.plan.Action;
import dev.gitops.target.ForwardingTarget;
import dev.gitops.target.Target;
import dev.gitops.target.TargetException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election over a {@code coordination.k8s.io/v1} {@code Lease}, on fabric8's
 * {@link LeaderElector}: of several agent replicas that run the same reconciler, exactly one — the
 * lease holder — writes the target. {@link #guard(Target)} wraps a target so that it reads always
 * but applies only while this replica leads; a follower's apply fails at once, before any request,
 * with a {@link TargetException} naming the leader. When the leader stops (or dies and its lease
 * expires), another replica takes over.
 *
 * <pre>{@code
 * try (LeaseElector elector = LeaseElector.start(client, "gitops", "web", podName)) {
 *   Reconciler web = Reconciler.builder().name("web").target(elector.guard(KubernetesTarget.of(client)))...build();
 *   PullAgent.every(Duration.ofMinutes(1), web).start();
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops campaigning and releases the lease if held.
 */
public final class LeaseElector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseElector.class);

  private final String identity;
  private final String lease;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicReference<String> leader = new AtomicReference<>("");
  private final CompletableFuture<?> running;
  private final CountDownLatch elected = new CountDownLatch(1);

  private LeaseElector(KubernetesClient client, String namespace, String lease, String identity,
                       Duration leaseDuration, Consumer<String> onNewLeader) {
    this.identity = identity;
    this.lease = namespace + "/" + lease;
    LeaderElector elector = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
        .withName(lease)
        .withLock(new LeaseLock(namespace, lease, identity))
        .withLeaseDuration(leaseDuration)
        .withRenewDeadline(leaseDuration.multipliedBy(2).dividedBy(3))
        .withRetryPeriod(leaseDuration.dividedBy(5))
        .withReleaseOnCancel(true)
        .withLeaderCallbacks(new LeaderCallbacks(
            () -> {
              leading.set(true);
              LOG.info("{} leads {}", identity, this.lease);
            },
            () -> {
              leading.set(false);
              LOG.info("{} stopped leading {}", identity, this.lease);
            },
            newLeader -> {
              leader.set(newLeader);
              leading.set(identity.equals(newLeader));
              elected.countDown();
              onNewLeader.accept(newLeader);
            }))
        .build()).build();
    this.running = elector.start();
  }

  /**
   * Starts campaigning for {@code namespace/lease} as {@code identity} (a pod name), with a 15 s
   * lease.
   *
   * @param client the cluster holding the {@code Lease}
   * @param namespace namespace of the {@code Lease}
   * @param lease name of the {@code Lease} every replica campaigns for; created when missing
   * @param identity this replica's unique name, written as the lease's holder
   * @return the running elector; it campaigns in the background until {@link #close()}
   */
  public static LeaseElector start(KubernetesClient client, String namespace, String lease,
                                   String identity) {
    return start(client, namespace, lease, identity, Duration.ofSeconds(15), l -> { });
  }

  /**
   * Starts campaigning with a given lease duration, telling {@code onNewLeader} the identity of
   * every new leader as this replica observes it.
   *
   * @param client the cluster holding the {@code Lease}
   * @param namespace namespace of the {@code Lease}
   * @param lease name of the {@code Lease} every replica campaigns for; created when missing
   * @param identity this replica's unique name, written as the lease's holder
   * @param leaseDuration how long a leader keeps the lease without renewing it; at least 1 s, else
   *     {@link IllegalArgumentException}. A dead leader is replaced after about this long.
   * @param onNewLeader called with each new leader's identity as this replica observes it; should
   *     return quickly
   * @return the running elector; it campaigns in the background until {@link #close()}
   */
  public static LeaseElector start(KubernetesClient client, String namespace, String lease,
                                   String identity, Duration leaseDuration,
                                   Consumer<String> onNewLeader) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(onNewLeader, "onNewLeader");
    if (leaseDuration.toMillis() < 1000) {
      throw new IllegalArgumentException("leaseDuration must be at least 1 s: " + leaseDuration);
    }
    return new LeaseElector(client, namespace, lease, identity, leaseDuration, onNewLeader);
  }

  /** {@return true while this replica holds the lease, as last observed (it may just have lost it)} */
  public boolean isLeader() {
    return leading.get();
  }

  /** {@return the identity of the last leader this replica observed, {@code ""} before any} */
  public String leader() {
    return leader.get();
  }

  /**
   * Waits until this replica has observed a leader (itself or another), at most {@code timeout}.
   *
   * @param timeout the longest wait
   * @return the leader's identity, {@code ""} when none was observed in time
   * @throws InterruptedException when interrupted while waiting
   */
  public String awaitLeader(Duration timeout) throws InterruptedException {
    elected.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    return leader();
  }

  /** {@return this replica's identity, as given to {@code start}} */
  public String identity() {
    return identity;
  }

  /**
   * {@code target}, applying only while this replica leads; everything else — reads, health, and
   * the target's capabilities (its lock, its deploy history) — passes through.
   *
   * @param target the target to guard
   * @return a target whose writes fail with a {@link dev.gitops.target.TargetException} while
   *     another replica leads
   */
  public Target guard(Target target) {
    return new ForwardingTarget(target) {
      @Override
      public String applyWithDetail(Action action, String owner) {
        requireLeader(action);
        return super.applyWithDetail(action, owner);
      }

      @Override
      public String describe() {
        return super.describe() + " (leader only, lease " + lease + ")";
      }
    };
  }

  private void requireLeader(Action action) {
    if (!isLeader()) {
      throw new TargetException(action.id(), identity + " does not lead " + lease
          + " (leader: " + (leader().isEmpty() ? "none yet" : leader()) + "); not writing");
    }
  }

  /** Stops campaigning; releases the lease if held. */
  @Override
  public void close() {
    running.cancel(true);
    leading.set(false);
  }

  @Override
  public String toString() {
    return "LeaseElector[" + identity + " on " + lease + (isLeader() ? ", leading" : "") + "]";
  }
}
