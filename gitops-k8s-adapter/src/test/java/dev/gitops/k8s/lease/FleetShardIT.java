package dev.gitops.k8s.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.k8s.ApplyStrategy;
import dev.gitops.k8s.KubernetesTarget;
import dev.gitops.k8s.ManifestLoader;
import dev.gitops.reconcile.AgentStatus.Condition;
import dev.gitops.reconcile.Fleet;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.testing.k8s.MockKubernetes;
import dev.gitops.testing.time.MutableClock;
import dev.gitops.testing.time.VirtualScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas of one agent, each a {@link Fleet} of the same reconcilers sharded by
 * {@link Shard#owned()}, on the CRUD mock in virtual time: each reconciler runs on exactly one
 * replica, the one rendezvous hashing names; when a replica dies its reconcilers move to the other.
 */
class FleetShardIT {
  private static final Duration INTERVAL = Duration.ofMinutes(1);
  private static final Duration LEASE = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final MockKubernetes mock = MockKubernetes.crud();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final VirtualScheduler timer = new VirtualScheduler(clock);
  private final List<Fleet> fleets = new ArrayList<>();

  @AfterEach
  void close() {
    fleets.forEach(Fleet::stop);
    mock.close();
  }

  private Fleet replica(Shard shard, List<String> apps) throws Exception {
    Fleet fleet = Fleet.builder().workers(1).executor(Runnable::run).scheduler(timer).clock(clock)
        .interval(INTERVAL).jitter(0).driftInterval(Duration.ofMinutes(10)).random(new Random(1))
        .shard(shard.owned()).build();
    for (String app : apps) {
      fleet.add(Reconciler.builder().name(app).source(DirectorySource.of(folder(app)))
          .loader(new ManifestLoader()).target(KubernetesTarget.of(mock.client(),
              KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH)))
          .applyOptions(ApplyOptions.defaults().withParallelism(1).withSleeper(d -> { })
              .withHealthWait(Duration.ZERO, Duration.ZERO).withClock(clock))
          .clock(clock).prune(true).build());
    }
    fleets.add(fleet);
    return fleet;
  }

  private Path folder(String app) throws Exception {
    Path folder = Files.createDirectories(dir.resolve(app));
    Files.writeString(folder.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + app
        + ", namespace: default}\ndata: {app: " + app + "}\n");
    return folder;
  }

  private static boolean ready(Fleet fleet, String app) {
    return fleet.status(app).orElseThrow().is(Condition.Type.READY);
  }

  @Test
  void eachReconcilerRunsOnTheReplicaItsShardNamesAndMovesWhenThatReplicaDies() throws Exception {
    Shard r1 = Shard.of(mock.client(), "default", "agents", "r1", LEASE, clock);
    Shard r2 = Shard.of(mock.client(), "default", "agents", "r2", LEASE, clock);
    r1.heartbeat();
    r2.heartbeat();
    r1.heartbeat(); // both see both
    List<String> apps = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      apps.add("app-" + i);
    }
    Fleet one = replica(r1, apps);
    Fleet two = replica(r2, apps);
    one.start();
    two.start();
    timer.advance(Duration.ZERO);

    for (String app : apps) {
      String owner = Shard.ownerOf(app, List.of("r1", "r2"));
      assertEquals(owner.equals("r1"), ready(one, app), app + " on r1");
      assertEquals(owner.equals("r2"), ready(two, app), app + " on r2");
      Fleet idle = owner.equals("r1") ? two : one;
      assertEquals("NotOwned", idle.status(app).orElseThrow().condition(Condition.Type.READY).reason());
      assertNotNull(mock.client().configMaps().inNamespace("default").withName(app).get(), app);
    }
    assertEquals(2, apps.stream().map(a -> Shard.ownerOf(a, List.of("r1", "r2"))).distinct().count(),
        "each replica has a share");

    two.stop(); // r2 dies: it renews its membership no more
    clock.advance(LEASE.plusSeconds(1));
    r1.heartbeat();
    timer.advance(INTERVAL);

    for (String app : apps) {
      assertEquals(true, ready(one, app), app + " moved to r1");
    }
  }
}
