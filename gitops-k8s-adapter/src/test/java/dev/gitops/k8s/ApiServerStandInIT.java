package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.k8s.ServerObjects.Pair;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The API server stand-in checked against the corpus and at the request level: applying a
 * corpus manifest gives back the corpus's live object (spec, metadata and what {@code gitops}
 * owns; ignoring what controllers, allocators and the clock add); a no-op apply stores nothing;
 * conflicts come per field; a field another manager co-owns survives its removal from the
 * applied configuration.
 */
class ApiServerStandInIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Pairs whose live object is what applying the manifest gives, plus controllers' status. */
  private static final List<String> FRESH_APPLIES = List.of("01", "02", "03", "04", "05", "06", "07",
      "08", "09", "10", "11", "12", "13", "14", "15", "17", "22", "38", "39", "41", "42", "43", "49", "50", "51",
      "53", "54", "55", "58", "59", "91", "200", "201",
      "52", "74", "102", "103"); // a Job, a CRD, a webhook configuration, an APIService: ServerDefaults' later kinds
  private static final Map<String, String> PLURALS = Map.ofEntries(Map.entry("Deployment", "deployments"),
      Map.entry("DaemonSet", "daemonsets"), Map.entry("StatefulSet", "statefulsets"),
      Map.entry("CronJob", "cronjobs"), Map.entry("ConfigMap", "configmaps"), Map.entry("Secret", "secrets"),
      Map.entry("Service", "services"), Map.entry("ClusterRole", "clusterroles"),
      Map.entry("Namespace", "namespaces"), Map.entry("ServiceAccount", "serviceaccounts"),
      Map.entry("HorizontalPodAutoscaler", "horizontalpodautoscalers"),
      Map.entry("NetworkPolicy", "networkpolicies"), Map.entry("ClusterRoleBinding", "clusterrolebindings"),
      Map.entry("StorageClass", "storageclasses"), Map.entry("Job", "jobs"),
      Map.entry("CustomResourceDefinition", "customresourcedefinitions"),
      Map.entry("MutatingWebhookConfiguration", "mutatingwebhookconfigurations"), Map.entry("APIService", "apiservices"));
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud(new ApiServerStandIn());

  @TestFactory
  Stream<DynamicTest> applyingACorpusManifestGivesTheCorpusLiveObject() {
    return ServerObjects.all().stream().filter(p -> FRESH_APPLIES.contains(p.number()))
        .map(p -> DynamicTest.dynamicTest(p.file(), () -> {
          try (MockKubernetes fresh = MockKubernetes.crud(new ApiServerStandIn())) { // a fresh object: an update keeps earlier defaults
            String path = path(p.live());
            Response r = apply(fresh, path, ServerObjectsTest.applied(p), "gitops", false);
            assertTrue(r.code() == 200 || r.code() == 201, r.toString());
            assertEquals(comparable(p.live()), comparable(get(fresh, path)));
          }
        }));
  }

  @Test
  void secondApplyOfTheSameConfigurationStoresNothing() throws Exception {
    Pair p = pair("03");
    String path = path(p.live());
    apply(path, ServerObjectsTest.applied(p), "gitops", false);
    String version = get(path).path("metadata").path("resourceVersion").asText();
    Response again = apply(path, ServerObjectsTest.applied(p), "gitops", false);
    assertEquals(200, again.code());
    assertEquals(version, get(path).path("metadata").path("resourceVersion").asText());
  }

  @Test
  void anotherManagersValueIsAConflictPerFieldAndForceTakesIt() throws Exception {
    Pair p = pair("45");
    String path = path(p.live());
    apply(path, ServerObjectsTest.applied(p), "gitops", false);
    ObjectNode scale = JSON.createObjectNode().put("apiVersion", "apps/v1").put("kind", "Deployment");
    scale.putObject("metadata").put("name", "web").put("namespace", "shop");
    scale.putObject("spec").put("replicas", 7);
    assertEquals(200, apply(path, scale, "autoscaler", true).code());

    Response refused = apply(path, ServerObjectsTest.applied(p), "gitops", false);
    assertEquals(409, refused.code());
    JsonNode cause = refused.body().path("details").path("causes").get(0);
    assertEquals(".spec.replicas", cause.path("field").asText(), refused.toString());
    assertTrue(cause.path("message").asText().contains("\"autoscaler\""), refused.toString());
    assertEquals(7, get(path).path("spec").path("replicas").asInt());

    assertEquals(200, apply(path, ServerObjectsTest.applied(p), "gitops", true).code());
    assertEquals(4, get(path).path("spec").path("replicas").asInt());
  }

  @Test
  void aFieldLeavesOnlyWhenNoOtherManagerOwnsIt() throws Exception {
    Pair p = pair("24");
    String path = path(p.live());
    ObjectNode withTier = ServerObjectsTest.applied(p);
    withTier.with("metadata").with("labels").put("tier", "frontend").put("team", "payments");
    apply(path, withTier, "gitops", false);
    ObjectNode team = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
    team.putObject("metadata").put("name", "web-settings").put("namespace", "shop")
        .putObject("labels").put("team", "payments");
    apply(path, team, "kubectl-label", false); // same value: shared, no conflict

    apply(path, ServerObjectsTest.applied(p), "gitops", false); // neither tier nor team any more
    JsonNode labels = get(path).path("metadata").path("labels");
    assertFalse(labels.has("tier"), labels.toString());
    assertEquals("payments", labels.path("team").asText(), labels.toString());
  }

  @Test
  void theServiceAccountTokenIsMountedInEveryInitContainerAndContainer() throws Exception {
    Pair p = pair("62");
    String path = "/api/v1/namespaces/shop/pods/migrate";
    assertEquals(201, apply(path, ServerObjectsTest.applied(p), "gitops", false).code());
    JsonNode spec = get(path).path("spec");
    String volume = spec.path("volumes").path(0).path("name").asText();
    assertTrue(volume.startsWith("kube-api-access-") && spec.path("volumes").size() == 1, spec.toString());
    for (String list : List.of("initContainers", "containers")) {
      JsonNode mounts = spec.path(list).path(0).path("volumeMounts");
      assertEquals(1, mounts.size(), list + ": " + mounts);
      assertEquals(volume, mounts.path(0).path("name").asText(), list + ": " + mounts);
      assertEquals("/var/run/secrets/kubernetes.io/serviceaccount", mounts.path(0).path("mountPath").asText());
    }
  }

  private static Pair pair(String number) {
    return ServerObjects.all().stream().filter(p -> p.number().equals(number)).findFirst().orElseThrow();
  }

  /** What a fresh apply decides: no ids, times, controller annotations, status, allocated addresses or other managers. */
  private static JsonNode comparable(JsonNode object) {
    ObjectNode o = object.deepCopy();
    for (String at : List.of("/spec/selector/matchLabels", "/spec/template/metadata/labels")) {
      if (o.at(at) instanceof ObjectNode labels) { // a Job's generated selector and labels: each its own uid
        for (String key : List.of("controller-uid", "batch.kubernetes.io/controller-uid")) {
          if (labels.has(key)) {
            labels.put(key, "(uid)");
          }
        }
      }
    }
    o.remove("status");
    ObjectNode m = (ObjectNode) o.get("metadata");
    m.remove(List.of("uid", "resourceVersion", "creationTimestamp", "generation"));
    if (m.get("annotations") instanceof ObjectNode a) {
      a.remove("deployment.kubernetes.io/revision");
      if (a.isEmpty()) {
        m.remove("annotations");
      }
    }
    var entries = m.withArray("managedFields");
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (!entries.get(i).path("manager").asText().equals("gitops")) {
        entries.remove(i);
      } else {
        ((ObjectNode) entries.get(i)).remove("time");
      }
    }
    if (o.path("kind").asText().equals("Service")) {
      ObjectNode spec = (ObjectNode) o.get("spec");
      spec.remove(List.of("clusterIP", "clusterIPs"));
      spec.path("ports").forEach(port -> ((ObjectNode) port).remove("nodePort"));
    }
    return o;
  }

  private static String path(JsonNode live) {
    String apiVersion = live.path("apiVersion").asText();
    String base = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
    String ns = live.path("metadata").path("namespace").asText("");
    return base + (ns.isEmpty() ? "" : "/namespaces/" + ns) + "/" + PLURALS.get(live.path("kind").asText())
        + "/" + live.path("metadata").path("name").asText();
  }

  /**
   * A response's code and body.
   *
   * @param code HTTP status
   * @param body parsed body
   */
  record Response(int code, JsonNode body) {}

  private Response apply(String path, JsonNode body, String manager, boolean force) throws Exception {
    return apply(cluster, path, body, manager, force);
  }

  private static Response apply(MockKubernetes cluster, String path, JsonNode body, String manager, boolean force)
      throws Exception {
    String url = cluster.client().getMasterUrl().toString().replaceAll("/+$", "") + path
        + "?fieldManager=" + manager + (force ? "&force=true" : "");
    HttpRequest request = cluster.client().getHttpClient().newHttpRequestBuilder().uri(url)
        .method("PATCH", "application/apply-patch+yaml", JSON.writeValueAsString(body)).build();
    HttpResponse<String> r = cluster.client().getHttpClient().sendAsync(request, String.class).get();
    return new Response(r.code(), r.body() == null || r.body().isEmpty() ? null : JSON.readTree(r.body()));
  }

  private JsonNode get(String path) throws Exception {
    return get(cluster, path);
  }

  private static JsonNode get(MockKubernetes cluster, String path) throws Exception {
    return JSON.readTree(cluster.client().raw(cluster.client().getMasterUrl().toString().replaceAll("/+$", "") + path));
  }
}
