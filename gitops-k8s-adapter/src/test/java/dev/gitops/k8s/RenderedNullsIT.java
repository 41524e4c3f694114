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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chart's unset values printed as null, applied server-side (the default) on the API server
 * stand-in. A claim's {@code storageClassName:} null is the DefaultStorageClass plugin's class,
 * never gitops's; a class Git set is kept once set.
 */
class RenderedNullsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
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
