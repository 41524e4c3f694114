package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.Content;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * {@link ApplyStrategy#SERVER_SIDE} at the request level, with the mock in expectation mode (the
 * CRUD mock does not implement server-side apply): method, content type, field manager, force,
 * dry run and body; field conflicts reported per field.
 */
class ServerSideApplyIT {
  private static final String PATH = "/api/v1/namespaces/default/configmaps/settings";
  private static final ObjectMapper JSON = new ObjectMapper();
  @AutoClose private final MockKubernetes mock = MockKubernetes.expectations();
  private final KubernetesMockServer server = mock.server();
  private final KubernetesClient client = mock.client();

  @Test
  void appliesWithApplyPatchContentTypeFieldManagerAndForce() throws Exception {
    server.expect().patch().withPath(PATH + "?fieldManager=gitops&force=true")
        .andReturn(200, configMapJson("2")).once();
    KubernetesTarget target = KubernetesTarget.of(client,
        KubernetesTarget.Options.defaults().withForce(true));
    target.apply(new Action.Update(configMap(), ResourceDiff.none(configMap().id()), "version:1"), "web");

    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertEquals("PATCH", r.getMethod());
    assertEquals(PATH + "?fieldManager=gitops&force=true", r.getPath());
    assertTrue(r.getHeader("Content-Type").startsWith("application/apply-patch+yaml"),
        r.getHeader("Content-Type"));
    JsonNode body = JSON.readTree(r.getBody().readUtf8());
    assertEquals("blue", body.path("data").path("color").asText());
    assertEquals("web", body.path("metadata").path("labels").path(KubernetesTarget.OWNER_LABEL).asText());
    assertEquals("gitops", body.path("metadata").path("labels").path(KubernetesTarget.MANAGED_BY_LABEL).asText());
    assertFalse(body.path("metadata").path("annotations").has(KubernetesTarget.APPLIED_ANNOTATION),
        "server-side apply needs no last-applied record");
    assertEquals("1", body.path("metadata").path("resourceVersion").asText(),
        "the planned version is the precondition");
    assertEquals(1, server.getRequestCount(), "one request, no GET first");
  }

  @Test
  void dryRunSendsDryRunAllAndNoForceByDefault() throws Exception {
    server.expect().patch().withPath(PATH + "?fieldManager=gitops&dryRun=All")
        .andReturn(200, configMapJson("2")).once();
    KubernetesTarget target = KubernetesTarget.of(client,
        KubernetesTarget.Options.defaults().withDryRun(true));
    target.apply(new Action.Update(configMap(), ResourceDiff.none(configMap().id()), "version:1"), "web");
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertEquals("PATCH", r.getMethod());
    assertEquals(PATH + "?fieldManager=gitops&dryRun=All", r.getPath());
  }

  @Test
  void conflictsAreReportedPerField() {
    String status = "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"code\":409,"
        + "\"reason\":\"Conflict\",\"message\":\"Apply failed with 1 conflict\",\"details\":{\"causes\":["
        + "{\"reason\":\"FieldManagerConflict\",\"message\":\"conflict with \\\"kubectl\\\"\","
        + "\"field\":\".data.color\"}]}}";
    server.expect().patch().withPath(PATH + "?fieldManager=gitops").andReturn(409, status).once();
    KubernetesTarget target = KubernetesTarget.of(client);
    FieldConflictException e = assertThrows(FieldConflictException.class,
        () -> target.apply(new Action.Update(configMap(), ResourceDiff.none(configMap().id()),
            "version:1"), "web"));
    assertEquals(1, e.conflicts().size());
    assertTrue(e.conflicts().get(0).contains(".data.color"), e.getMessage());
    assertTrue(e.conflicts().get(0).contains("kubectl"), e.getMessage());
  }

  /**
   * The server's 409 (apimachinery's {@code internal/conflict.go} {@code NewConflictError}: one cause
   * per field, reason {@code FieldManagerConflict}, message {@code conflict with <printManager>},
   * field the path) reads as a {@code JSON_PATCH} conflict does: {@code <field> (manager <name>)};
   * the server's whole answer stays the cause.
   */
  @Test
  void serverSideConflictsReadAsJsonPatchConflictsDo() {
    String status = "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"code\":409,"
        + "\"reason\":\"Conflict\",\"message\":\"Apply failed with 2 conflicts: conflict with \\\"kubectl\\\" using v1:"
        + " .data.color\\nconflict with \\\"kubelet\\\" with subresource \\\"status\\\" using v1: .data.size\","
        + "\"details\":{\"causes\":["
        + "{\"reason\":\"FieldManagerConflict\",\"message\":\"conflict with \\\"kubectl\\\" using v1\",\"field\":\".data.color\"},"
        + "{\"reason\":\"FieldManagerConflict\",\"message\":\"conflict with \\\"kubelet\\\" with subresource"
        + " \\\"status\\\" using v1\",\"field\":\".data.size\"}]}}";
    server.expect().patch().withPath(PATH + "?fieldManager=gitops").andReturn(409, status).once();
    KubernetesTarget target = KubernetesTarget.of(client);
    FieldConflictException e = assertThrows(FieldConflictException.class,
        () -> target.apply(new Action.Update(configMap(), ResourceDiff.none(configMap().id()),
            "version:1"), "web"));
    assertEquals(java.util.List.of(".data.color (manager kubectl)", ".data.size (manager kubelet, subresource status)"),
        e.conflicts());
    assertTrue(e.getMessage().endsWith(": .data.color (manager kubectl), .data.size (manager kubelet, subresource status)"),
        e.getMessage());
    assertTrue(e.getCause() != null && e.getCause().getMessage().contains("conflict with \"kubectl\" using v1"),
        String.valueOf(e.getCause()));
  }

  private static Resource configMap() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("apiVersion", "v1").put("kind", "ConfigMap");
    node.putObject("metadata").put("name", "settings").put("namespace", "default");
    node.putObject("data").put("color", "blue");
    return Resource.of(ResourceId.of("ConfigMap", "default", "settings"), new Content.Tree(node));
  }

  private static String configMapJson(String version) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"settings\","
        + "\"namespace\":\"default\",\"resourceVersion\":\"" + version + "\"},\"data\":{\"color\":\"blue\"}}";
  }
}
