package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.plan.Plan;
import dev.gitops.reconcile.Reconciler;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under server-side apply, against the API server stand-in (which prunes as structured-merge-diff's
 * {@code merge/update.go} {@code prune} does, {@link ServerSidePrune}): a field Git drops that the
 * server filled with defaults (a probe, {@code resources}, a pod {@code securityContext}, a volume
 * with {@code defaultMode}, a Service port with {@code targetPort} and {@code protocol}) is the
 * plan's removal, the apply leaves exactly what the plan said (no shell of defaults), and the next
 * plan is empty.
 */
class DroppedFieldsIT {
  private static final String APP = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:%s
            containers:
            - name: web
              image: nginx:1.27%s
      """;
  private static final String SERVICE = """
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: shop}
      spec:
        selector: {app: web}
        ports:
        - {name: http, port: 80}%s
      """;
  private static final String CONTAINER = "/spec/template/spec/containers/0";

  @AutoClose private final StandInCluster cluster;

  DroppedFieldsIT(@TempDir Path repo) {
    cluster = new StandInCluster(repo);
  }

  @Test
  void aDroppedProbeGoesWithItsDefaults() throws Exception {
    dropped(APP.formatted("", "\n        readinessProbe: {httpGet: {path: /healthz, port: 8080}}"), APP.formatted("", ""),
        "deployments/web", CONTAINER + "/readinessProbe/httpGet/scheme", CONTAINER + "/readinessProbe");
    assertTrue(get("deployments/web").at(CONTAINER + "/readinessProbe").isMissingNode());
  }

  @Test
  void droppedResourcesGo() throws Exception {
    dropped(APP.formatted("", "\n        resources: {limits: {cpu: 500m, memory: 128Mi}}"), APP.formatted("", ""),
        "deployments/web", CONTAINER + "/resources/limits/cpu", CONTAINER + "/resources");
    assertEquals(0, get("deployments/web").at(CONTAINER + "/resources").size());
  }

  @Test
  void aDroppedPodSecurityContextLeavesTheEmptyOneTheServerDefaults() throws Exception {
    dropped(APP.formatted("\n      securityContext: {runAsUser: 1000, fsGroup: 2000}", ""), APP.formatted("", ""),
        "deployments/web", "/spec/template/spec/securityContext/runAsUser", "/spec/template/spec/securityContext");
    assertEquals(0, get("deployments/web").at("/spec/template/spec/securityContext").size());
  }

  @Test
  void aDroppedContainerSecurityContextGoes() throws Exception {
    dropped(APP.formatted("", "\n        securityContext: {runAsNonRoot: true, capabilities: {drop: [ALL]}}"),
        APP.formatted("", ""), "deployments/web", CONTAINER + "/securityContext/runAsNonRoot",
        CONTAINER + "/securityContext");
    assertTrue(get("deployments/web").at(CONTAINER + "/securityContext").isMissingNode());
  }

  @Test
  void aDroppedVolumeGoesWithItsDefaultMode() throws Exception {
    dropped(APP.formatted("\n      volumes: [{name: config, configMap: {name: web-config}}]", ""), APP.formatted("", ""),
        "deployments/web", "/spec/template/spec/volumes/0/configMap/defaultMode", "/spec/template/spec/volumes");
    assertTrue(get("deployments/web").at("/spec/template/spec/volumes").isMissingNode());
  }

  @Test
  void aDroppedServicePortGoesWithItsTargetPortAndProtocol() throws Exception {
    dropped(SERVICE.formatted("\n  - {name: metrics, port: 9090}"), SERVICE.formatted(""),
        "services/web", "/spec/ports/1/targetPort", "/spec/ports/1");
    assertEquals(1, get("services/web").at("/spec/ports").size());
  }

  /**
   * Applies {@code before}, sees the server's default at {@code defaulted}, applies {@code after}:
   * the plan's one update only removes, at or below {@code removed}, and the apply converges.
   */
  private void dropped(String before, String after, String path, String defaulted, String removed) throws Exception {
    cluster.write(before);
    var first = reconciler().reconcile(null);
    assertTrue(first.isSuccess(), first.toString());
    assertTrue(!get(path).at(defaulted).isMissingNode(), "the server defaulted " + defaulted + ": " + get(path));
    cluster.write(after);

    Plan plan = reconciler().plan(null);
    List<String> changes = StandInCluster.changes(plan);
    assertTrue(!changes.isEmpty() && changes.stream().allMatch(c -> c.startsWith("REMOVE " + removed)),
        changes + "\n" + plan.render());

    var second = reconciler().reconcile(null);
    assertTrue(second.isSuccess(), second.toString());
    assertTrue(get(path).at(defaulted).isMissingNode(), "no shell of defaults: " + get(path));
    Plan next = reconciler().plan(null);
    assertTrue(next.isEmpty(), next.render() + "\n" + get(path));
  }

  private Reconciler reconciler() {
    return cluster.reconciler(ApplyStrategy.SERVER_SIDE, false);
  }

  private JsonNode get(String path) throws Exception {
    String group = path.startsWith("services/") ? "api/v1" : "apis/apps/v1";
    return cluster.get(group + "/namespaces/shop/" + path);
  }
}
