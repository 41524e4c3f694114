package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.Differ;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.Observed;
import dev.gitops.model.ResourceId;
import dev.gitops.target.Scope;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * A target reads its server's OpenAPI v3 (the CRUD mock serves none): the real Kubernetes 1.35
 * document of {@code apps/v1} from {@code ../shared/k8s-openapi} served through the mock in
 * expectation mode, changed in one place (a pod's {@code tolerations} keyed by {@code key}
 * instead of atomic), so that the diff shows which schema it used. Read once per target.
 */
class LiveOpenApiIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DOC = "/openapi/v3/apis/apps/v1?hash=0A1B2C";
  @AutoClose private final MockKubernetes mock = MockKubernetes.expectations();
  private final KubernetesMockServer server = mock.server();
  private final KubernetesClient client = mock.client();

  @Test
  void theServersDocumentDecidesHowAListMatches() throws Exception {
    Path apps = Fixtures.shared("k8s-openapi/v3/apis__apps__v1_openapi.json");
    ObjectNode doc = (ObjectNode) JSON.readTree(apps.toFile());
    ObjectNode tolerations = (ObjectNode) doc.at("/components/schemas/io.k8s.api.core.v1.PodSpec/properties/tolerations");
    tolerations.put("x-kubernetes-list-type", "map").putArray("x-kubernetes-list-map-keys").add("key");
    server.expect().get().withPath("/openapi/v3").andReturn(200,
        "{\"paths\":{\"apis/apps/v1\":{\"serverRelativeURL\":\"" + DOC + "\"}}}").once();
    server.expect().get().withPath(DOC).andReturn(200, JSON.writeValueAsString(doc)).once();
    ObjectNode live = SchemaDiffs.yaml(deployment("[{key: b, operator: Exists}, {key: a, operator: Exists}]"));
    live.with("metadata").put("resourceVersion", "3").with("labels").put(KubernetesTarget.OWNER_LABEL, "web");
    ObjectNode list = JSON.createObjectNode().put("kind", "DeploymentList").put("apiVersion", "apps/v1");
    list.putArray("items").add(live);
    server.expect().get().withPath("/apis/apps/v1/deployments?labelSelector=gitops.dev%2Fowner%3Dweb")
        .andReturn(200, JSON.writeValueAsString(list)).always();
    KubernetesTarget target = KubernetesTarget.of(client);
    ResourceId id = new ResourceId("apps", "Deployment", "shop", "web");
    Content desired = Content.tree(SchemaDiffs.yaml(deployment("[{key: a, operator: Exists}, {key: b, operator: Exists}]")));

    ActualState read = target.read(Scope.of("web", Set.of(id)));
    target.read(Scope.of("web", Set.of(id)));
    Observed observed = read.observed().iterator().next();

    ResourceDiff withServer = new Differ(KubernetesDiff.options(target.schema()))
        .diff(id, observed.resource().content(), desired, observed.lastApplied());
    assertTrue(withServer.isEmpty(), withServer.toString());
    ResourceDiff withTable = new Differ(KubernetesDiff.options())
        .diff(id, observed.resource().content(), desired, observed.lastApplied());
    assertEquals(2, withTable.changes().size(), "the table has tolerations atomic: " + withTable);
    List<String> openApi = mock.requests().stream().filter(r -> r.startsWith("GET /openapi")).toList();
    assertEquals(List.of("GET /openapi/v3", "GET " + DOC), openApi, "read once per target");
  }

  /**
   * A server that refuses its OpenAPI (RBAC without {@code nonResourceURLs: ["/openapi/*"]}) quotes the
   * user's name in its Status; the debug line handed fabric8's exception over, which printed it raw
   * with its stack trace. It says the answer escaped now, as every answer prints ({@link Errors#answer}).
   */
  @Test
  void aRefusedOpenApiIsLoggedByItsAnswerEscaped() throws Exception {
    server.expect().get().withPath("/openapi/v3").andReturn(403, """
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","reason":"Forbidden","code":403,        "message":"forbidden: User \\"dev\\n[WARN] forged\\u001b[2J\\" cannot get path \\"/openapi/v3\\""}
        """).once();
    server.expect().get().withPath("/apis/apps/v1/deployments?labelSelector=gitops.dev%2Fowner%3Dweb")
        .andReturn(200, "{\"kind\":\"DeploymentList\",\"apiVersion\":\"apps/v1\",\"items\":[]}").always();
    KubernetesTarget target = KubernetesTarget.of(client);
    ResourceId id = new ResourceId("apps", "Deployment", "shop", "web");
    String logged = DropsCluster.logged(() -> target.read(Scope.of("web", Set.of(id))));
    assertTrue(logged.contains("HTTP 403: forbidden: User \"dev\\n[WARN] forged\\x1b[2J\""), ResourceId.escape(logged));
    assertFalse(logged.contains("\n[WARN]") || logged.contains("\u001b"), ResourceId.escape(logged));
  }

  private static String deployment(String tolerations) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: web, image: web:1}]
              tolerations: %s
        """.formatted(tolerations);
  }
}
