package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The stand-in's server-side apply prunes a field Git dropped as structured-merge-diff's
 * {@code merge/update.go} {@code prune} does: with its whole subtree, the defaults the server filled
 * in included, unless another manager owns something inside it.
 */
class ServerSidePruneTest {
  private static final ApiSchema SCHEMA = ApiSchema.builtin("Deployment");
  private static final String APP = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - name: web
              image: nginx:1.27%s
      """;
  private static final String PROBE = "\n        readinessProbe: {httpGet: {path: /healthz, port: 8080}}";
  /** The probe as the API server stores it (core/v1 {@code SetDefaults_Probe}, {@code SetDefaults_HTTPGetAction}). */
  private static final String DEFAULTED = "{httpGet: {path: /healthz, port: 8080, scheme: HTTP}, timeoutSeconds: 1,"
      + " periodSeconds: 10, successThreshold: 1, failureThreshold: 3}";
  private static final String CONTAINER = "/spec/template/spec/containers/0";

  @Test
  void aDroppedProbeGoesWithTheDefaultsNobodyOwns() {
    ObjectNode live = appliedWithDefaultedProbe(List.of());

    ServerSideApply.Result r = ServerSideApply.apply(live, yaml(APP.formatted("")), "gitops", false, SCHEMA);

    JsonNode container = r.object().at(CONTAINER);
    assertFalse(container.has("readinessProbe"), container.toString());
    assertEquals("nginx:1.27", container.path("image").asText());
    assertEquals("/dev/termination-log", container.path("terminationMessagePath").asText(), "a default nobody owns stays");
    assertEquals("web", r.object().at("/spec/template/metadata/labels/app").asText(), "the rest stays");
  }

  @Test
  void aDroppedProbeKeepsWhatAnotherManagerOwnsAndTheUnownedDefaultsBesideIt() {
    List<String> timeout = List.of("f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"web\"}",
        "f:readinessProbe", "f:timeoutSeconds");
    Set<List<String>> owned = new TreeSet<>(FieldSets::compare);
    owned.add(timeout);
    ObjectNode live = appliedWithDefaultedProbe(List.of(new ServerSideApply.Entry("kubectl-edit", "Update", "", owned)));

    ServerSideApply.Result r = ServerSideApply.apply(live, yaml(APP.formatted("")), "gitops", false, SCHEMA);

    // update.go: addBackOwnedItems keeps timeoutSeconds (and the probe above it); addBackDanglingItems
    // keeps what the last apply did not own; httpGet, a member of gitops's last set, goes whole
    assertEquals(yaml("{timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3}"),
        r.object().at(CONTAINER + "/readinessProbe"));
  }

  @Test
  void aFieldStillAppliedKeepsItsDefaults() {
    ObjectNode live = appliedWithDefaultedProbe(List.of());

    ServerSideApply.Result r = ServerSideApply.apply(live, yaml(APP.formatted(PROBE)), "gitops", false, SCHEMA);

    assertEquals(yaml(DEFAULTED), r.object().at(CONTAINER + "/readinessProbe"));
    assertTrue(r.conflicts().isEmpty());
  }

  /** The object after a create by {@code gitops}'s apply with the probe, defaulted, plus {@code others}. */
  private static ObjectNode appliedWithDefaultedProbe(List<ServerSideApply.Entry> others) {
    ServerSideApply.Result created = ServerSideApply.apply(null, yaml(APP.formatted(PROBE)), "gitops", false, SCHEMA);
    ObjectNode live = created.object();
    ((ObjectNode) live.at(CONTAINER)).set("readinessProbe", yaml(DEFAULTED));
    ((ObjectNode) live.at(CONTAINER)).put("terminationMessagePath", "/dev/termination-log");
    List<ServerSideApply.Entry> entries = new ArrayList<>(created.entries());
    entries.addAll(others);
    live.with("metadata").set("managedFields", ServerSideApply.write(entries, "apps/v1", "2026-12-06T00:00:00Z"));
    return live;
  }

  private static ObjectNode yaml(String text) {
    return (ObjectNode) SchemaDiffs.yaml(text);
  }
}
