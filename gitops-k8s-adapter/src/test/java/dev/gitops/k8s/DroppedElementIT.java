package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.gitops.k8s.StandInCluster.APP;
import static dev.gitops.k8s.StandInCluster.DEPLOYMENT;
import static dev.gitops.k8s.StandInCluster.changes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.plan.Plan;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the API server stand-in (which refuses a container without an image as
 * {@code validateContainerCommon} does, {@link RequiredValues}): Git drops a container while another
 * manager owns the element itself ({@code .} in its set: a second applier, here {@code hotfix} by
 * server-side apply, that gave the container an env var). Server-side apply prunes what {@code gitops}
 * alone owned (the image, the command) and keeps the element with {@code hotfix}'s fields and the
 * unowned defaults (structured-merge-diff {@code merge/update.go} {@code prune}: an element of a
 * keyed list is added back only when a manager's set holds it as a member), a container without an
 * image, refused on every apply. The plan shows the container's removal as a conflict with
 * {@code hotfix}; without force nothing is sent; with force the container goes whole. An Update that
 * only changed a field inside the container ({@code kubectl set env}) keeps nothing: the container
 * goes whole, no conflict; a co-owner that applied the whole container keeps it valid.
 */
class DroppedElementIT {
  private static final String SIDECAR = "\n      - name: sidecar\n        image: busybox:1.36\n        command: [sleep, infinity]";
  private static final String CONTAINERS = "/spec/template/spec/containers";
  private static final String SIDECAR_FIELD = ".spec.template.spec.containers[name=\"sidecar\"]";
  private static final String HOTFIX_ENV = """
      {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop"},
       "spec":{"template":{"spec":{"containers":[{"name":"sidecar","env":[{"name":"DEBUG","value":"1"}]}]}}}}""";

  private static final String SERVICE = """
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: shop}
      spec:
        selector: {app: web}
        ports:
        - {name: http, port: 80, targetPort: 8080}
      """;
  private static final String SERVICE_PATH = "api/v1/namespaces/shop/services/web";
  private static final String HOTFIX_PORT = "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"web\","
      + "\"namespace\":\"shop\"},\"spec\":{\"ports\":[{\"port\":9090,\"protocol\":\"TCP\",\"appProtocol\":\"http\"}]}}";

  @AutoClose private final StandInCluster cluster;

  DroppedElementIT(@TempDir Path repo) {
    cluster = new StandInCluster(repo);
  }

  @Test
  void aContainerDroppedFromGitWhileAnotherApplierKeepsItIsAConflictAndForceRemovesIt() {
    droppedWhileKept(ApplyStrategy.SERVER_SIDE);
  }

  @Test
  void underJsonPatchTheDroppedContainerIsTheSameConflictAndGoesWholeUnderForce() {
    droppedWhileKept(ApplyStrategy.JSON_PATCH);
  }

  private void droppedWhileKept(ApplyStrategy strategy) {
    appliedThenDropped(strategy, HOTFIX_ENV);

    Plan plan = cluster.reconciler(strategy, false).plan(null);
    assertEquals(List.of("REMOVE " + CONTAINERS + "/1"), changes(plan), plan.render());
    cluster.refusedWithoutForce(strategy, DEPLOYMENT, List.of(SIDECAR_FIELD + " (manager hotfix)"));

    var forced = cluster.reconciler(strategy, true).reconcile(null);
    assertTrue(forced.isSuccess(), forced.toString());
    assertEquals(1, get().at(CONTAINERS).size(), get().at(CONTAINERS).toString());
    Plan next = cluster.reconciler(strategy, false).plan(null);
    assertTrue(next.isEmpty(), next.render() + "\n" + get());
  }

  @Test
  void aContainerKubectlSetEnvTouchedGoesWholeWithoutAConflict() {
    cluster.write(APP.formatted(SIDECAR));
    cluster.reconciled(ApplyStrategy.SERVER_SIDE);
    cluster.patch("kubectl-set",
        "[{\"op\":\"add\",\"path\":\"" + CONTAINERS + "/1/env\",\"value\":[{\"name\":\"DEBUG\",\"value\":\"1\"}]}]");
    cluster.write(APP.formatted(""));

    cluster.reconciled(ApplyStrategy.SERVER_SIDE);
    assertEquals(1, get().at(CONTAINERS).size(), get().at(CONTAINERS).toString());
    Plan next = cluster.reconciler(ApplyStrategy.SERVER_SIDE, false).plan(null);
    assertTrue(next.isEmpty(), next.render() + "\n" + get());
  }

  @Test
  void aContainerAnotherApplierCoOwnsWholeStaysValidAndIsNoConflict() {
    appliedThenDropped(ApplyStrategy.SERVER_SIDE, HOTFIX_ENV.replace("\"name\":\"sidecar\",",
        "\"name\":\"sidecar\",\"image\":\"busybox:1.36\",\"command\":[\"sleep\",\"infinity\"],"));

    cluster.reconciled(ApplyStrategy.SERVER_SIDE);
    assertEquals("busybox:1.36", get().at(CONTAINERS + "/1/image").asText(), get().at(CONTAINERS).toString());
  }

  @Test
  void aVolumeAnotherApplierKeepsWithoutItsConfigMapsNameIsAConflictAndForceRemovesIt() {
    // the prune keeps {name: cfg, configMap: {defaultMode: 256}}: validateConfigMapVolumeSource, name Required
    String volume = "\n      volumes:\n      - name: cfg\n        configMap: {name: web-config, items: [{key: a, path: a}]}";
    cluster.write(APP.formatted("") + volume.substring(1).indent(0));
    cluster.reconciled(ApplyStrategy.SERVER_SIDE);
    cluster.apply("hotfix", "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\","
        + "\"namespace\":\"shop\"},\"spec\":{\"template\":{\"spec\":{\"volumes\":"
        + "[{\"name\":\"cfg\",\"configMap\":{\"defaultMode\":256}}]}}}}");
    cluster.write(APP.formatted(""));

    assertRefusedThenForced(ApplyStrategy.SERVER_SIDE, ".spec.template.spec.volumes[name=\"cfg\"] (manager hotfix)", DEPLOYMENT,
        "/spec/template/spec/volumes");
  }

  @Test
  void aWebhookAnotherApplierKeepsWithoutItsClientConfigIsAConflictAndForceRemovesIt() {
    // the prune keeps {name: a.example.com, timeoutSeconds: 5}: no clientConfig, sideEffects, admissionReviewVersions
    String hooks = """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingWebhookConfiguration
        metadata: {name: hooks}
        webhooks:
        - {name: b.example.com, clientConfig: {url: "https://b.example.com"}, sideEffects: None, admissionReviewVersions: [v1]}
        """;
    String a = "- {name: a.example.com, clientConfig: {url: \"https://a.example.com\"}, sideEffects: None,"
        + " admissionReviewVersions: [v1]}\n";
    cluster.write(hooks + a);
    cluster.reconciled(ApplyStrategy.SERVER_SIDE);
    cluster.apply("hotfix", "{\"apiVersion\":\"admissionregistration.k8s.io/v1\",\"kind\":\"ValidatingWebhookConfiguration\","
        + "\"metadata\":{\"name\":\"hooks\"},\"webhooks\":[{\"name\":\"a.example.com\",\"timeoutSeconds\":5}]}");
    cluster.write(hooks);

    assertRefusedThenForced(ApplyStrategy.SERVER_SIDE, ".webhooks[name=\"a.example.com\"] (manager hotfix)",
        "apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/hooks", "/webhooks");
  }

  @Test
  void aServicePortAnotherApplierKeepsWithoutItsNameBesideAnotherIsAConflictAndForceRemovesIt() {
    metricsPortKeptThenDropped(ApplyStrategy.SERVER_SIDE);
  }

  @Test
  void underJsonPatchTheServicePortKeptWithoutItsNameIsTheSameConflictAndGoesUnderForce() {
    metricsPortKeptThenDropped(ApplyStrategy.JSON_PATCH);
  }

  /**
   * The prune keeps {port: 9090, protocol: TCP, appProtocol: http} without Git's name, beside the http
   * port (validateServicePort: name Required when a Service has several ports); under JSON Patch the
   * patch removes gitops's name alike and leaves hotfix's fields.
   */
  private void metricsPortKeptThenDropped(ApplyStrategy strategy) {
    cluster.write(SERVICE + "  - {name: metrics, port: 9090}\n");
    cluster.reconciled(strategy);
    cluster.apply("hotfix", HOTFIX_PORT);
    cluster.write(SERVICE);

    assertRefusedThenForced(strategy, ".spec.ports[port=9090,protocol=\"TCP\"] (manager hotfix)", SERVICE_PATH, "/spec/ports");
  }

  @Test
  void aServicePortThatNeverHadANameKeptBesideAPortGitAddsIsAConflictAndForceReplacesIt() {
    // one unnamed port, given appProtocol by hotfix; Git replaces it by a named port 80: the prune keeps
    // 9090, never named, beside 80 (validateServicePort: name Required when a Service has several ports)
    String lone = SERVICE.replace("- {name: http, port: 80, targetPort: 8080}", "- {port: 9090}");
    cluster.write(lone);
    cluster.reconciled(ApplyStrategy.SERVER_SIDE);
    cluster.apply("hotfix", HOTFIX_PORT);
    cluster.write(SERVICE);

    assertRefusedThenForced(ApplyStrategy.SERVER_SIDE, ".spec.ports[port=9090,protocol=\"TCP\"] (manager hotfix)",
        SERVICE_PATH, "/spec/ports");
    assertEquals(80, cluster.get(SERVICE_PATH).at("/spec/ports/0/port").asInt(), cluster.get(SERVICE_PATH).toString());
  }

  @Test
  void aVolumeMountAnotherApplierKeepsByItsPathWithoutItsNameIsAConflictAndForceRemovesIt() {
    // volumeMounts are keyed by mountPath: the prune keeps {mountPath: /cache, readOnly: true} without
    // Git's name (ValidateVolumeMounts: name Required)
    String volumes = "\n      volumes:\n      - {name: data, emptyDir: {}}\n      - {name: cache, emptyDir: {}}";
    String mounts = "\n        volumeMounts:\n        - {name: data, mountPath: /data}";
    cluster.write(APP.formatted(mounts + "\n        - {name: cache, mountPath: /cache}") + volumes.substring(1).indent(0));
    cluster.reconciled(ApplyStrategy.SERVER_SIDE);
    cluster.apply("hotfix", "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\","
        + "\"namespace\":\"shop\"},\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\","
        + "\"volumeMounts\":[{\"mountPath\":\"/cache\",\"readOnly\":true}]}]}}}}");
    cluster.write(APP.formatted(mounts) + volumes.substring(1).indent(0));

    assertRefusedThenForced(ApplyStrategy.SERVER_SIDE,
        ".spec.template.spec.containers[name=\"web\"].volumeMounts[mountPath=\"/cache\"] (manager hotfix)",
        DEPLOYMENT, CONTAINERS + "/0/volumeMounts");
  }

  /** Without force the one conflict {@code conflict} and nothing written; with force the element gone, the next plan empty. */
  private void assertRefusedThenForced(ApplyStrategy strategy, String conflict, String path, String list) {
    cluster.refusedWithoutForce(strategy, path, List.of(conflict));

    var forced = cluster.reconciler(strategy, true).reconcile(null);
    assertTrue(forced.isSuccess(), forced.toString());
    int left = cluster.get(path).at(list).size();
    assertTrue(left <= 1, cluster.get(path).at(list).toString());
    Plan next = cluster.reconciler(strategy, false).plan(null);
    assertTrue(next.isEmpty(), next.render() + "\n" + cluster.get(path));
  }

  /** Git's two containers applied, {@code hotfix} applying {@code body}, the sidecar dropped from Git. */
  private void appliedThenDropped(ApplyStrategy strategy, String body) {
    cluster.write(APP.formatted(SIDECAR));
    cluster.reconciled(strategy);
    cluster.apply("hotfix", body);
    cluster.write(APP.formatted(""));
  }

  private JsonNode get() {
    return cluster.get(DEPLOYMENT);
  }
}
