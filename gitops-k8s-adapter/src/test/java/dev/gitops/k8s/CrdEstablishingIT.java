package dev.gitops.k8s;

import static dev.gitops.k8s.Fixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.apply.ApplyReport;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CRD and its custom resources in one apply. A real API server serves the new kind only once the
 * CRD is {@code Established}: before, every request under its group answers 404 (a POST of a CR
 * too). The apply waits for {@code Established} between the waves (bounded by the health wait,
 * with an error naming what it waited for), and a CRD whose names are refused
 * ({@code NamesAccepted} False) fails at once with the server's reason and message.
 */
class CrdEstablishingIT {
  private static final String CRD = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gateways.example.com";

  /**
   * The CRUD mock as the API server and its establishing controller: {@code /apis/example.com}
   * answers 404 until the CRD is Established, which it becomes at the {@code after}-th read of the
   * created CRD; with {@code conflict}, its names are refused instead, as the naming controller
   * refuses a short name another CRD holds.
   */
  static final class Establishing extends KubernetesCrudDispatcher {
    private final int after;
    private final boolean conflict;
    /** Established after this many POSTs under its group were refused, whatever was read. */
    volatile int afterRefusedPosts = Integer.MAX_VALUE;
    private final AtomicInteger refusedPosts = new AtomicInteger();
    private final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    private volatile boolean established;

    Establishing(int after, boolean conflict) {
      this.after = after;
      this.conflict = conflict;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath();
      if (path.startsWith("/apis/example.com") && !established) {
        refused.incrementAndGet();
        if ("POST".equals(request.getMethod()) && refusedPosts.incrementAndGet() == afterRefusedPosts) {
          settle(request);
        }
        return new MockResponse().setResponseCode(404).setBody("""
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find \
            the requested resource","reason":"NotFound","details":{},"code":404}""");
      }
      MockResponse answer = super.dispatch(request);
      if ("GET".equals(request.getMethod()) && path.equals(CRD) && answer.getStatus().contains(" 200")
          && reads.incrementAndGet() == after) {
        settle(request);
      }
      return answer;
    }

    /** Writes the conditions the naming and establishing controllers would. */
    private void settle(RecordedRequest request) {
      ObjectNode crd = (ObjectNode) Json.parse(new String(handleGet(CRD).getBody().getBytes(), StandardCharsets.UTF_8));
      ArrayNode conditions = crd.with("status").putArray("conditions");
      if (conflict) {
        conditions.addObject().put("type", "NamesAccepted").put("status", "False").put("reason", "ShortNamesConflict")
            .put("message", "\"gw\" is already in use");
        conditions.addObject().put("type", "Established").put("status", "False").put("reason", "NotAccepted")
            .put("message", "not all names are accepted");
      } else {
        conditions.addObject().put("type", "NamesAccepted").put("status", "True").put("reason", "NoConflicts");
        conditions.addObject().put("type", "Established").put("status", "True").put("reason", "InitialNamesAccepted");
      }
      handleUpdate(new RecordedRequest(request.getHttpVersion(), HttpMethod.PUT, CRD, request.getHeaders(),
          new Buffer(Json.write(crd).getBytes(StandardCharsets.UTF_8))));
      established = !conflict;
    }
  }

  @TempDir Path repo;
  private MockKubernetes cluster;

  @AfterEach
  void close() {
    cluster.close();
  }

  /** The CRD and one Gateway, applied with a health wait of {@code wait}; polls do not sleep. */
  private Reconciler reconciler(Establishing server, Duration wait) throws Exception {
    cluster = MockKubernetes.crud(server);
    Files.writeString(repo.resolve("app.yaml"), Fixtures.GATEWAY_CRD.replace("plural: gateways}",
        "plural: gateways, shortNames: [gw]}") + """
        apiVersion: example.com/v1
        kind: Gateway
        metadata: {name: edge, namespace: shop}
        spec: {listeners: [{name: http, port: 80, protocol: TCP}]}
        """);
    KubernetesTarget target = KubernetesTarget.of(cluster.client(), KubernetesTarget.Options.defaults()
        .withStrategy(ApplyStrategy.JSON_PATCH));
    return Reconciler.builder().name("web").source(DirectorySource.of(repo)).loader(new ManifestLoader())
        .target(target).planOptions(target.planDefaults()).prune(true)
        .applyOptions(ApplyOptions.defaults().withHealthWait(wait, Duration.ZERO).withSleeper(d -> { })).build();
  }

  private long gatewayPosts() {
    return cluster.requests().stream().filter(r -> r.startsWith("POST /apis/example.com/")).count();
  }

  @Test
  void theCustomResourcesWaitUntilTheirCrdIsEstablished() throws Exception {
    Establishing server = new Establishing(3, false);
    Reconciler web = reconciler(server, Duration.ofSeconds(30));

    ok(assertTimeoutPreemptively(Duration.ofSeconds(60), () -> web.reconcile(null)));

    assertEquals(1, gatewayPosts(), "one POST of the Gateway, once its kind is served");
    assertEquals(0, cluster.client().genericKubernetesResources("example.com/v1", "Gateway").inNamespace("shop")
        .list().getItems().stream().filter(g -> !"edge".equals(g.getMetadata().getName())).count());
    assertTrue(ok(web.reconcile(null)).plan().isEmpty(), "converged");
  }

  @Test
  void aCustomResourceRefusedWhileItsCrdIsNotYetEstablishedIsTriedAgainWithinTheApplysRetries() throws Exception {
    Establishing server = new Establishing(Integer.MAX_VALUE, false);
    Reconciler web = reconciler(server, Duration.ofSeconds(30));
    Files.writeString(repo.resolve("crd.yaml"), Files.readString(repo.resolve("app.yaml")).split("---\n")[0]);
    cluster.client().load(Files.newInputStream(repo.resolve("crd.yaml"))).create(); // another tool's, just created
    Files.writeString(repo.resolve("app.yaml"), Files.readString(repo.resolve("app.yaml")).split("---\n")[1]);
    Files.delete(repo.resolve("crd.yaml"));
    server.afterRefusedPosts = 2; // the first POST and the one after it meet 404

    ok(assertTimeoutPreemptively(Duration.ofSeconds(60), () -> web.reconcile(null)));

    assertEquals(3, gatewayPosts(), "created at the third attempt");
  }

  @Test
  void aCrdThatIsNeverEstablishedFailsAfterTheHealthWaitNamingWhatItWaitedFor() throws Exception {
    Establishing server = new Establishing(Integer.MAX_VALUE, false);
    Reconciler web = reconciler(server, Duration.ofSeconds(1));

    ApplyReport report = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> web.reconcile(null)).report();

    String text = report.toString();
    assertTrue(text.contains("apiextensions.k8s.io/CustomResourceDefinition//gateways.example.com: not healthy after 1 s,"
        + " still waiting for: waiting for the CustomResourceDefinition to be Established"), text);
    assertTrue(text.contains("skipped create example.com/Gateway/shop/edge: an earlier wave failed"), text);
    assertEquals(0, gatewayPosts(), "nothing sent to a kind not served");
  }

  @Test
  void aCrdWhoseNamesAreRefusedFailsAtOnceWithTheServersReason() throws Exception {
    Establishing server = new Establishing(2, true);
    Reconciler web = reconciler(server, Duration.ofMinutes(10));

    ApplyReport report = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> web.reconcile(null)).report();

    String text = report.toString();
    assertTrue(text.contains("degraded: names not accepted (ShortNamesConflict): \"gw\" is already in use"), text);
    assertFalse(text.contains("not healthy after"), "not a timeout: " + text);
    assertTrue(text.contains("skipped create example.com/Gateway/shop/edge: an earlier wave failed"), text);
    assertEquals(0, gatewayPosts());
  }
}
