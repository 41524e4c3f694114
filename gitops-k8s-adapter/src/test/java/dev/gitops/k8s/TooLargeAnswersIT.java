package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.apply.ApplyReport;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Problem;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.testing.k8s.MockKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster that refuses a write as too large anyway (its API server or etcd set lower than the
 * checks before the plan assume): the API server's 413, and etcd's "request is too large", which
 * the API server answers with a 500. The step fails at once with what it means, sent once: neither
 * the client nor the applier retries a refusal that the same request gets again.
 */
class TooLargeAnswersIT {
  private static final String CONFIG_MAPS = "/api/v1/namespaces/shop/configmaps";

  @TempDir Path repo;
  private final ApiFaultsIT.Faults faults = new ApiFaultsIT.Faults();
  private final MockKubernetes cluster = MockKubernetes.crud(faults);

  @AfterEach
  void close() {
    cluster.close();
  }

  /** One reconcile of the shop under JSON Patch, with the client's own retries on (fabric8's 10) and five applier attempts. */
  private ApplyReport reconcile(List<Duration> waits) throws Exception {
    Files.writeString(repo.resolve("app.yaml"), Fixtures.SHOP);
    KubernetesTarget target = KubernetesTarget.of(cluster.client(), KubernetesTarget.Options.defaults()
        .withStrategy(ApplyStrategy.JSON_PATCH));
    Reconciler web = Reconciler.builder().name("web").source(DirectorySource.of(repo)).loader(new ManifestLoader())
        .target(Fixtures.withControllers(target, cluster.client())).planOptions(target.planDefaults())
        .applyOptions(ApplyOptions.defaults().withSleeper(waits::add)).build();
    cluster.requests();
    return assertTimeoutPreemptively(Duration.ofMinutes(1), () -> web.reconcile(null)).report();
  }

  private long posts() {
    return cluster.requests().stream().filter(r -> r.startsWith("POST " + CONFIG_MAPS)).count();
  }

  /** Every POST of a ConfigMap gets {@code answer}: the step fails after one, saying {@code expected}, and no attempt waited. */
  private void failsOnceSaying(java.util.function.Supplier<io.fabric8.mockwebserver.http.MockResponse> answer,
                               String expected) throws Exception {
    faults.on("POST", CONFIG_MAPS, Integer.MAX_VALUE, answer);
    List<Duration> waits = new CopyOnWriteArrayList<>();

    String text = reconcile(waits).toString();

    assertTrue(text.contains("failed create ConfigMap/shop/settings: ConfigMap/shop/settings: write failed: "
        + expected), text);
    assertTrue(text.contains("not retried"), text);
    assertEquals(1, posts(), "sent once: the same request is refused again");
    assertEquals(List.of(), waits, "no applier attempt waited for another");
  }

  @Test
  void etcdsRequestIsTooLargeFailsTheStepOnceSayingWhatItMeans() throws Exception {
    failsOnceSaying(() -> ApiFaultsIT.status(500, "InternalError", "etcdserver: request is too large"),
        "HTTP 500: etcdserver: request is too large: etcd refused to store the object as too large (its"
        + " --max-request-bytes, 1.5 MiB by default): split the object");
  }

  @Test
  void theApiServers413FailsTheStepOnceSayingWhatItMeans() throws Exception {
    failsOnceSaying(() -> ApiFaultsIT.status(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728"),
        "HTTP 413: Request entity too large: limit is 3145728: the API server refused the write's body as too large");
  }

  /** The checks before the plan refuse a custom resource over etcd's default, before the earlier wave is written. */
  @Test
  void anObjectTooLargeIsRefusedBeforeAnyWrite() throws Exception {
    Files.writeString(repo.resolve("app.yaml"), Fixtures.SHOP);
    Files.writeString(repo.resolve("blob.yaml"), """
        apiVersion: example.com/v1
        kind: Blob
        metadata: {name: big, namespace: shop}
        spec: {payload: "%s"}
        """.formatted("a".repeat(1_600_000)));
    KubernetesTarget target = KubernetesTarget.of(cluster.client());
    Reconciler web = Reconciler.builder().name("web").source(DirectorySource.of(repo)).loader(new ManifestLoader())
        .target(target).planOptions(target.planDefaults()).build();
    cluster.requests();

    var e = assertThrows(InvalidDesiredStateException.class, () -> web.reconcile(null));

    assertEquals(List.of("blob.yaml:1: example.com/Blob/shop/big: at least 1600152 bytes as the API server stores"),
        e.problems().stream().map(Problem::toString).map(p -> p.substring(0, p.indexOf(" it ("))).toList());
    assertEquals(List.of(), MockKubernetes.writes(cluster.requests()), "nothing written");
    assertNull(cluster.client().configMaps().inNamespace("shop").withName("settings").get(), "not even the earlier wave");
  }

  @Test
  void another500IsStillRetried() throws Exception {
    faults.on("POST", CONFIG_MAPS, 1, () -> ApiFaultsIT.status(500, "InternalError", "etcdserver: request timed out"));

    String text = reconcile(new CopyOnWriteArrayList<>()).toString();

    assertTrue(text.startsWith("Applied: 3 applied, 0 unchanged, 0 failed"), text);
    assertEquals(2, posts(), "the client sent it again");
  }
}
