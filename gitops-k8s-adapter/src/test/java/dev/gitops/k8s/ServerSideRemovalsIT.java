package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanOptions;
import dev.gitops.plan.Planner;
import dev.gitops.target.Scope;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Removals under {@link ApplyStrategy#SERVER_SIDE}, at the request level (the mock in expectation
 * mode serves what a real server would: the objects with their {@code managedFields}): a label, a
 * container port and a ConfigMap key that left Git, and that the manager {@code gitops} owns, are
 * exactly the removals the plan shows, and the apply patches lack them, so server-side apply
 * removes them.
 */
class ServerSideRemovalsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SELECTOR = "?labelSelector=gitops.dev%2Fowner%3Dweb";
  private static final String CM = "/api/v1/namespaces/default/configmaps/settings";
  private static final String DEPLOY = "/apis/apps/v1/namespaces/default/deployments/web";
  @AutoClose private final MockKubernetes mock = MockKubernetes.expectations();
  private final KubernetesMockServer server = mock.server();
  private final KubernetesClient client = mock.client();

  private static final String LIVE_CM = """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: settings
        namespace: default
        resourceVersion: "31"
        labels: {app: web, x: old, app.kubernetes.io/managed-by: gitops, gitops.dev/owner: web}
        managedFields:
        - manager: gitops
          operation: Apply
          apiVersion: v1
          fieldsType: FieldsV1
          fieldsV1:
            f:data: {f:a: {}, f:b: {}}
            f:metadata:
              f:labels: {f:app: {}, f:x: {}, f:app.kubernetes.io/managed-by: {}, f:gitops.dev/owner: {}}
      data: {a: "1", b: "2"}
      """;

  private static final String LIVE_DEPLOY = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: default
        resourceVersion: "32"
        labels: {app.kubernetes.io/managed-by: gitops, gitops.dev/owner: web}
        managedFields:
        - manager: gitops
          operation: Apply
          apiVersion: apps/v1
          fieldsType: FieldsV1
          fieldsV1:
            f:metadata: {f:labels: {f:app.kubernetes.io/managed-by: {}, f:gitops.dev/owner: {}}}
            f:spec:
              f:selector: {}
              f:template:
                f:metadata: {f:labels: {f:app: {}}}
                f:spec:
                  f:containers:
                    k:{"name":"web"}:
                      .: {}
                      f:name: {}
                      f:image: {}
                      f:ports:
                        k:{"containerPort":8080,"protocol":"TCP"}: {.: {}, f:containerPort: {}}
                        k:{"containerPort":9090,"protocol":"TCP"}: {.: {}, f:containerPort: {}, f:name: {}}
      spec:
        replicas: 1
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - name: web
              image: web:1
              imagePullPolicy: IfNotPresent
              ports:
              - {containerPort: 8080, protocol: TCP}
              - {containerPort: 9090, name: metrics, protocol: TCP}
      """;

  private static String list(String kind, String item) throws Exception {
    ObjectNode list = JSON.createObjectNode().put("kind", kind + "List").put("apiVersion", "v1");
    list.putObject("metadata").put("resourceVersion", "40");
    list.putArray("items").add(SchemaDiffs.yaml(item));
    return JSON.writeValueAsString(list);
  }

  @Test
  void aRemovedLabelPortAndKeyAreExactlyTheRemovalsAndThePatchesLackThem() throws Exception {
    server.expect().get().withPath("/api/v1/configmaps" + SELECTOR).andReturn(200, list("ConfigMap", LIVE_CM)).always();
    server.expect().get().withPath("/apis/apps/v1/deployments" + SELECTOR).andReturn(200, list("Deployment", LIVE_DEPLOY)).always();
    server.expect().patch().withPath(CM + "?fieldManager=gitops")
        .andReturn(200, JSON.writeValueAsString(SchemaDiffs.yaml(LIVE_CM))).once();
    server.expect().patch().withPath(DEPLOY + "?fieldManager=gitops")
        .andReturn(200, JSON.writeValueAsString(SchemaDiffs.yaml(LIVE_DEPLOY))).once();
    Resource cm = resource(ResourceId.of("ConfigMap", "default", "settings"), """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: default, labels: {app: web}}
        data: {a: "1"}
        """);
    Resource deploy = resource(new ResourceId("apps", "Deployment", "default", "web"), """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: default}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web
                image: web:1
                ports:
                - containerPort: 8080
        """);
    KubernetesTarget target = KubernetesTarget.of(client);
    DesiredState desired = DesiredState.of(List.of(cm, deploy));

    Plan plan = new Planner().plan(desired, target.read(Scope.of("web", Set.of(cm.id(), deploy.id()))),
        PlanOptions.defaults().withOwner("web").withDiff(KubernetesDiff.options(target.schema())));

    Map<String, List<String>> removals = new TreeMap<>();
    for (Action a : plan.actions()) {
      if (a instanceof Action.Update u) {
        removals.put(a.id().toString(), u.diff().changes().stream()
            .map(c -> c.op() + " " + c.path()).collect(Collectors.toList()));
      }
    }
    assertEquals(Map.of("ConfigMap/default/settings", List.of("REMOVE /data/b", "REMOVE /metadata/labels/x"),
        "apps/Deployment/default/web", List.of("REMOVE /spec/template/spec/containers/0/ports/1")),
        removals, plan.render());
    for (Action a : plan.actions()) {
      target.apply(a, "web");
    }
    Map<String, JsonNode> patches = patches(server.getRequestCount()); // reads, then the patches
    assertEquals(Set.of(CM + "?fieldManager=gitops", DEPLOY + "?fieldManager=gitops"), patches.keySet());
    JsonNode cmBody = patches.get(CM + "?fieldManager=gitops");
    assertEquals(SchemaDiffs.yaml("{a: \"1\"}"), cmBody.get("data"), cmBody.toString());
    assertFalse(cmBody.path("metadata").path("labels").has("x"), cmBody.toString());
    assertEquals("web", cmBody.path("metadata").path("labels").path("app").asText());
    JsonNode ports = patches.get(DEPLOY + "?fieldManager=gitops").at("/spec/template/spec/containers/0/ports");
    assertEquals(JSON.readTree("[{\"containerPort\":8080}]"), ports);
    assertTrue(patches.values().stream().allMatch(b -> !b.path("metadata").path("annotations")
        .has(KubernetesTarget.APPLIED_ANNOTATION)), "server-side apply keeps no record of its own");
  }

  private static Resource resource(ResourceId id, String yaml) {
    return Resource.of(id, Content.tree(SchemaDiffs.yaml(yaml)));
  }

  /** The bodies of the PATCH requests among the first {@code n} requests, by path. */
  private Map<String, JsonNode> patches(int n) throws Exception {
    Map<String, JsonNode> out = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
      if (r != null && r.getMethod().equals("PATCH")) {
        assertTrue(r.getHeader("Content-Type").startsWith("application/apply-patch+yaml"));
        out.put(r.getPath(), JSON.readTree(r.getBody().readUtf8()));
      }
    }
    return out;
  }
}
