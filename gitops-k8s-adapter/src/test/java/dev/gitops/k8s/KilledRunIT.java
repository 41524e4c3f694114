package dev.gitops.k8s;

import static dev.gitops.k8s.Fixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reconcile killed at any point (a JVM killed, a pod evicted, the network cut: from the cluster's
 * side the same, no request after a point), then Git drops a kind, and a fresh process reconciles:
 * every object the owner ever created is tracked and pruned, nothing of another owner or of nobody
 * is touched, and the next run plans nothing. The CRUD mock is cut after the n-th write: that write
 * and every later request answer 503 and store nothing.
 */
class KilledRunIT {
  /** The mock, cut after {@link #writesLeft} more writes. */
  static final class Cut extends KubernetesCrudDispatcher {
    volatile int writesLeft = Integer.MAX_VALUE;
    private volatile boolean cut;

    void after(int writes) {
      writesLeft = writes;
      cut = false;
    }

    void heal() {
      after(Integer.MAX_VALUE);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if (!"GET".equals(request.getMethod()) && writesLeft-- <= 0) {
        cut = true;
      }
      return cut ? new MockResponse().setResponseCode(503).setBody("{\"kind\":\"Status\",\"code\":503}")
          : super.dispatch(request);
    }
  }

  @TempDir Path tmp;
  private Path repo;
  private Cut network;
  private MockKubernetes cluster;

  /** {@code body} against a cluster and a repository of its own. */
  private DynamicTest world(String name, Executable body) {
    return DynamicTest.dynamicTest(name, () -> {
      repo = Files.createTempDirectory(tmp, "repo");
      network = new Cut();
      try (MockKubernetes mock = MockKubernetes.crud(network)) {
        cluster = mock;
        body.execute();
      }
    });
  }

  private static String doc(String kind, String name) {
    return "apiVersion: v1\nkind: " + kind + "\nmetadata: {name: " + name + ", namespace: shop}\n"
        + switch (kind) {
          case "ConfigMap" -> "data: {k: v}\n";
          case "Service" -> "spec:\n  ports: [{port: 80, protocol: TCP}]\n";
          default -> "";
        };
  }

  private static final List<String> V1 = List.of(doc("ConfigMap", "a"), doc("ConfigMap", "b"), doc("Service", "s1"),
      doc("Service", "s2"), doc("ServiceAccount", "sa"));
  /** Git after it dropped the Services and ConfigMap b. */
  private static final List<String> V2 = List.of(doc("ConfigMap", "a"), doc("ServiceAccount", "sa"));

  private void git(List<String> docs) throws Exception {
    Files.writeString(repo.resolve("app.yaml"), String.join("---\n", docs));
  }

  /** A process: its own client (no retries, as a killed one makes none), target and reconciler. */
  private Reconciler process(KubernetesClient client, ApplyStrategy strategy) {
    KubernetesTarget target = KubernetesTarget.of(client, KubernetesTarget.Options.defaults().withStrategy(strategy));
    return Reconciler.builder().name("web").source(DirectorySource.of(repo)).loader(new ManifestLoader())
        .target(target).planOptions(target.planDefaults()).prune(true)
        .applyOptions(ApplyOptions.defaults().withParallelism(1).withRetry(1, Duration.ZERO, Duration.ZERO)
            .withSleeper(d -> { })).build();
  }

  private KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(new ConfigBuilder(cluster.client().getConfiguration())
        .withRequestRetryBackoffLimit(0).build()).build();
  }

  /** Runs {@code docs} in a process that dies after {@code writes} writes; what it did is its last word. */
  private void killedAfter(int writes, List<String> docs) throws Exception {
    git(docs);
    network.after(writes);
    try (KubernetesClient client = newClient()) {
      process(client, ApplyStrategy.JSON_PATCH).reconcile(null);
    } catch (RuntimeException killed) {
      // the read, or the apply, met the cut
    } finally {
      network.heal();
    }
  }

  /** Another owner's Service and one nobody owns, in the same namespace, of the kind that leaves Git. */
  private void others() {
    var services = cluster.client().services().inNamespace("shop");
    services.resource(new ServiceBuilder().withNewMetadata().withName("other").withNamespace("shop")
        .withLabels(Map.of(KubernetesTarget.OWNER_LABEL, "api")).endMetadata().withNewSpec().addNewPort()
        .withPort(80).endPort().endSpec().build()).create();
    services.resource(new ServiceBuilder().withNewMetadata().withName("manual").withNamespace("shop").endMetadata()
        .withNewSpec().addNewPort().withPort(80).endPort().endSpec().build()).create();
  }

  private TreeSet<String> names(String kind) {
    var list = switch (kind) {
      case "Service" -> cluster.client().services().inNamespace("shop").list().getItems().stream()
          .map(s -> s.getMetadata().getName() + "@" + s.getMetadata().getLabels());
      case "ConfigMap" -> cluster.client().configMaps().inNamespace("shop").list().getItems().stream()
          .map(s -> s.getMetadata().getName());
      default -> cluster.client().serviceAccounts().inNamespace("shop").list().getItems().stream()
          .map(s -> s.getMetadata().getName());
    };
    return list.collect(java.util.stream.Collectors.toCollection(TreeSet::new));
  }

  private String inventory() {
    var cm = cluster.client().configMaps().inNamespace("default").withName("gitops-kinds-web").get();
    return cm == null ? null : cm.getData().get("kinds");
  }

  /** A fresh process converges on {@link #V2}: web's Services pruned, the others' kept; a second run plans nothing. */
  private void freshProcessConverges(ApplyStrategy strategy) throws Exception {
    git(V2);
    try (KubernetesClient client = newClient()) {
      Reconciler fresh = process(client, strategy);
      ok(fresh.reconcile(null));
      assertTrue(ok(fresh.reconcile(null)).plan().isEmpty(), "converged");
    }
    try (KubernetesClient client = newClient()) {
      assertTrue(ok(process(client, strategy).reconcile(null)).plan().isEmpty(), "converged for yet another process");
    }
    assertEquals("[manual@{}, other@{gitops.dev/owner=api}]", names("Service").toString(),
        "web's Services are pruned, nobody else's");
    assertEquals("[a]", names("ConfigMap").toString());
    assertEquals("[sa]", names("ServiceAccount").toString());
    assertEquals("/ConfigMap\n/ServiceAccount\n", inventory(), "the dropped kind is forgotten once nothing of it is left");
  }

  /** 0: cut at the inventory's write; 1: after it, before any object; 2-5: among the creates; 6: all written. */
  @TestFactory
  Stream<DynamicTest> killedWhileCreatingThenAKindLeavesGit() {
    return IntStream.rangeClosed(0, 6).mapToObj(writes -> world("killed after " + writes + " writes", () -> {
      others();
      killedAfter(writes, V1);
      if (writes >= 1) {
        assertNotNull(inventory(), "the inventory is written before the first object");
      }
      freshProcessConverges(ApplyStrategy.JSON_PATCH);
    }));
  }

  /** Killed in the middle of the prune of v2 after 0, 1 or 2 of its 3 deletes; a fresh process finishes it. */
  @TestFactory
  Stream<DynamicTest> killedWhilePruningAFreshProcessFinishesIt() {
    return IntStream.rangeClosed(0, 2).mapToObj(deletes -> world("killed after " + deletes + " deletes", () -> {
      others();
      git(V1);
      ok(process(cluster.client(), ApplyStrategy.JSON_PATCH).reconcile(null));

      killedAfter(deletes, V2);

      long left = names("Service").stream().filter(s -> s.startsWith("s1@") || s.startsWith("s2@")).count()
          + (names("ConfigMap").contains("b") ? 1 : 0);
      assertEquals(3 - deletes, left, "the killed run deleted " + deletes + ": " + names("Service")
          + names("ConfigMap"));
      freshProcessConverges(ApplyStrategy.JSON_PATCH);
    }));
  }
}
