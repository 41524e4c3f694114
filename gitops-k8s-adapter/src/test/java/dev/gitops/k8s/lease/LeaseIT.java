package dev.gitops.k8s.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.apply.Outcome;
import dev.gitops.k8s.ApplyStrategy;
import dev.gitops.k8s.KubernetesDiff;
import dev.gitops.k8s.KubernetesKinds;
import dev.gitops.k8s.KubernetesTarget;
import dev.gitops.k8s.ManifestLoader;
import dev.gitops.model.ActualState;
import dev.gitops.model.Handler;
import dev.gitops.model.Origin;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.PlanOptions;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.target.Health;
import dev.gitops.target.Scope;
import dev.gitops.target.Target;
import dev.gitops.target.TargetException;
import dev.gitops.testing.k8s.MockKubernetes;
import dev.gitops.testing.time.MutableClock;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leader election and sharding over Leases on the CRUD mock. */
class LeaseIT {
  @AutoClose static final MockKubernetes cluster = MockKubernetes.crud();
  static final KubernetesClient client = cluster.client();

  @TempDir Path repo;

  @Test
  void ofTwoAgentsOnlyTheLeaderWrites() throws Exception {
    Files.writeString(repo.resolve("app.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
        + "  name: settings\n  namespace: default\ndata:\n  color: blue\n");
    try (LeaseElector a = LeaseElector.start(client, "default", "web", "agent-a", Duration.ofSeconds(30), l -> { });
         LeaseElector b = LeaseElector.start(client, "default", "web", "agent-b", Duration.ofSeconds(30), l -> { })) {
      String leaderA = a.awaitLeader(Duration.ofSeconds(20));
      String leaderB = b.awaitLeader(Duration.ofSeconds(20));
      assertFalse(leaderA.isEmpty(), "a leader was elected");
      assertEquals(leaderA, leaderB, "both replicas see the same leader");
      LeaseElector leader = a.isLeader() ? a : b;
      LeaseElector follower = leader == a ? b : a;
      assertTrue(leader.isLeader() && !follower.isLeader());

      cluster.requests();
      ReconcileResult followed = agent(follower).reconcile(null);
      assertFalse(followed.report().isSuccess());
      assertTrue(followed.report().outcomes().stream().allMatch(o -> o instanceof Outcome.Failed f
          && f.cause().getMessage().contains("does not lead")), followed.report().toString());
      assertEquals(List.of(), writes(), "the follower wrote nothing");

      ReconcileResult led = agent(leader).reconcile(null);
      assertTrue(led.report().isSuccess(), led.report().toString());
      List<String> writes = writes();
      assertEquals(2, writes.stream().filter(w -> w.contains("/configmaps")).count(),
          "the object and the owner's kind inventory: " + writes);
      assertEquals("web", client.configMaps().inNamespace("default").withName("settings").get()
          .getMetadata().getLabels().get(KubernetesTarget.OWNER_LABEL));

      Target talking = new Target() {
        @Override public ActualState read(Scope scope) { return ActualState.of(List.of()); }
        @Override public void apply(Action action, String owner) { }
        @Override public String applyWithDetail(Action action, String owner) { return "reloaded"; }
        @Override public Health health(ResourceId id) { return Health.HEALTHY; }
        @Override public String describe() { return "talking"; }
      };
      Action run = new Action.Run(new Handler("reload", "true", List.of("*"), new Origin(".gitops.yaml", 1)),
          List.of(ResourceId.file("a")));
      assertEquals("reloaded", leader.guard(talking).applyWithDetail(run, "web"),
          "the guard passes a step's detail on");
      assertThrows(TargetException.class, () -> follower.guard(talking).applyWithDetail(run, "web"));
    }
  }

  @Test
  void shardsMoveOnlyTheDeadReplicasTargets() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    Map<String, Shard> shards = new HashMap<>();
    for (String id : List.of("r1", "r2", "r3")) {
      shards.put(id, Shard.of(client, "default", "agents", id, Duration.ofSeconds(30), clock));
      shards.get(id).heartbeat();
    }
    List<String> targets = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      targets.add("target-" + i);
    }
    assertEquals(List.of("r1", "r2", "r3"), shards.get("r1").members());
    Map<String, String> before = owners(shards, targets);
    assertEquals(3, before.values().stream().distinct().count(), "every replica gets a share");

    clock.advance(Duration.ofSeconds(20));
    shards.get("r1").heartbeat();
    shards.get("r2").heartbeat();   // r3 stops renewing: it died
    clock.advance(Duration.ofSeconds(20));
    assertEquals(List.of("r1", "r2"), shards.get("r1").members());
    Map<String, String> after = owners(Map.of("r1", shards.get("r1"), "r2", shards.get("r2")), targets);
    for (String t : targets) {
      if (!before.get(t).equals("r3")) {
        assertEquals(before.get(t), after.get(t), t + " stays where it was");
      } else {
        assertNotEquals("r3", after.get(t), t + " moved off the dead replica");
      }
    }
  }

  private static Map<String, String> owners(Map<String, Shard> shards, List<String> targets) {
    Map<String, String> owners = new HashMap<>();
    for (String t : targets) {
      List<String> claim = shards.entrySet().stream().filter(e -> e.getValue().owns(t))
          .map(Map.Entry::getKey).toList();
      assertEquals(1, claim.size(), t + " has exactly one owner: " + claim);
      owners.put(t, claim.get(0));
    }
    return owners;
  }

  private Reconciler agent(LeaseElector elector) {
    KubernetesTarget target = KubernetesTarget.of(client,
        KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH));
    return Reconciler.builder().name("web").source(DirectorySource.of(repo))
        .loader(new ManifestLoader()).target(elector.guard(target))
        .planOptions(PlanOptions.defaults().withDiff(KubernetesDiff.options())
            .withKindOrder(KubernetesKinds.order()))
        .applyOptions(ApplyOptions.defaults().withRetry(1, Duration.ZERO, Duration.ZERO)
            .withSleeper(d -> { }))
        .build();
  }

  /** Requests not GET since the last look; lease renewals (PUT on leases) excluded. */
  private static List<String> writes() {
    return MockKubernetes.writes(cluster.requests()).stream().filter(w -> !w.contains("/leases")).toList();
  }
}
