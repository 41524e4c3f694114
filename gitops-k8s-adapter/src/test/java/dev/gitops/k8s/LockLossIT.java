package dev.gitops.k8s;

import static dev.gitops.k8s.Fixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.Applier;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.apply.ApplyReport;
import dev.gitops.apply.Outcome;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.target.Lockable;
import dev.gitops.target.TargetException;
import dev.gitops.testing.k8s.MockKubernetes;
import dev.gitops.testing.time.MutableClock;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A holder that loses its lock in the middle of an apply — its Lease taken over by another holder,
 * deleted, or not renewed in time by its own clock — writes nothing more: the steps after the loss
 * fail naming the lock, the target and who holds it now, as a leader stops at OnStoppedLeading.
 * Before, a lost renewal was only logged and the apply wrote on. A real apply of three waves on the
 * CRUD mock; time is virtual and the holder renews when the test says so.
 */
class LockLossIT {
  private static final String LEASE = LeaseLockable.leaseName("web");
  private final ApiFaultsIT.Faults faults = new ApiFaultsIT.Faults();
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud(faults);
  @AutoClose private final KubernetesClient client = ApiFaultsIT.strictClient(cluster); // no retries of its own
  private final KubernetesTarget target = KubernetesTarget.of(client, KubernetesTarget.Options.defaults()
      .withStrategy(ApplyStrategy.JSON_PATCH));
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  @TempDir Path repo;

  /** The lock of owner web, held by ci-42 on {@link #clock}; renewed only by the test. */
  private LeaseHold hold() {
    return (LeaseHold) ((LeaseLockable) target.lockable("web").orElseThrow()).manual(clock).lock("ci-42", null);
  }

  /** Applies the shop (ConfigMap, Service, Deployment: three waves), {@code between} run once the ConfigMap is applied. */
  private ApplyReport apply(Runnable between) throws Exception {
    Files.writeString(repo.resolve("app.yaml"), Fixtures.SHOP);
    Reconciler web = Fixtures.reconciler(repo, Fixtures.withControllers(target, client));
    Plan plan = web.plan(null);
    Consumer<Outcome> progress = o -> {
      if (o.action().id().kind().equals("ConfigMap") && o instanceof Outcome.Applied) {
        between.run();
      }
    };
    return new Applier().apply(plan, web.target(), ApplyOptions.defaults().withSleeper(d -> { })
        .withProgress(progress));
  }

  @Test
  void aHolderWhoseLeaseIsTakenOverBetweenWavesWritesNothingMore() throws Exception {
    LeaseHold held = hold();
    MutableClock other = new MutableClock(clock.instant().plus(Duration.ofMinutes(10))); // its renewals stalled
    List<String> afterLoss = new ArrayList<>();
    ApplyReport report = apply(() -> {
      new LeaseLock(cluster.client(), "default", LEASE, "t", other, other::advance, new LeaseLock.Sightings(), false)
          .lock("agent-b", null); // watched it unrenewed for a lease, then took it over
      assertFalse(held.renew(), "the renewal meets the new holder's Lease");
      cluster.requests();
    });
    afterLoss.addAll(cluster.requests());
    held.close();
    afterLoss.addAll(cluster.requests());

    String text = report.toString();
    assertTrue(text.startsWith("Applied: 1 applied, 0 unchanged, 1 failed, 1 skipped"), text);
    assertTrue(text.contains("failed create Service/shop/web: Service/shop/web: not written: lock lost to agent-b (pid "),
        text);
    assertTrue(text.contains(": Lease default/" + LEASE + " of kubernetes:" + cluster.client().getMasterUrl()
        + " (owner web) was taken over while ci-42 held it"), text);
    assertTrue(text.contains("skipped create apps/Deployment/shop/web: an earlier wave failed"), text);
    assertEquals(List.of(), MockKubernetes.writes(afterLoss), "nothing written after the loss, the Lease neither");
    assertNull(cluster.client().services().inNamespace("shop").withName("web").get());
    assertEquals("agent-b", cluster.client().leases().inNamespace("default").withName(LEASE).get().getSpec()
        .getHolderIdentity());
  }

  @Test
  void aHolderThatCannotRenewWithinTwoThirdsOfItsLeaseByItsOwnClockStopsWriting() throws Exception {
    LeaseHold held = hold();
    faults.on("PATCH", "/apis/coordination.k8s.io/v1/namespaces/default/leases/" + LEASE, Integer.MAX_VALUE,
        () -> ApiFaultsIT.status(503, "ServiceUnavailable", "etcd is unavailable"));
    List<String> afterLoss = new ArrayList<>();
    ApplyReport report = apply(() -> {
      clock.advance(Duration.ofSeconds(20));
      assertThrows(KubernetesClientException.class, held::renew);
      clock.advance(Duration.ofSeconds(19));
      assertNull(held.lost(), "39 s after the last renewal that got through: still held");
      clock.advance(Duration.ofSeconds(2));
      cluster.requests();
    });
    afterLoss.addAll(cluster.requests());

    String text = report.toString();
    assertTrue(text.contains("failed create Service/shop/web: Service/shop/web: not written: lock lost: Lease default/"
        + LEASE + " of kubernetes:" + cluster.client().getMasterUrl() + " (owner web) held by ci-42 was not renewed for"
        + " 41 s (its renewals failed: HTTP 503: etcd is unavailable); another holder may take it over once 60 s pass"),
        text);
    assertEquals(List.of(), MockKubernetes.writes(afterLoss));
    assertFalse(held.renew(), "lost for good: no renewal now");
    held.close(); // the Lease is still its last version: released, so a taker need not wait
    assertNull(cluster.client().leases().inNamespace("default").withName(LEASE).get());
  }

  @Test
  void aLeaseDeletedUnderItsHolderStopsItsOwnersWritesOnlyAndATakerWritesAgain() throws Exception {
    LeaseHold held = hold();
    assertTrue(target.forceUnlock().isEmpty(), "the cluster's lock is another Lease");
    assertTrue(((LeaseLockable) target.lockable("web").orElseThrow()).forceUnlock().isPresent()); // an operator

    assertFalse(held.renew());

    assertEquals("lock lost to nobody: it was deleted (forceUnlock?): Lease default/" + LEASE + " of kubernetes:"
        + cluster.client().getMasterUrl() + " (owner web) was deleted while ci-42 held it", held.lost());
    var settings = new Action.Create(Fixtures.configMap("settings"));
    TargetException refused = assertThrows(TargetException.class, () -> target.apply(settings, "web"));
    assertTrue(refused.getMessage().startsWith("ConfigMap/shop/settings: not written: lock lost to nobody"),
        refused.getMessage());
    assertFalse(refused.retryable());
    target.apply(new Action.Create(Fixtures.configMap("api-settings")), "api"); // another owner's lock
    held.close();
    try (Lockable.Lock again = target.lockable("web").orElseThrow().lock("ci-43", null)) {
      ok(Fixtures.reconciler(repo, target).reconcile(null)); // nothing in Git yet: plans nothing, writes nothing
      target.apply(settings, "web");
      assertNotNull(again);
    }
    assertNotNull(cluster.client().configMaps().inNamespace("shop").withName("settings").get());
  }
}
