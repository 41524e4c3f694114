package dev.gitops.k8s;

import static dev.gitops.k8s.Fixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.apply.ApplyReport;
import dev.gitops.apply.Applier;
import dev.gitops.apply.Outcome;
import dev.gitops.plan.Plan;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.target.TargetException;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults a real API server produces, in the middle of an apply: 429 with Retry-After, 500 and 503,
 * a 409 on an update, 403 on one kind only, a response that never comes. Every step ends with an
 * outcome that says what happened, nothing hangs, and the next run converges.
 */
class ApiFaultsIT {
  /**
   * The CRUD mock (or a stand-in over it), answering the requests a rule matches with its fault, as
   * many times as the rule says.
   */
  static final class Faults extends KubernetesCrudDispatcher {
    /** A rule; a null {@code answer} carries the request out and loses its answer. */
    private record Rule(String method, String path, AtomicInteger left, Supplier<MockResponse> answer) {}

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final KubernetesCrudDispatcher server;

    /** Faults of the plain CRUD mock. */
    Faults() {
      this(null);
    }

    /** Faults of {@code server} (a stand-in), which answers whatever no rule matches. */
    Faults(KubernetesCrudDispatcher server) {
      this.server = server;
    }

    /** The next {@code times} requests of {@code method} whose path starts with {@code path} get {@code answer}. */
    Faults on(String method, String path, int times, Supplier<MockResponse> answer) {
      rules.add(new Rule(method, path, new AtomicInteger(times), answer));
      return this;
    }

    /**
     * The next {@code times} requests of {@code method} whose path starts with {@code path} are carried
     * out, and their answer never comes: the client times out after the server stored the write.
     */
    Faults losing(String method, String path, int times) {
      return on(method, path, times, null);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      for (Rule r : rules) {
        if (r.method().equals(request.getMethod()) && request.getPath().startsWith(r.path())
            && r.left().getAndDecrement() > 0) {
          return r.answer() != null ? r.answer().get() : store(request).setBodyDelay(Duration.ofMinutes(10));
        }
      }
      return store(request);
    }

    private MockResponse store(RecordedRequest request) {
      return server != null ? server.dispatch(request) : super.dispatch(request);
    }
  }

  /** A Status as the API server sends it. */
  static MockResponse status(int code, String reason, String message) {
    return new MockResponse().setResponseCode(code).setBody("""
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"%s","reason":"%s","code":%d}
        """.formatted(message, reason, code));
  }

  private static final String CONFIG_MAPS = "/api/v1/namespaces/shop/configmaps";
  private static final String SERVICES = "/api/v1/namespaces/shop/services";
  private static final String APP = Fixtures.SHOP;

  @TempDir Path repo;
  private final Faults faults = new Faults();
  private final MockKubernetes cluster = MockKubernetes.crud(faults);
  private KubernetesClient client;

  @AfterEach
  void close() {
    if (client != null) {
      client.close();
    }
    cluster.close();
  }

  /** A client of the mock as a user may configure one: no retries of its own, requests time out after 1 s. */
  private KubernetesClient strictClient() {
    client = strictClient(cluster);
    return client;
  }

  /** A new client of {@code mock} with no retries of its own, whose requests time out after 1 s; the caller closes it. */
  static KubernetesClient strictClient(MockKubernetes mock) {
    return new KubernetesClientBuilder().withConfig(new ConfigBuilder(mock.client().getConfiguration())
        .withRequestRetryBackoffLimit(0).withRequestTimeout(1_000).build()).build();
  }

  private Reconciler reconciler(KubernetesClient on, int attempts) throws Exception {
    return reconciler(on, ApplyOptions.defaults().withRetry(attempts, Duration.ZERO, Duration.ZERO).withSleeper(d -> { }));
  }

  private Reconciler reconciler(KubernetesClient on, ApplyOptions applying) throws Exception {
    Files.writeString(repo.resolve("app.yaml"), APP);
    KubernetesTarget target = KubernetesTarget.of(on, KubernetesTarget.Options.defaults()
        .withStrategy(ApplyStrategy.JSON_PATCH));
    return Reconciler.builder().name("web").source(DirectorySource.of(repo)).loader(new ManifestLoader())
        .target(Fixtures.withControllers(target, on)).planOptions(target.planDefaults()).prune(true)
        .applyOptions(applying).build();
  }

  /** A 429 as the API server answers one with a Status: {@code Retry-After} and {@code details.retryAfterSeconds} alike. */
  static MockResponse tooManyRequests(long seconds) {
    return new MockResponse().setResponseCode(429).setHeader("Retry-After", seconds).setBody("""
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too many requests, please try \
        again later","reason":"TooManyRequests","details":{"retryAfterSeconds":%d},"code":429}
        """.formatted(seconds));
  }

  private long count(String method, String path) {
    return cluster.requests().stream().filter(r -> r.startsWith(method + " " + path)).count();
  }

  @Test
  void tooManyRequestsIsWaitedOutAsRetryAfterSays() throws Exception {
    faults.on("POST", CONFIG_MAPS, 1, () -> status(429, "TooManyRequests", "too many requests, please try again later")
        .setHeader("Retry-After", "1"));

    ok(reconciler(cluster.client(), 1).reconcile(null)); // fabric8 sends it again after 100 ms, its own backoff

    assertNotNull(cluster.client().configMaps().inNamespace("shop").withName("settings").get());
  }

  @Test
  void fabric8RetriesA429OnItsOwnBackoffWhateverRetryAfterSaysAndKeepsNoHeader() {
    faults.on("POST", CONFIG_MAPS, Integer.MAX_VALUE, () -> status(429, "TooManyRequests", "slow down")
        .setHeader("Retry-After", "86400"));
    client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(cluster.client().getConfiguration())
        .withRequestRetryBackoffLimit(2).withRequestRetryBackoffInterval(10).build()).build();
    var settings = new ConfigMapBuilder().withNewMetadata().withName("settings").endMetadata().build();
    cluster.requests();

    KubernetesClientException e = assertTimeoutPreemptively(Duration.ofMinutes(1), () -> assertThrows(
        KubernetesClientException.class, () -> client.configMaps().inNamespace("shop").resource(settings).create()));

    assertEquals(429, e.getCode());
    assertEquals(3, count("POST", CONFIG_MAPS), "its own 2 retries, 10 and 20 ms after, not a day after");
    assertNull(Errors.retryAfter(e.getStatus()), "a header without a Status detail never reaches the caller");
  }

  @Test
  void aServerThatAsksToWaitADayFailsTheStepAtOnceSayingWhatItAsked() throws Exception {
    faults.on("POST", CONFIG_MAPS, Integer.MAX_VALUE, () -> tooManyRequests(86_400));
    List<Duration> waits = new CopyOnWriteArrayList<>();
    Reconciler web = reconciler(strictClient(), ApplyOptions.defaults().withSleeper(waits::add)); // 5 tries, 10 s apart at most
    cluster.requests();

    ApplyReport report = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> web.reconcile(null)).report();

    String text = report.toString();
    assertTrue(text.contains("failed create ConfigMap/shop/settings: ConfigMap/shop/settings: write failed: HTTP 429:"
        + " too many requests, please try again later (Retry-After: 86400 s); not tried again: the target asked to"
        + " wait 86400 s before trying again, longer than this apply waits between attempts (at most 10 s)"), text);
    assertTrue(text.contains("skipped create Service/shop/web: an earlier wave failed"), text);
    assertEquals(1, count("POST", CONFIG_MAPS), "sent once: no retry can wait as asked");
    assertEquals(List.of(), waits, "no wait at all");
    assertNull(cluster.client().configMaps().inNamespace("shop").withName("settings").get());
  }

  @Test
  void aServerThatAsksForAShortWaitIsWaitedOutAsItAsked() throws Exception {
    faults.on("POST", CONFIG_MAPS, 2, () -> tooManyRequests(3));
    List<Duration> waits = new CopyOnWriteArrayList<>();
    Reconciler web = reconciler(strictClient(), ApplyOptions.defaults().withSleeper(waits::add));
    cluster.requests();

    ok(web.reconcile(null));

    assertEquals(3, count("POST", CONFIG_MAPS));
    assertEquals(List.of(Duration.ofSeconds(3), Duration.ofSeconds(3)), waits.subList(0, 2), "as asked, not the 100"
        + " to 400 ms of the backoff (health polls follow)");
  }

  @Test
  void serverErrorsAreRetriedAndAPersistentOneFailsItsStepAndStopsTheLaterWaves() throws Exception {
    faults.on("POST", CONFIG_MAPS, 1, () -> status(500, "InternalError", "etcdserver: request timed out"))
        .on("POST", SERVICES, 3, () -> status(503, "ServiceUnavailable", "the server is shutting down"));
    Reconciler web = reconciler(strictClient(), 3);
    cluster.requests();

    ApplyReport report = web.reconcile(null).report();

    assertFalse(report.isSuccess());
    assertTrue(report.outcomes().get(0) instanceof Outcome.Applied, "the ConfigMap, at its second attempt: " + report);
    assertEquals(3, count("POST", SERVICES), "three attempts at the Service");
    String text = report.toString();
    assertTrue(text.contains("failed create Service/shop/web: Service/shop/web: write failed: HTTP 503: the server is"
        + " shutting down"), text);
    assertTrue(text.contains("skipped create apps/Deployment/shop/web: an earlier wave failed"), text);
    ok(web.reconcile(null));
    assertTrue(ok(web.reconcile(null)).plan().isEmpty(), "converged once the server is back");
  }

  @Test
  void forbiddenOnOneKindNamesItAndTheReportSaysWhatWasNotApplied() throws Exception {
    String denied = "services is forbidden: User \\\"system:serviceaccount:ci:deployer\\\" cannot create resource"
        + " \\\"services\\\" in API group \\\"\\\" in the namespace \\\"shop\\\"";
    faults.on("POST", SERVICES, Integer.MAX_VALUE, () -> status(403, "Forbidden", denied));
    Reconciler web = reconciler(cluster.client(), 5);
    cluster.requests();

    ApplyReport report = web.reconcile(null).report();

    String text = report.toString();
    assertTrue(text.startsWith("Applied: 1 applied, 0 unchanged, 1 failed, 1 skipped"), text);
    assertTrue(text.contains("failed create Service/shop/web: Service/shop/web: write failed: HTTP 403: services is"
        + " forbidden: User"), text);
    assertTrue(text.contains("skipped create apps/Deployment/shop/web: an earlier wave failed"), text);
    assertEquals(1, count("POST", SERVICES), "a refusal is not retried");
  }

  @Test
  void forbiddenToListOneKindRefusesTheReadNamingItBeforeAnyWrite() throws Exception {
    faults.on("GET", "/api/v1/services?", Integer.MAX_VALUE, () -> status(403, "Forbidden",
        "services is forbidden: User \\\"ci\\\" cannot list resource \\\"services\\\" in API group \\\"\\\" at the"
            + " cluster scope"));
    Reconciler web = reconciler(cluster.client(), 5);
    cluster.requests();

    TargetException e = assertThrows(TargetException.class, () -> web.reconcile(null));

    assertTrue(e.getMessage().contains("cannot read the cluster: HTTP 403: services is forbidden"), e.getMessage());
    assertFalse(e.retryable());
    assertEquals(List.of(), MockKubernetes.writes(cluster.requests()), "nothing written");
  }

  @Test
  void aConflictOnUpdateSkipsTheStepAsStaleAndTheNextRunConverges() throws Exception {
    Reconciler web = reconciler(cluster.client(), 5);
    ok(web.reconcile(null));
    Files.writeString(repo.resolve("app.yaml"), APP.replace("mode: a", "mode: b"));
    Plan plan = web.plan(null);
    cluster.client().configMaps().inNamespace("shop").withName("settings")
        .edit(cm -> { cm.getData().put("mode", "by-hand"); return cm; }); // after the plan

    ApplyReport report = new Applier().apply(plan, web.target(), ApplyOptions.defaults().withSleeper(d -> { }));

    assertEquals(1, report.stale().size(), report.toString());
    assertTrue(report.toString().contains("stale:"), report.toString());
    assertEquals("by-hand", cluster.client().configMaps().inNamespace("shop").withName("settings").get().getData()
        .get("mode"), "the newer object is not overwritten");
    ok(web.reconcile(null));
    assertEquals("b", cluster.client().configMaps().inNamespace("shop").withName("settings").get().getData()
        .get("mode"));
  }

  @Test
  void aResponseThatNeverComesTimesOutAndIsTriedAgainOnceReadBackAbsent() throws Exception {
    faults.on("POST", CONFIG_MAPS, 1, () -> new MockResponse().setResponseCode(201).setBody("{}")
        .setBodyDelay(Duration.ofMinutes(10))); // and not stored
    Reconciler web = reconciler(strictClient(), 2);
    cluster.requests();

    ReconcileResult result = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> web.reconcile(null));

    assertTrue(result.report().isSuccess(), result.report().toString());
    String create = "POST " + CONFIG_MAPS + "?fieldManager=gitops";
    List<String> settings = cluster.requests().stream().filter(r -> r.startsWith("POST " + CONFIG_MAPS)
        || r.startsWith("GET " + CONFIG_MAPS + "/settings")).toList();
    assertEquals(List.of(create, "GET " + CONFIG_MAPS + "/settings", create),
        settings.subList(settings.indexOf(create), settings.size()), "sent again only once read back absent");
    faults.on("GET", "/api/v1/configmaps?", 1, () -> new MockResponse().setResponseCode(200).setBody("{}")
        .setBodyDelay(Duration.ofMinutes(10)));
    TargetException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> assertThrows(TargetException.class, () -> web.reconcile(null)));
    assertTrue(e.getMessage().contains("cannot reach the Kubernetes API server at ")
        && e.getMessage().contains("timeout"), e.getMessage());
    assertTrue(e.retryable());
  }
}
