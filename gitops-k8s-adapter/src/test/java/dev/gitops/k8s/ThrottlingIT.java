package dev.gitops.k8s;

import static dev.gitops.k8s.Fixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.apply.ApplyReport;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.target.TargetException;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.mockwebserver.http.MockResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throttled as real clusters throttle: API Priority and Fairness answers 429 with a Status
 * ({@code details.retryAfterSeconds}) and a {@code Retry-After} header; a proxy or load balancer in
 * front of the server answers 429 or 503 with the header and a page or plain text. One layer
 * retries an answer, the target's client: as often as the client's {@code requestRetryBackoffLimit}
 * allows, waiting as long as the server asked (fabric8 8.0.0 itself sleeps its own 100 ms backoff
 * whatever the header says), never past the call's deadline; the applier does not retry it again,
 * so a step is sent at most {@code 1 + requestRetryBackoffLimit} times, and the report says what
 * was asked and how often it was sent.
 */
class ThrottlingIT {
  private static final String CONFIG_MAPS = "/api/v1/namespaces/shop/configmaps";
  private static final String NGINX_503 = "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n"
      + "<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n"
      + "</body>\r\n</html>\r\n";

  @TempDir Path repo;
  private final ApiFaultsIT.Faults faults = new ApiFaultsIT.Faults();
  private final MockKubernetes cluster = MockKubernetes.crud(faults);
  /** When each throttled request arrived, and what the applier would have slept. */
  private final List<Long> arrivals = new CopyOnWriteArrayList<>();
  private final List<Duration> applierWaits = new CopyOnWriteArrayList<>();
  private final List<KubernetesClient> clients = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    clients.forEach(KubernetesClient::close);
    cluster.close();
  }

  /** A client of the mock retrying {@code retries} times, 10 ms apart at first (fabric8's default: 10, 100 ms). */
  private KubernetesClient client(int retries) {
    KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(cluster.client()
        .getConfiguration()).withRequestRetryBackoffLimit(retries).withRequestRetryBackoffInterval(10).build()).build();
    clients.add(client);
    return client;
  }

  /** A reconciler of one ConfigMap and one ServiceAccount, its applier trying 5 times, its waits recorded, not slept. */
  private Reconciler reconciler(KubernetesClient on) throws Exception {
    Files.writeString(repo.resolve("app.yaml"), Fixtures.settingsAndAccount("a"));
    KubernetesTarget target = KubernetesTarget.of(on, KubernetesTarget.Options.defaults()
        .withStrategy(ApplyStrategy.JSON_PATCH));
    return Reconciler.builder().name("web").source(DirectorySource.of(repo)).loader(new ManifestLoader())
        .target(target).prune(true).applyOptions(ApplyOptions.defaults().withSleeper(applierWaits::add)).build();
  }

  /** {@code answer}, noting when each request it answers arrived. */
  private MockResponse timed(MockResponse answer) {
    arrivals.add(System.nanoTime());
    return answer;
  }

  private long posts() {
    return cluster.requests().stream().filter(r -> r.startsWith("POST " + CONFIG_MAPS)).count();
  }

  @Test
  void priorityAndFairnessIsWaitedOutAsItAsksByTheClientAlone() throws Exception {
    faults.on("POST", CONFIG_MAPS, 2, () -> timed(ApiFaultsIT.tooManyRequests(1)));
    Reconciler web = reconciler(client(10));
    cluster.requests();

    ok(web.reconcile(null));

    assertEquals(3, posts(), "twice refused, then created");
    for (int i = 1; i < arrivals.size(); i++) {
      assertTrue(arrivals.get(i) - arrivals.get(i - 1) >= Duration.ofSeconds(1).toNanos(),
          "sent again no sooner than the second asked, not after fabric8's 10 ms");
    }
    assertEquals(List.of(), applierWaits.stream().filter(d -> d.compareTo(Duration.ofSeconds(1)) >= 0).toList(),
        "the applier did not wait on top");
  }

  @Test
  void aProxysPageWithRetryAfterIsWaitedOutAndWhenItPersistsTheStepFailsOnceSayingWhatWasAsked() throws Exception {
    faults.on("POST", CONFIG_MAPS, Integer.MAX_VALUE, () -> timed(new MockResponse().setResponseCode(503)
        .setHeader("Content-Type", "text/html").setHeader("Retry-After", "1").setBody(NGINX_503)));
    Reconciler web = reconciler(client(2));
    cluster.requests();

    ApplyReport report = assertTimeoutPreemptively(Duration.ofMinutes(1), () -> web.reconcile(null)).report();

    assertEquals(3, posts(), "1 + the client's 2 retries, not that many per applier attempt (5): " + report);
    assertTrue(arrivals.get(2) - arrivals.get(0) >= Duration.ofSeconds(2).toNanos(), "each retry waited the second asked");
    assertEquals(List.of(), applierWaits, "the applier does not retry what the client retried");
    String text = report.toString();
    assertTrue(text.contains("write failed: HTTP 503: 503 Service Temporarily Unavailable 503 Service Temporarily"
        + " Unavailable nginx (Retry-After: 1 s); sent 3 times in "), text);
    assertTrue(text.contains("(at most 3, the client's requestRetryBackoffLimit, within the target's callTimeout of"
        + " PT2M): not tried again"), text);
    assertFalse(text.contains("<html>"), text);
  }

  @Test
  void aWaitLongerThanTheCallCanWaitIsNotWaitedButReportedAtOnce() throws Exception {
    faults.on("POST", CONFIG_MAPS, Integer.MAX_VALUE, () -> new MockResponse().setResponseCode(429)
        .setHeader("Retry-After", "3600").setBody("rate limited\n"));
    Reconciler web = reconciler(client(10));
    cluster.requests();

    ApplyReport report = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> web.reconcile(null)).report();

    assertEquals(1, posts(), "an hour does not fit in the 2 minutes a call may take: " + report);
    String text = report.toString();
    assertTrue(text.contains("write failed: HTTP 429: rate limited (Retry-After: 3600 s); sent 1 time in "), text);
    TargetException failed = (TargetException) report.failures().get(0).cause();
    assertFalse(failed.retryable());
    assertEquals(Duration.ofHours(1), failed.retryAfter().orElseThrow());
  }

  @Test
  void withoutClientRetriesTheApplierHonoursAProxysRetryAfterHeader() throws Exception {
    faults.on("POST", CONFIG_MAPS, 2, () -> new MockResponse().setResponseCode(503).setHeader("Retry-After", "2")
        .setBody("upstream connect error or disconnect/reset before headers. reset reason: overflow"));
    Reconciler web = reconciler(client(0));
    cluster.requests();

    ok(web.reconcile(null));

    assertEquals(3, posts());
    assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(2)), applierWaits.subList(0, 2),
        "the header's wait, read from a plain-text answer (Envoy's)");
  }
}
