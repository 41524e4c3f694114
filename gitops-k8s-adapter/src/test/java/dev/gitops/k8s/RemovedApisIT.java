package dev.gitops.k8s;

import static dev.gitops.k8s.Fixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Problem;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.FileMode;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import dev.gitops.testing.time.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Manifests written against API versions Kubernetes no longer serves (old charts and examples
 * still carry {@code batch/v1beta1} CronJobs and {@code policy/v1beta1} budgets): a cluster of a
 * release that removed them answers 404 at the write of their wave, after the earlier waves were
 * written; the fabric8 mock serves any path. The target refuses them before any write, naming the
 * apiVersion to use, and leaves a cluster old enough to serve them alone.
 */
class RemovedApisIT {
  private static final String APP = """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings, namespace: shop}
      data: {MODE: fast}
      ---
      apiVersion: batch/v1beta1
      kind: CronJob
      metadata: {name: report, namespace: shop}
      spec:
        schedule: "0 * * * *"
        jobTemplate:
          spec:
            template:
              spec:
                restartPolicy: Never
                containers:
                - {name: report, image: busybox:1.36}
      ---
      apiVersion: policy/v1beta1
      kind: PodDisruptionBudget
      metadata: {name: web, namespace: shop}
      spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
      """;

  @TempDir Path repo;
  @AutoClose private MockKubernetes cluster;

  private Reconciler reconciler() throws Exception {
    Files.writeString(repo.resolve("app.yaml"), APP);
    KubernetesTarget target = KubernetesTarget.of(cluster.client(), KubernetesTarget.Options.defaults()
        .withStrategy(ApplyStrategy.JSON_PATCH));
    return Reconciler.builder().name("web").source(DirectorySource.of(repo)).loader(new ManifestLoader())
        .target(target).planOptions(target.planDefaults())
        .applyOptions(ApplyOptions.defaults().withSleeper(d -> { })).build();
  }

  /** The CRUD mock, answering {@code /version} as a cluster of release 1.{@code minor} does. */
  private void release(String minor) {
    String version = "{\"major\":\"1\",\"minor\":\"" + minor + "\",\"gitVersion\":\"v1."
        + minor.replace("+", "") + ".3\"}";
    cluster = MockKubernetes.crud(new KubernetesCrudDispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return request.getPath().equals("/version") ? new MockResponse().setResponseCode(200).setBody(version)
            : super.dispatch(request);
      }
    });
  }

  @Test
  void removedApiVersionsAreRefusedBeforeAnyWrite() throws Exception {
    release("31+");
    Reconciler web = reconciler();
    cluster.requests();
    var e = assertThrows(InvalidDesiredStateException.class, () -> web.reconcile(null));

    assertEquals(List.of(
        "app.yaml:6: batch/CronJob/shop/report: apiVersion batch/v1beta1 is no longer served (removed in"
            + " Kubernetes 1.25; the cluster runs 1.31): use apiVersion batch/v1",
        "app.yaml:19: policy/PodDisruptionBudget/shop/web: apiVersion policy/v1beta1 is no longer served"
            + " (removed in Kubernetes 1.25; the cluster runs 1.31): use apiVersion policy/v1"),
        e.problems().stream().map(Problem::toString).toList());
    assertTrue(cluster.requests().stream().allMatch(r -> r.startsWith("GET ")), "nothing written");
    assertNull(cluster.client().configMaps().inNamespace("shop").withName("settings").get());
  }

  @Test
  void oneRunShowsTheseWithTheOtherProblemsFoundBeforeAnyRead() throws Exception {
    release("31");
    Files.writeString(repo.resolve("more.yaml"), """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: gitops-kinds-web, namespace: default}
        """);
    Reconciler web = reconciler();
    var e = assertThrows(InvalidDesiredStateException.class, () -> web.reconcile(null));
    assertEquals(List.of("app.yaml:6", "app.yaml:19", "more.yaml:1"),
        e.problems().stream().map(p -> p.file() + ":" + p.line()).toList(), e.getMessage());
  }

  @Test
  void aClusterOfUnknownReleaseIsTakenAsTheOldestTested() throws Exception {
    cluster = MockKubernetes.crud(); // no /version
    Reconciler web = reconciler();
    var e = assertThrows(InvalidDesiredStateException.class, () -> web.reconcile(null));
    assertTrue(e.problems().get(0).message().contains("(removed in Kubernetes 1.25; the cluster's release is"
        + " unknown, taken as 1.30)"), e.getMessage());
  }

  @Test
  void aClusterOldEnoughToServeThemIsLeftAlone() throws Exception {
    release("24");
    ok(reconciler().reconcile(null));
  }

  @Test
  void aClusterUpgradedUnderARunningAgentIsSeenOnceItsReleaseIsReadAgain() throws Exception {
    AtomicReference<String> minor = new AtomicReference<>("24");
    cluster = MockKubernetes.crud(new KubernetesCrudDispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return request.getPath().equals("/version") ? new MockResponse().setResponseCode(200)
            .setBody("{\"major\":\"1\",\"minor\":\"" + minor.get() + "\"}") : super.dispatch(request);
      }
    });
    Files.writeString(repo.resolve("app.yaml"), APP);
    DesiredState desired = new ManifestLoader().load(Snapshot.of(Revision.of("0".repeat(40)),
        Map.of("app.yaml", Content.bytes(APP.getBytes(StandardCharsets.UTF_8), FileMode.REGULAR))));
    MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
    RemovedApis check = new RemovedApis(cluster.client(), clock);
    assertEquals(List.of(), check.problems(desired), "1.24 still serves them");

    minor.set("25"); // the cluster is upgraded; the agent runs on
    clock.advance(RemovedApis.REREAD.minusSeconds(1));
    assertEquals(List.of(), check.problems(desired), "the release read stands for a while: no GET per run");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(List.of("app.yaml:6", "app.yaml:19"),
        check.problems(desired).stream().map(p -> p.file() + ":" + p.line()).toList(), "read again: 1.25 refuses them");
  }

  @Test
  void aReleaseThatCouldNotBeReadIsAskedForAgainAfterAMinute() {
    AtomicReference<Boolean> up = new AtomicReference<>(false);
    cluster = MockKubernetes.crud(new KubernetesCrudDispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return !request.getPath().equals("/version") ? super.dispatch(request)
            : up.get() ? new MockResponse().setResponseCode(200).setBody("{\"major\":\"1\",\"minor\":\"24\"}")
            : new MockResponse().setResponseCode(404);
      }
    });
    DesiredState desired = new ManifestLoader().load(Snapshot.of(Revision.of("0".repeat(40)),
        Map.of("app.yaml", Content.bytes(APP.getBytes(StandardCharsets.UTF_8), FileMode.REGULAR))));
    MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
    RemovedApis check = new RemovedApis(cluster.client(), clock);
    assertEquals(2, check.problems(desired).size(), "unknown: taken as 1.30");
    up.set(true);
    assertEquals(2, check.problems(desired).size(), "not asked again at once");
    clock.advance(RemovedApis.RETRY);
    assertEquals(List.of(), check.problems(desired), "asked again: 1.24 serves them");
  }
}
