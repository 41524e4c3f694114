package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.target.Lockable;
import dev.gitops.target.LockedException;
import dev.gitops.testing.k8s.MockKubernetes;
import dev.gitops.testing.time.MutableClock;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * A lock's Lease after its holder died (a killed CI job, an evicted agent's pod), under clock skew
 * between holders, and made or edited by hand, on the CRUD mock. Time is virtual: a taker's waits
 * move both clocks, and a live holder renews when the test says so.
 */
class LeaseRecoveryIT {
  private static final String LEASE = "gitops-lock-web";
  private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud();
  private final MutableClock holderClock = new MutableClock(T);
  private final MutableClock takerClock = new MutableClock(T);
  private final List<Duration> waits = new ArrayList<>();
  /** What a live holder does while a taker waits; nothing for a dead one. */
  private Runnable holderAlive = () -> { };
  private final ApplyOptions.Sleeper sleeper = d -> {
    waits.add(d);
    holderClock.advance(d);
    takerClock.advance(d);
    holderAlive.run();
  };

  private LeaseLock lock(MutableClock clock, LeaseLock.Sightings seen) {
    return new LeaseLock(cluster.client(), "default", LEASE, "kubernetes:mock (owner web)", clock, sleeper, seen,
        false);
  }

  private Lease lease() {
    return cluster.client().leases().inNamespace("default").withName(LEASE).get();
  }

  private void pass(Duration d) {
    holderClock.advance(d);
    takerClock.advance(d);
  }

  private Duration waited() {
    return waits.stream().reduce(Duration.ZERO, Duration::plus);
  }

  @Test
  void anAgentTakesOverAKilledHoldersLockOnceItRanOutNeverBefore() {
    lock(holderClock, new LeaseLock.Sightings()).lock("agent-old", null); // then killed: never renewed, never closed
    assertEquals(60, lease().getSpec().getLeaseDurationSeconds());
    LeaseLock.Sightings agent = new LeaseLock.Sightings(); // one process, trying again after each refusal

    pass(Duration.ofSeconds(10));
    LockedException early = assertThrows(LockedException.class, () -> lock(takerClock, agent).lock("agent-new", null));
    assertTrue(early.getMessage().contains("taken over once nobody has renewed it for 60 s"), early.getMessage());
    pass(Duration.ofSeconds(40)); // 50 s after the kill: the lease has not run out by any clock
    assertThrows(LockedException.class, () -> lock(takerClock, agent).lock("agent-new", null));
    pass(Duration.ofSeconds(30)); // 80 s after the kill, 70 s after the agent first saw it unchanged
    try (Lockable.Lock taken = lock(takerClock, agent).lock("agent-new", null)) {
      assertEquals("agent-new", taken.holder());
      assertEquals("agent-new", lease().getSpec().getHolderIdentity());
      assertEquals(1, lease().getSpec().getLeaseTransitions());
    }
    assertEquals(Duration.ZERO, waited(), "the agent's own sightings decided: no wait");
    assertNull(lease(), "released");
  }

  @Test
  void aFreshProcessWatchesALeaseThatRanOutForALeaseThenTakesIt() {
    lock(holderClock, new LeaseLock.Sightings()).lock("ci-41", Duration.ofHours(2)); // the CI job is killed
    pass(Duration.ofMinutes(10));

    try (Lockable.Lock taken = lock(takerClock, new LeaseLock.Sightings()).lock("ci-42", null)) {
      assertEquals("ci-42", lease().getSpec().getHolderIdentity());
      assertNotNull(taken);
    }
    assertEquals(Duration.ofSeconds(60), waited(), "watched unchanged for one lease: " + waits);
  }

  @Test
  void aLiveHolderWhoseClockIsBehindIsNeverTakenOver() {
    holderClock.set(T.minus(Duration.ofHours(1))); // its Lease looks an hour old to the taker
    LeaseHold held = (LeaseHold) lock(holderClock, new LeaseLock.Sightings()).lock("agent-a", null);
    holderAlive = held::renew;

    LockedException e = assertThrows(LockedException.class,
        () -> lock(takerClock, new LeaseLock.Sightings()).lock("ci-42", Duration.ofMinutes(30)));

    assertTrue(e.getMessage().contains("written meanwhile, so its holder is alive"), e.getMessage());
    assertEquals("agent-a", lease().getSpec().getHolderIdentity());
    assertTrue(waited().compareTo(Duration.ofSeconds(20)) <= 0, "refused at the first renewal: " + waits);
    held.close();
    assertNull(lease(), "the holder still releases its own lock");
  }

  @Test
  void aDeadHolderWhoseClockWasAheadIsTakenOverAfterALease() {
    holderClock.set(T.plus(Duration.ofDays(1))); // renewed "tomorrow", as the taker reads it
    lock(holderClock, new LeaseLock.Sightings()).lock("agent-a", null);

    Lockable.Lock taken = lock(takerClock, new LeaseLock.Sightings()).lock("agent-b", null);

    assertEquals("agent-b", lease().getSpec().getHolderIdentity());
    assertEquals(Duration.ofSeconds(60), waited());
    taken.close();
  }

  @Test
  void aHolderRenewsItsLeaseAndALiveOneIsNeverTakenOverByAnAgent() {
    LeaseHold held = (LeaseHold) lock(holderClock, new LeaseLock.Sightings()).lock("agent-a", null);
    LeaseLock.Sightings agent = new LeaseLock.Sightings();
    for (int i = 0; i < 12; i++) { // four minutes, renewed every 20 s, an agent trying every 20 s
      pass(Duration.ofSeconds(20));
      assertTrue(held.renew());
      assertThrows(LockedException.class, () -> lock(takerClock, agent).lock("agent-b", null));
    }
    assertEquals(T.plus(Duration.ofMinutes(4)), lease().getSpec().getRenewTime().toInstant());
    assertEquals(Duration.ZERO, waited());

    assertTrue(lock(takerClock, agent).forceUnlock().isPresent()); // an operator releases it
    Lockable.Lock next = lock(takerClock, agent).lock("agent-b", null);
    assertFalse(held.renew(), "the old holder's renewal meets the new Lease: lost, nothing written");
    held.close();
    assertEquals("agent-b", lease().getSpec().getHolderIdentity(), "the old holder released nothing");
    next.close();
  }

  @Test
  void aHolderRenewsOnItsOwnThreadUntilClosed() {
    LeaseHold held = (LeaseHold) new LeaseLock(cluster.client(), "default", LEASE, "t", holderClock,
        sleeper, new LeaseLock.Sightings(), false).lock("agent-a", null);
    String first = lease().getMetadata().getResourceVersion();
    holderClock.advance(Duration.ofSeconds(20));
    held.renewEvery(Duration.ofMillis(20));
    Fixtures.await(() -> !first.equals(lease().getMetadata().getResourceVersion()), "a renewal");
    held.close();
    assertNull(lease());
  }

  /**
   * Creates the Lease as a hand would: {@code spec} (JSON, ' for ") follows metadata, which has the
   * given annotation if any.
   */
  private void byHand(String spec, String... annotation) {
    String notes = annotation.length == 0 ? "" : ",'annotations':{'%s':'%s'}".formatted(annotation[0], annotation[1]);
    cluster.client().raw(cluster.client().getMasterUrl() + "apis/coordination.k8s.io/v1/namespaces/default/leases",
        "POST", ("{'apiVersion':'coordination.k8s.io/v1','kind':'Lease','metadata':{'name':'%s','namespace':'default'%s}"
            + "%s}").formatted(LEASE, notes, spec).replace('\'', '"'));
  }

  @Test
  void aLeaseWithoutSpecIsShownTakenOverAfterALeaseAndForceUnlocked() {
    byHand("");
    LeaseLock taker = lock(takerClock, new LeaseLock.Sightings());

    assertEquals("unknown", taker.holder().orElseThrow().name());
    try (Lockable.Lock taken = taker.lock("agent-b", null)) {
      assertEquals("agent-b", lease().getSpec().getHolderIdentity());
    }
    assertEquals(Duration.ofSeconds(60), waited());

    byHand("");
    assertEquals("unknown", taker.forceUnlock().orElseThrow().name());
    assertNull(lease());
  }

  @Test
  void aHolderEditedToGarbageIsNamedSafelyAndRecoverable() {
    byHand(",'spec':{'holderIdentity':'evil\\nline\\u001b[2J','acquireTime':'yesterday','renewTime':42,"
        + "'leaseDurationSeconds':'sixty'}");
    LeaseLock.Sightings agent = new LeaseLock.Sightings();

    Lockable.Holder shown = lock(takerClock, agent).holder().orElseThrow();
    assertEquals(Instant.EPOCH, shown.since());
    assertFalse(shown.toString().contains("\n"), shown.toString());
    assertFalse(shown.toString().contains("\u001b"), shown.toString());
    try (Lockable.Lock taken = lock(takerClock, agent).lock("agent-b", null)) {
      assertEquals(Duration.ofSeconds(60), waited(), "no renewal time to believe: watched for a lease");
    }
    byHand(",'spec':{'holderIdentity':'x','renewTime':'garbage'}");
    assertTrue(lock(takerClock, agent).forceUnlock().isPresent());
  }

  @Test
  void aLockOfAnOlderGitopsIsLeftToStaleAfterAndForceUnlock() {
    byHand(",'spec':{'holderIdentity':'ci-7','acquireTime':'%s','renewTime':'%s'}"
        .formatted(LeaseRecord.micro(T), LeaseRecord.micro(T)), "gitops.dev/lock-pid", "4242");
    pass(Duration.ofHours(2));
    LeaseLock taker = lock(takerClock, new LeaseLock.Sightings());

    LockedException e = assertThrows(LockedException.class, () -> taker.lock("agent-b", null));
    assertTrue(e.getMessage().contains("release it with forceUnlock"), e.getMessage());
    assertThrows(LockedException.class, () -> taker.lock("ci-8", Duration.ofHours(3)));
    taker.lock("ci-8", Duration.ofHours(1)).close();
    assertEquals(Duration.ZERO, waited());
  }
}
