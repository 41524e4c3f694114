package dev.gitops.k8s;

import static dev.gitops.k8s.Fixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.ResourceId;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.source.LoaderContract;
import dev.gitops.target.TargetException;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery that fails for one aggregated API group ({@code metrics.k8s.io/v1beta1} answering 503,
 * its APIService's backend down) while the rest of the cluster answers: client-go reports that as a
 * partial {@code ErrGroupDiscoveryFailed} and kubectl warns and goes on. A desired state without
 * that group applies; one with it fails naming the group and writes nothing; a kind of that group
 * in the owner's inventory is neither forgotten nor pruned; discovery is asked again once the group
 * answers.
 */
class PartialDiscoveryIT {
  /** The CRUD mock with {@code metrics.k8s.io} served as the aggregator serves it: up, or down (503). */
  static final class AggregatedApi extends KubernetesCrudDispatcher {
    volatile boolean down = true;

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath();
      if (!path.startsWith("/apis/metrics.k8s.io")) {
        return super.dispatch(request);
      }
      if (path.equals("/apis/metrics.k8s.io")) { // answered by the aggregator itself, from the APIService
        return json("""
            {"kind":"APIGroup","apiVersion":"v1","name":"metrics.k8s.io","versions":[{"groupVersion":\
            "metrics.k8s.io/v1beta1","version":"v1beta1"}],"preferredVersion":{"groupVersion":"metrics.k8s.io/v1beta1",\
            "version":"v1beta1"}}""");
      }
      if (down) {
        return new MockResponse().setResponseCode(503).setBody("""
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server is currently \
            unable to handle the request","reason":"ServiceUnavailable","details":{"causes":[{"reason":\
            "UnexpectedServerResponse","message":"service unavailable"}]},"code":503}""");
      }
      return json(path.equals("/apis/metrics.k8s.io/v1beta1") ? """
          {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"metrics.k8s.io/v1beta1","resources":[\
          {"name":"nodes","singularName":"","namespaced":false,"kind":"NodeMetrics","verbs":["get","list"]},\
          {"name":"pods","singularName":"","namespaced":true,"kind":"PodMetrics","verbs":["get","list"]}]}"""
          : """
          {"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[]}""");
    }

    private static MockResponse json(String body) {
      return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(body);
    }
  }

  private static final String SETTINGS = """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings, namespace: shop}
      data: {mode: a}
      """;

  @TempDir Path repo;
  private final AggregatedApi api = new AggregatedApi();
  private final MockKubernetes cluster = MockKubernetes.crud(api);
  private final KubernetesClient client = ApiFaultsIT.strictClient(cluster);

  @AfterEach
  void close() {
    client.close();
    cluster.close();
  }

  private Reconciler reconciler(String manifests) throws Exception {
    Files.writeString(repo.resolve("app.yaml"), manifests);
    KubernetesTarget target = KubernetesTarget.of(client, KubernetesTarget.Options.defaults()
        .withStrategy(ApplyStrategy.JSON_PATCH));
    return Reconciler.builder().name("web").source(DirectorySource.of(repo))
        .loader(ManifestLoader.withDiscovery(client, "default")).target(target).planOptions(target.planDefaults())
        .prune(true).build();
  }

  private String inventory() {
    var cm = cluster.client().configMaps().inNamespace("default").withName("gitops-kinds-web").get();
    return cm == null ? "" : cm.getData().get("kinds");
  }

  @Test
  void aDesiredStateWithoutTheGroupAppliesAndItsInventoriedKindIsKept() throws Exception {
    cluster.client().configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
        .withName("gitops-kinds-web").withLabels(Map.of(KindInventory.LABEL, "web")).endMetadata()
        .withData(Map.of("kinds", "metrics.k8s.io/PodMetrics\n")).build()).create(); // applied by an earlier run
    Reconciler web = reconciler(SETTINGS);

    ok(web.reconcile(null));
    assertTrue(ok(web.reconcile(null)).plan().isEmpty(), "converged");

    assertEquals("a", cluster.client().configMaps().inNamespace("shop").withName("settings").get().getData().get("mode"));
    assertEquals("/ConfigMap\nmetrics.k8s.io/PodMetrics\n", inventory(), "a kind it could not read is not forgotten");
    api.down = false;
    ok(web.reconcile(null));
    assertEquals("/ConfigMap\n", inventory(), "forgotten once the group says no object of it is left");
  }

  @Test
  void aDesiredStateUsingTheGroupFailsNamingItAndWritesNothing() throws Exception {
    Reconciler web = reconciler(SETTINGS + """
        ---
        apiVersion: metrics.k8s.io/v1beta1
        kind: PodMetrics
        metadata: {name: web, namespace: shop}
        """);
    cluster.requests();

    TargetException e = assertThrows(TargetException.class, () -> web.reconcile(null));

    assertTrue(e.getMessage().contains("cannot read the cluster: kind PodMetrics of API group metrics.k8s.io: HTTP 503:"
        + " the server is currently unable to handle the request"), e.getMessage());
    assertTrue(e.retryable(), "it may answer at the next run");
    assertEquals(List.of(), MockKubernetes.writes(cluster.requests()), "nothing written");
  }

  @Test
  void discoveryThatFailedIsAskedAgainAtTheNextLoad() {
    ManifestLoader loader = ManifestLoader.withDiscovery(client, "default");
    var snapshot = LoaderContract.snapshot("metrics.yaml", """
        apiVersion: metrics.k8s.io/v1beta1
        kind: NodeMetrics
        metadata: {name: node-1}
        """);

    ResourceId guessed = loader.load(snapshot).resources().iterator().next().id();
    api.down = false;
    ResourceId discovered = loader.load(snapshot).resources().iterator().next().id();

    assertEquals("default", guessed.namespace(), "while the group fails: taken as namespaced, as documented");
    assertEquals("", discovered.namespace(), "cluster-scoped, as discovery says once it answers");
  }
}
