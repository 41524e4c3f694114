package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gitops.target.Lockable;
import dev.gitops.target.LockedException;
import dev.gitops.testing.k8s.MockKubernetes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The target lock over a Lease (the cluster's, and one per owner), on the CRUD mock. */
class KubernetesTargetLockIT {
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud();

  @Test
  void secondHolderIsRefusedUntilTheFirstReleases() {
    KubernetesTarget target = KubernetesTarget.of(cluster.client());
    Lockable.Lock first = target.lock("ci-1", Duration.ofMinutes(30));
    LockedException e = assertThrows(LockedException.class, () -> target.lock("ci-2", Duration.ofMinutes(30)));
    assertEquals("ci-1", e.holder());
    first.close();
    first.close(); // harmless
    try (Lockable.Lock second = target.lock("ci-2", null)) {
      assertEquals("ci-2", second.holder());
    }
  }

  @Test
  void eachOwnerHasALockOfItsOwnSoOwnersNeverWaitForEachOther() {
    KubernetesTarget target = KubernetesTarget.of(cluster.client());
    try (Lockable.Lock web = target.lockable("web").orElseThrow().lock("ci-1", null)) {
      try (Lockable.Lock shop = target.lockable("shop").orElseThrow().lock("agent", null)) {
        assertEquals("agent", shop.holder(), "another owner's lock is free");
      }
      LockedException e = assertThrows(LockedException.class,
          () -> KubernetesTarget.of(cluster.client()).lockable("web").orElseThrow().lock("agent", null));
      assertEquals("ci-1", e.holder());
      assertEquals("ci-1", target.lockable("web").orElseThrow().lockedBy().orElseThrow().name());
      assertEquals(Optional.empty(), target.lockedBy(), "the whole cluster's lock is not taken");
      assertNotNull(cluster.client().leases().inNamespace("default").withName("gitops-lock-web").get());
    }
    assertEquals(Optional.empty(), target.lockable("web").orElseThrow().lockedBy(), "released");
  }

  @Test
  void aLockThatRanOutIsTakenOverAndItsOldHolderReleasesNothing() {
    Clock t0 = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    Clock t1 = Clock.fixed(Instant.parse("2026-01-01T01:00:00Z"), ZoneOffset.UTC);
    LeaseLock.Sightings seen = new LeaseLock.Sightings();
    Lockable.Lock old = new LeaseLock(cluster.client(), "default", "l", "t", t0, d -> { }, seen, false)
        .lock("ci-1", null); // never renewed since: its holder died
    Lockable.Lock taken = new LeaseLock(cluster.client(), "default", "l", "t", t1, d -> { }, seen, false)
        .lock("ci-2", null);
    old.close(); // its version is gone: the new holder's lease stays
    LockedException e = assertThrows(LockedException.class, () -> new LeaseLock(cluster.client(), "default", "l",
        "t", t1, d -> { }, new LeaseLock.Sightings(), false).lock("ci-3", Duration.ofMinutes(30)));
    assertEquals("ci-2", e.holder());
    taken.close();
  }
}
