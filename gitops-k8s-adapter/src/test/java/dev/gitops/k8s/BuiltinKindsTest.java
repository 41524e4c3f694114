package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The table of built-in kinds against the Kubernetes 1.35 OpenAPI documents of
 * {@code ../shared/k8s-openapi} (skipped when they are not there): every kind the API server lists
 * at a stable version is in the table with the scope, plural and a version the server serves, so
 * that a manifest of it is placed right without asking a cluster (a cluster-scoped kind read as
 * namespaced would be planned in namespace {@code default}). What the table holds beyond the
 * documents are the removed beta versions, kept so that their manifests are named as removed.
 */
class BuiltinKindsTest {
  /** What the documents say of a kind: its versions, plural and whether it is namespaced. */
  record Served(Set<String> versions, String plural, boolean namespaced) {}

  @Test
  void everyKindTheServerListsIsInTheTableAsItServesIt() {
    Map<String, Served> served = served();
    assertTrue(served.size() > 50 && served.containsKey("resource.k8s.io/ResourceSlice"), served.keySet().toString());
    List<String> wrong = new ArrayList<>();
    served.forEach((key, s) -> {
      String group = key.substring(0, key.indexOf('/'));
      KindInfo info = BuiltinKinds.find(group, key.substring(key.indexOf('/') + 1)).orElse(null);
      if (info == null) {
        wrong.add(key + ": not in the table (" + (s.namespaced() ? "namespaced" : "cluster-scoped") + ", "
            + s.versions() + ")");
      } else if (info.namespaced() != s.namespaced() || !info.plural().equals(s.plural())
          || !s.versions().contains(info.version())) {
        wrong.add(key + ": the table says " + info.version() + " " + info.plural() + (info.namespaced()
            ? " namespaced" : " cluster-scoped") + ", the server " + s.versions() + " " + s.plural()
            + (s.namespaced() ? " namespaced" : " cluster-scoped"));
      }
    });
    assertEquals(List.of(), wrong);
    for (KindInfo info : BuiltinKinds.all()) {
      assertTrue(served.containsKey(info.key()) || info.version().contains("beta"),
          info.key() + " " + info.version() + " is neither served nor a removed beta version");
    }
  }

  @Test
  void aClusterScopedKindNewToTheTableLoadsWithoutANamespace() {
    var desired = new ManifestLoader().load(dev.gitops.source.LoaderContract.snapshot("range.yaml", """
        apiVersion: networking.k8s.io/v1
        kind: ServiceCIDR
        metadata: {name: extra-range}
        spec: {cidrs: [10.100.0.0/16]}
        ---
        apiVersion: resource.k8s.io/v1
        kind: ResourceClaimTemplate
        metadata: {name: gpu, namespace: shop}
        spec: {spec: {devices: {requests: [{name: gpu, exactly: {deviceClassName: gpu.example.com}}]}}}
        """));
    assertEquals(Set.of("networking.k8s.io/ServiceCIDR//extra-range", "resource.k8s.io/ResourceClaimTemplate/shop/gpu"),
        new TreeSet<>(desired.byId().keySet().stream().map(id -> id.group() + "/" + id.kind() + "/"
            + id.namespace() + "/" + id.name()).toList()));
  }

  /** {@code group/Kind} of every kind a document lists (a collection path), as served. */
  static Map<String, Served> served() {
    Map<String, Served> out = new TreeMap<>();
    for (JsonNode document : OpenApiDocuments.all()) {
      document.path("paths").properties().forEach(p -> {
        JsonNode get = p.getValue().path("get");
        JsonNode gvk = get.path("x-kubernetes-group-version-kind");
        String path = p.getKey();
        if (!"list".equals(get.path("x-kubernetes-action").asText()) || path.contains("/watch/")) {
          return;
        }
        String key = gvk.path("group").asText() + "/" + gvk.path("kind").asText();
        String plural = path.substring(path.lastIndexOf('/') + 1);
        boolean namespaced = path.contains("/namespaces/{namespace}/");
        Served before = out.get(key);
        Set<String> versions = new TreeSet<>(before == null ? Set.of() : before.versions());
        versions.add(gvk.path("version").asText());
        out.put(key, new Served(versions, plural, namespaced || before != null && before.namespaced()));
      });
    }
    return out;
  }
}
