package dev.gitops.k8s;

import static dev.gitops.k8s.Fixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.apply.Outcome;
import dev.gitops.plan.Action;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prune of an object whose finalizer never completes (its controller is gone): the API server
 * sets {@code deletionTimestamp} and keeps the object. The run does not wait for it to go, says it
 * is still terminating and what holds it, and later runs do not send the DELETE again and again.
 */
class StuckFinalizerIT {
  /**
   * The CRUD mock, deleting as a server does an object with finalizers: the DELETE sets
   * {@code deletionTimestamp} (once) and answers the object, which stays. Counts DELETEs.
   */
  static final class Finalizers extends KubernetesCrudDispatcher {
    final AtomicInteger deletes = new AtomicInteger();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if (!"DELETE".equals(request.getMethod())) {
        return super.dispatch(request);
      }
      deletes.incrementAndGet();
      String path = request.getPath().replaceFirst("\\?.*", "");
      MockResponse stored = handleGet(path);
      if (!stored.getStatus().contains(" 200") || !(Json.parse(body(stored)) instanceof ObjectNode live)
          || live.path("metadata").path("finalizers").isEmpty()) {
        return super.dispatch(request);
      }
      if (!live.path("metadata").has("deletionTimestamp")) {
        live.with("metadata").put("deletionTimestamp", "2026-12-06T01:00:00Z");
        return handleUpdate(new RecordedRequest(request.getHttpVersion(), HttpMethod.PUT, path, request.getHeaders(),
            new Buffer(Json.write(live).getBytes(StandardCharsets.UTF_8))));
      }
      return stored;
    }

    private static String body(MockResponse response) {
      return response.getBody() == null ? "" : new String(response.getBody().getBytes(), StandardCharsets.UTF_8);
    }
  }

  @TempDir Path repo;
  private final Finalizers finalizers = new Finalizers();
  private final MockKubernetes cluster = MockKubernetes.crud(finalizers);
  private ClusterCache cache;

  @AfterEach
  void close() {
    if (cache != null) {
      cache.close();
    }
    cluster.close();
  }

  private static final String KEEP = """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: keep, namespace: shop}
      data: {mode: a}
      """;

  private Reconciler reconciler(boolean cached) throws Exception {
    Files.writeString(repo.resolve("app.yaml"), KEEP + """
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: held, namespace: shop, finalizers: [example.com/protect]}
        data: {mode: a}
        """);
    KubernetesTarget.Options options = KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH);
    if (cached) {
      cache = ClusterCache.of(cluster.client());
    }
    KubernetesTarget target = cached ? KubernetesTarget.of(cache, options) : KubernetesTarget.of(cluster.client(), options);
    return Fixtures.reconciler(repo, target);
  }

  /**
   * Applies both, {@code held} with a finalizer no controller will remove (written by this owner, so a
   * watch cache knows it from the write's answer, not from an event that may come after the next plan),
   * and takes it out of Git.
   */
  private Reconciler heldLeavesGit(boolean cached) throws Exception {
    Reconciler web = reconciler(cached);
    ok(web.reconcile(null));
    assertEquals(List.of("example.com/protect"),
        cluster.client().configMaps().inNamespace("shop").withName("held").get().getMetadata().getFinalizers());
    Files.writeString(repo.resolve("app.yaml"), KEEP);
    return web;
  }

  private static String deleteDetail(ReconcileResult result) {
    return result.report().outcomes().stream()
        .filter(o -> o instanceof Outcome.Applied a && a.action().kind() == Action.Kind.DELETE)
        .map(o -> ((Outcome.Applied) o).detail()).findFirst().orElseThrow(() -> new AssertionError(result.report()));
  }

  private void prunesOnceThenSaysItIsStillTerminating(boolean cached) throws Exception {
    Reconciler web = heldLeavesGit(cached);

    ReconcileResult pruned = ok(assertTimeoutPreemptively(Duration.ofSeconds(30), () -> web.reconcile(null)));
    assertEquals("deleted; it has been terminating since 2026-12-06T01:00:00Z, held by finalizers example.com/protect"
        + " (removed by their controller; by hand when none runs)", deleteDetail(pruned));
    assertEquals(1, finalizers.deletes.get());

    for (int run = 0; run < 3; run++) {
      ReconcileResult again = ok(assertTimeoutPreemptively(Duration.ofSeconds(30), () -> web.reconcile(null)));
      assertTrue(deleteDetail(again).startsWith("not deleted again: it has been terminating since 2026-12-06T01:00:00Z,"
          + " held by finalizers example.com/protect"), again.report().toString());
      assertTrue(again.report().toString().contains("not deleted again"), "the report says so: " + again.report());
    }
    assertEquals(1, finalizers.deletes.get(), "one DELETE, however many runs");
    assertNotNull(cluster.client().configMaps().inNamespace("shop").withName("held").get());
  }

  @Test
  void aPruneHeldByAFinalizerIsReportedTerminatingAndNotSentAgain() throws Exception {
    prunesOnceThenSaysItIsStillTerminating(false);
  }

  @Test
  void aPruneHeldByAFinalizerThroughAWatchCacheNeitherWaitsNorRepeats() throws Exception {
    prunesOnceThenSaysItIsStillTerminating(true);
  }
}
