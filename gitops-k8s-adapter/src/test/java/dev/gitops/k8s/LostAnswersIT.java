package dev.gitops.k8s;

import static dev.gitops.k8s.Fixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.Applier;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.apply.ApplyReport;
import dev.gitops.apply.Outcome;
import dev.gitops.plan.Plan;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.target.TargetException;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write the server carried out whose answer never came (the client timed out after 1 s, as the
 * connection would be reset), or whose outcome a 500 left unknown: the writer reads the object back
 * once and reports what is true. Applied when it holds what the step sent, with the lost answer
 * named in the step's detail, and never sent again; else failed, saying what was read, and sent
 * again only after that read. Before, a lost create was sent again, met 409 and was reported stale;
 * a lost update met 409 and a lost delete 404, reported stale too, although both were done.
 */
class LostAnswersIT {
  private static final String CONFIG_MAPS = "/api/v1/namespaces/shop/configmaps";
  private static final String SERVICES = "/api/v1/namespaces/shop/services";
  /** A ConfigMap (mode a) and a Service. */
  private static final String APP = Fixtures.SHOP.substring(0, Fixtures.SHOP.lastIndexOf("---"));
  private static final String HOLDS = "; read back, the object holds what this step sent (version ";

  @TempDir Path repo;
  private MockKubernetes cluster;
  private KubernetesClient client;
  private ApiFaultsIT.Faults faults;
  private ApplyOptions applying;

  @AfterEach
  void close() {
    client.close();
    cluster.close();
  }

  /** A reconciler of {@link #APP} with {@code strategy} on {@code server} behind {@link #faults}, tries 5 times. */
  private Reconciler start(KubernetesCrudDispatcher server, ApplyStrategy strategy) throws Exception {
    return start(server, strategy, 5);
  }

  private Reconciler start(KubernetesCrudDispatcher server, ApplyStrategy strategy, int tries) throws Exception {
    faults = new ApiFaultsIT.Faults(server);
    cluster = MockKubernetes.crud(faults);
    client = ApiFaultsIT.strictClient(cluster);
    Files.writeString(repo.resolve("app.yaml"), APP);
    applying = ApplyOptions.defaults().withRetry(tries, Duration.ZERO, Duration.ZERO).withSleeper(d -> { });
    KubernetesTarget target = KubernetesTarget.of(client, KubernetesTarget.Options.defaults().withStrategy(strategy));
    return Reconciler.builder().name("web").source(DirectorySource.of(repo)).loader(new ManifestLoader())
        .target(target).prune(true).applyOptions(applying).build();
  }

  private long count(String method, String path) {
    return cluster.requests().stream().filter(r -> r.equals(method + " " + path) || r.startsWith(method + " " + path + "?"))
        .count();
  }

  private static String detail(ApplyReport report, String kind) {
    return report.outcomes().stream().filter(o -> o.action().id().kind().equals(kind)).map(o -> (Outcome.Applied) o)
        .findFirst().orElseThrow().detail();
  }

  /** The next run plans nothing: no adoption, no one else's change, nothing to create again. */
  private void converged(Reconciler web) {
    var next = ok(web.reconcile(null));
    assertTrue(next.plan().isEmpty(), next.plan().render());
  }

  @Test
  void aCreateWhoseAnswerIsLostIsReadBackAndReportedAppliedNotSentAgain() throws Exception {
    Reconciler web = start(null, ApplyStrategy.JSON_PATCH);
    faults.losing("POST", CONFIG_MAPS, 1);
    cluster.requests();

    ApplyReport report = ok(web.reconcile(null)).report();

    String detail = detail(report, "ConfigMap");
    assertTrue(detail.startsWith("its answer was lost (The timeout period of 1000ms has been exceeded")
        && detail.contains(HOLDS), detail);
    assertTrue(report.toString().contains("applied create ConfigMap/shop/settings:\n    its answer was lost"),
        report.toString());
    assertEquals(1, count("POST", CONFIG_MAPS), "never sent again");
    converged(web);
  }

  @Test
  void anUpdateWhoseAnswerIsLostIsReadBackAndReportedApplied() throws Exception {
    updateWhoseAnswerIsLost(null, ApplyStrategy.JSON_PATCH);
  }

  @Test
  void anUpdateWhoseAnswerIsLostUnderServerSideApplyIsReadBackByItsFieldSet() throws Exception {
    updateWhoseAnswerIsLost(new ApiServerStandIn(), ApplyStrategy.SERVER_SIDE);
  }

  /** Mode a becomes b, whose PATCH the server stores and whose answer is lost. */
  private void updateWhoseAnswerIsLost(KubernetesCrudDispatcher server, ApplyStrategy strategy) throws Exception {
    Reconciler web = start(server, strategy);
    ok(web.reconcile(null));
    Files.writeString(repo.resolve("app.yaml"), APP.replace("mode: a", "mode: b"));
    faults.losing("PATCH", CONFIG_MAPS + "/settings", 1);
    cluster.requests();

    ApplyReport report = ok(web.reconcile(null)).report();

    assertTrue(detail(report, "ConfigMap").contains(HOLDS), report.toString());
    assertEquals(1, count("PATCH", CONFIG_MAPS + "/settings"), "never sent again (it would meet 409)");
    assertEquals("b", client.configMaps().inNamespace("shop").withName("settings").get().getData().get("mode"));
    converged(web);
  }

  @Test
  void aDeleteWhoseAnswerIsLostIsReadBackGone() throws Exception {
    Reconciler web = start(null, ApplyStrategy.JSON_PATCH);
    ok(web.reconcile(null));
    Files.writeString(repo.resolve("app.yaml"), APP.substring(0, APP.indexOf("---")));
    faults.losing("DELETE", SERVICES + "/web", 1);
    cluster.requests();

    ApplyReport report = ok(web.reconcile(null)).report();

    assertTrue(detail(report, "Service").endsWith("; read back, it is gone"), report.toString());
    assertEquals(1, count("DELETE", SERVICES + "/web"));
    assertNull(client.services().inNamespace("shop").withName("web").get());
    converged(web);
  }

  @Test
  void aWriteTheServerDidNotStoreFailsWithWhatWasReadBackAndIsSentAgainOnlyAfterThat() throws Exception {
    Reconciler web = start(null, ApplyStrategy.JSON_PATCH, 1);
    Plan plan = web.plan(null);
    faults.on("POST", CONFIG_MAPS, 1, () -> ApiFaultsIT.status(500, "InternalError", "etcdserver: request timed out"));
    cluster.requests();

    ApplyReport report = new Applier().apply(plan, web.target(), applying);

    String failed = report.failures().get(0).cause().getMessage();
    assertEquals("ConfigMap/shop/settings: write failed: HTTP 500: etcdserver: request timed out; whether the server"
        + " stored it was unknown, and read back it is absent: not created", failed);
    assertTrue(((TargetException) report.failures().get(0).cause()).retryable(), "it is known not done now");
    assertEquals(java.util.List.of("POST " + CONFIG_MAPS + "?fieldManager=gitops", "GET " + CONFIG_MAPS + "/settings"),
        cluster.requests().stream().filter(r -> r.contains("/shop/configmaps")).toList(), "read back, not sent again");
    ok(web.reconcile(null));
    converged(web);
  }

  @Test
  void anUpdateTheServerDidNotStoreIsReadBackAsItWas() throws Exception {
    Reconciler web = start(null, ApplyStrategy.JSON_PATCH, 1);
    ok(web.reconcile(null));
    Files.writeString(repo.resolve("app.yaml"), APP.replace("mode: a", "mode: b"));
    Plan plan = web.plan(null);
    faults.on("PATCH", CONFIG_MAPS + "/settings", 1, () -> ApiFaultsIT.status(504, "Timeout",
        "Timeout: request did not complete within requested timeout - context deadline exceeded"));

    ApplyReport report = new Applier().apply(plan, web.target(), applying);

    String failed = report.failures().get(0).cause().getMessage();
    assertTrue(failed.endsWith("; whether the server stored it was unknown, and read back the object does not hold"
        + " what this step sent (version " + plan.actions().get(0).expected().substring("version:".length())
        + "): not updated"), failed);
    ok(web.reconcile(null));
    converged(web);
  }

  @Test
  void aWriteThatCannotBeReadBackEitherIsNeverSentBlindly() throws Exception {
    Reconciler web = start(null, ApplyStrategy.JSON_PATCH);
    Plan plan = web.plan(null);
    faults.losing("POST", CONFIG_MAPS, 1).on("GET", CONFIG_MAPS + "/settings", 1,
        () -> ApiFaultsIT.status(503, "ServiceUnavailable", "the server is shutting down"));
    cluster.requests();

    ApplyReport report = new Applier().apply(plan, web.target(), applying); // 5 tries allowed

    TargetException failed = (TargetException) report.failures().get(0).cause();
    assertTrue(failed.getMessage().contains("whether the server stored it is unknown, and reading it back failed too"
        + " (HTTP 503: the server is shutting down): not sent again; the next run reads what is there"),
        failed.getMessage());
    assertFalse(failed.retryable());
    assertEquals(1, count("POST", CONFIG_MAPS), "not sent again");
    assertNotNull(client.configMaps().inNamespace("shop").withName("settings").get(), "the server had stored it");
    ok(web.reconcile(null));
    converged(web);
  }
}
