package dev.gitops.k8s;

import static dev.gitops.k8s.Fixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Problem;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chart's unset values printed as null, applied server-side (the default) on the API server
 * stand-in. A port's {@code protocol:} is a key field of its keyed list: structured-merge-diff keys
 * an element by a key field present as null as null, and one left out by the OpenAPI default
 * (TCP), the key of the element the server stores; so a body keeping the null would add a second
 * port 8080 at its next apply (refused by a real server for its repeated name). The body sent
 * leaves it out. A claim's {@code storageClassName:} null is the DefaultStorageClass plugin's class,
 * never gitops's; a class Git set is kept once set.
 */
class RenderedNullsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PORTS = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: checkout, namespace: shop}
      spec:
        selector: {matchLabels: {app: checkout}}
        template:
          metadata: {labels: {app: checkout}}
          spec:
            containers:
            - name: checkout
              image: ghcr.io/example/checkout:%s
              ports:
              - name: http
                containerPort: 8080
                protocol:
              - name: metrics
                containerPort: 9090
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: resolver, namespace: shop, labels: {release: "%1$s"}}
      spec:
        selector: {app: checkout}
        ports:
        - name: http
          port: 80
          targetPort: 8080
          protocol:
        - name: dns
          port: 53
          protocol: UDP
      """;
  private static final String GATEWAY = Fixtures.GATEWAY_CRD + """
      apiVersion: example.com/v1
      kind: Gateway
      metadata: {name: edge, namespace: shop, labels: {release: "%s"}}
      spec:
        listeners:
        - name: http
          port: 80
          protocol:
        - name: dns
          port: 53
          protocol: UDP
      """;
  private static final String CLAIMS = """
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata: {name: data, namespace: shop}
      spec:
        storageClassName:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
      ---
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata: {name: logs, namespace: shop}
      spec:
        storageClassName: %s
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
      """;
  @TempDir Path repo;
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud(new ApiServerStandIn());

  private Reconciler reconciler(String file, String text) throws Exception {
    Files.writeString(repo.resolve(file), text);
    KubernetesTarget target = KubernetesTarget.of(cluster.client());
    return Reconciler.builder().name("web").source(DirectorySource.of(repo)).loader(new ManifestLoader())
        .target(Fixtures.withControllers(target, cluster.client())).planOptions(target.planDefaults())
        .applyOptions(ApplyOptions.defaults().withSleeper(d -> { })).build();
  }

  @Test
  void aNullKeyFieldIsSentLeftOutSoEveryApplyMeetsTheElementTheServerStored() throws Exception {
    ok(reconciler("app.yaml", PORTS.formatted("1.8.2")).reconcile(null));
    List<JsonNode> bodies = applied(sent());
    assertEquals(2, bodies.size());
    for (JsonNode body : bodies) {
      JsonNode port = body.at(body.path("kind").asText().equals("Service") ? "/spec/ports/0"
          : "/spec/template/spec/containers/0/ports/0");
      assertFalse(port.has("protocol"), "sent as left out, not null nor TCP: " + port);
    }
    assertTrue(ok(reconciler("app.yaml", PORTS.formatted("1.8.2")).reconcile(null)).plan().isEmpty());
    assertEquals(List.of(), sent().stream().filter(r -> !r.getMethod().equals("GET")).map(RecordedRequest::getPath)
        .toList(), "nothing written");

    ok(reconciler("app.yaml", PORTS.formatted("1.8.3")).reconcile(null)); // a new image: both applied again
    assertEquals(2, applied(sent()).size());
    JsonNode deployment = get("/apis/apps/v1/namespaces/shop/deployments/checkout");
    assertEquals("ghcr.io/example/checkout:1.8.3", deployment.at("/spec/template/spec/containers/0/image").asText());
    assertEquals("[{\"containerPort\":8080,\"name\":\"http\",\"protocol\":\"TCP\"},"
        + "{\"containerPort\":9090,\"name\":\"metrics\",\"protocol\":\"TCP\"}]",
        deployment.at("/spec/template/spec/containers/0/ports").toString(), "one element per port, as stored");
    JsonNode owned = gitops(deployment).at("/f:spec/f:template/f:spec/f:containers/k:{\"name\":\"checkout\"}/f:ports");
    assertTrue(owned.has("k:{\"containerPort\":8080,\"protocol\":\"TCP\"}"), owned.toString());
    assertFalse(owned.path("k:{\"containerPort\":8080,\"protocol\":\"TCP\"}").has("f:protocol"), owned.toString());
    JsonNode service = get("/api/v1/namespaces/shop/services/resolver");
    assertEquals(2, service.at("/spec/ports").size(), service.at("/spec/ports").toString());
    assertTrue(ok(reconciler("app.yaml", PORTS.formatted("1.8.3")).reconcile(null)).plan().isEmpty());
  }

  /**
   * A custom resource keeps its nulls on load; its server prunes a null of a field that is not
   * nullable and applies the default, and refuses a keyed list with a repeated key under any write.
   */
  @Test
  void aCustomResourcesNullKeyFieldWithADefaultIsSentLeftOut() throws Exception {
    String sent = "[{\"name\":\"http\",\"port\":80},{\"name\":\"dns\",\"port\":53,\"protocol\":\"UDP\"}]";
    ok(reconciler("gateway.yaml", GATEWAY.formatted("1")).reconcile(null));
    assertEquals(List.of(sent), listenersSent(), "the null key field left out, so keyed by its default");
    assertTrue(ok(reconciler("gateway.yaml", GATEWAY.formatted("1")).reconcile(null)).plan().isEmpty());

    listenersSent();
    ok(reconciler("gateway.yaml", GATEWAY.formatted("2")).reconcile(null)); // applied again for its label
    assertEquals(List.of(sent), listenersSent());
    JsonNode gateway = get("/apis/example.com/v1/namespaces/shop/gateways/edge");
    assertEquals(2, gateway.at("/spec/listeners").size(), gateway.at("/spec/listeners").toString());
    JsonNode owned = gitops(gateway).at("/f:spec/f:listeners");
    assertTrue(owned.has("k:{\"port\":80,\"protocol\":\"TCP\"}"), owned.toString());
    assertTrue(ok(reconciler("gateway.yaml", GATEWAY.formatted("2")).reconcile(null)).plan().isEmpty());
  }

  /** The listeners of the Gateway applies sent since the last look. */
  private List<String> listenersSent() throws Exception {
    return applied(sent()).stream().filter(b -> b.path("kind").asText().equals("Gateway"))
        .map(b -> b.at("/spec/listeners").toString()).toList();
  }

  @Test
  void aNullClassIsTheAdmissionPluginsAndAClassOnceSetIsKept() throws Exception {
    cluster.client().resource("""
        {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "provisioner": "rancher.io/local-path",
         "metadata": {"name": "standard", "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}}}
        """).create();
    ok(reconciler("claims.yaml", CLAIMS.formatted("fast")).reconcile(null));
    cluster.requests();
    JsonNode data = get("/api/v1/namespaces/shop/persistentvolumeclaims/data");
    assertEquals("standard", data.at("/spec/storageClassName").asText(), "the admission plugin's class");
    assertTrue(gitops(data).path("f:spec").has("f:accessModes"));
    assertFalse(gitops(data).path("f:spec").has("f:storageClassName"), "never gitops's");
    assertTrue(ok(reconciler("claims.yaml", CLAIMS.formatted("fast")).reconcile(null)).plan().isEmpty());
    assertEquals(List.of(), MockKubernetes.writes(cluster.requests()));

    for (String other : List.of("standard", "\"\"", "")) { // logs: fast, applied: another class, none, or null
      Reconciler next = reconciler("claims.yaml", CLAIMS.formatted(other));
      var e = assertThrows(InvalidDesiredStateException.class, () -> next.reconcile(null), other);
      List<String> problems = e.problems().stream().map(Problem::toString).toList();
      assertEquals(1, problems.size(), problems.toString());
      assertTrue(problems.get(0).startsWith("claims.yaml:9: PersistentVolumeClaim/shop/logs: spec.storageClassName"
          + " cannot change once the object exists"), problems.get(0));
      assertEquals(other.isEmpty(), problems.get(0).contains("left out of Git"), problems.get(0));
      assertEquals(List.of(), MockKubernetes.writes(cluster.requests()), "nothing written");
    }
    assertEquals("fast", get("/api/v1/namespaces/shop/persistentvolumeclaims/logs").at("/spec/storageClassName")
        .asText());
  }

  /** The requests sent since the last look, oldest first (not to be mixed with {@link MockKubernetes#requests()}). */
  private List<RecordedRequest> sent() throws InterruptedException {
    List<RecordedRequest> out = new ArrayList<>();
    for (RecordedRequest r; (r = cluster.server().takeRequest(1, TimeUnit.MILLISECONDS)) != null; ) {
      out.add(r);
    }
    return out;
  }

  /** The bodies of the server-side applies among {@code requests}. */
  private static List<JsonNode> applied(List<RecordedRequest> requests) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (RecordedRequest r : requests) {
      if (r.getMethod().equals("PATCH") && String.valueOf(r.getHeader("Content-Type")).startsWith("application/apply")) {
        out.add(JSON.readTree(r.getBody().getBytes()));
      }
    }
    return out;
  }

  /** The {@code fieldsV1} of {@code gitops}'s Apply entry. */
  private static JsonNode gitops(JsonNode object) {
    for (JsonNode e : object.at("/metadata/managedFields")) {
      if (e.path("manager").asText().equals("gitops") && e.path("operation").asText().equals("Apply")) {
        return e.path("fieldsV1");
      }
    }
    throw new AssertionError("no Apply entry of gitops: " + object.at("/metadata/managedFields"));
  }

  private JsonNode get(String path) throws Exception {
    return JSON.readTree(cluster.client().raw(cluster.client().getMasterUrl().toString().replaceAll("/+$", "") + path));
  }
}
