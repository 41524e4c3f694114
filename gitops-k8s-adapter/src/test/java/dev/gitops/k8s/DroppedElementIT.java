package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
  private static final String SIDECAR = "\n      - name: sidecar\n        image: busybox:1.36\n        command: [sleep, infinity]";
  private static final String CONTAINERS = "/spec/template/spec/containers";
  private static final String SIDECAR_FIELD = ".spec.template.spec.containers[name=\"sidecar\"]";
  private static final String HOTFIX_ENV = """
      {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop"},
       "spec":{"template":{"spec":{"containers":[{"name":"sidecar","env":[{"name":"DEBUG","value":"1"}]}]}}}}""";

  @TempDir Path repo;
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud(new ApiServerStandIn());

  @Test
  void aContainerDroppedFromGitWhileAnotherApplierKeepsItIsAConflictAndForceRemovesIt() throws Exception {
    appliedThenDropped(ApplyStrategy.SERVER_SIDE, HOTFIX_ENV);

    Plan plan = reconciler(ApplyStrategy.SERVER_SIDE, false).plan(null);
    assertEquals(List.of("REMOVE " + CONTAINERS + "/1"), changes(plan), plan.render());

    String version = get().at("/metadata/resourceVersion").asText();
    var refused = reconciler(ApplyStrategy.SERVER_SIDE, false).reconcile(null);
    assertFalse(refused.isSuccess(), refused.toString());
    var cause = refused.report().failures().get(0).cause();
    assertTrue(cause instanceof FieldConflictException, String.valueOf(cause));
    assertEquals(List.of(SIDECAR_FIELD + " (manager hotfix)"), ((FieldConflictException) cause).conflicts());
    assertEquals(version, get().at("/metadata/resourceVersion").asText(), "nothing written");

    var forced = reconciler(ApplyStrategy.SERVER_SIDE, true).reconcile(null);
    assertTrue(forced.isSuccess(), forced.toString());
    assertEquals(1, get().at(CONTAINERS).size(), get().at(CONTAINERS).toString());
    Plan next = reconciler(ApplyStrategy.SERVER_SIDE, false).plan(null);
    assertTrue(next.isEmpty(), next.render() + "\n" + get());
  }

  @Test
  void underJsonPatchTheDroppedContainerIsTheSameConflictAndGoesWholeUnderForce() throws Exception {
    appliedThenDropped(ApplyStrategy.JSON_PATCH, HOTFIX_ENV);

    Plan plan = reconciler(ApplyStrategy.JSON_PATCH, false).plan(null);
    assertEquals(List.of("REMOVE " + CONTAINERS + "/1"), changes(plan), plan.render());
    var refused = reconciler(ApplyStrategy.JSON_PATCH, false).reconcile(null);
    assertFalse(refused.isSuccess(), refused.toString());
    assertEquals(List.of(SIDECAR_FIELD + " (manager hotfix)"),
        ((FieldConflictException) refused.report().failures().get(0).cause()).conflicts());

    var forced = reconciler(ApplyStrategy.JSON_PATCH, true).reconcile(null);
    assertTrue(forced.isSuccess(), forced.toString());
    assertEquals(1, get().at(CONTAINERS).size(), get().at(CONTAINERS).toString());
    Plan next = reconciler(ApplyStrategy.JSON_PATCH, false).plan(null);
    assertTrue(next.isEmpty(), next.render() + "\n" + get());
  }

  @Test
  void aContainerKubectlSetEnvTouchedGoesWholeWithoutAConflict() throws Exception {
    Files.writeString(repo.resolve("app.yaml"), APP.formatted(SIDECAR));
    assertTrue(reconciler(ApplyStrategy.SERVER_SIDE, false).reconcile(null).isSuccess());
    cluster.client().apps().deployments().inNamespace("shop").withName("web").patch(new PatchContext.Builder()
        .withPatchType(PatchType.JSON).withFieldManager("kubectl-set").build(),
        "[{\"op\":\"add\",\"path\":\"" + CONTAINERS + "/1/env\",\"value\":[{\"name\":\"DEBUG\",\"value\":\"1\"}]}]");
    Files.writeString(repo.resolve("app.yaml"), APP.formatted(""));

    var applied = reconciler(ApplyStrategy.SERVER_SIDE, false).reconcile(null);
    assertTrue(applied.isSuccess(), applied.toString());
    assertEquals(1, get().at(CONTAINERS).size(), get().at(CONTAINERS).toString());
    Plan next = reconciler(ApplyStrategy.SERVER_SIDE, false).plan(null);
    assertTrue(next.isEmpty(), next.render() + "\n" + get());
  }

  @Test
  void aContainerAnotherApplierCoOwnsWholeStaysValidAndIsNoConflict() throws Exception {
    appliedThenDropped(ApplyStrategy.SERVER_SIDE, HOTFIX_ENV.replace("\"name\":\"sidecar\",",
        "\"name\":\"sidecar\",\"image\":\"busybox:1.36\",\"command\":[\"sleep\",\"infinity\"],"));

    var applied = reconciler(ApplyStrategy.SERVER_SIDE, false).reconcile(null);
    assertTrue(applied.isSuccess(), applied.toString());
    assertEquals("busybox:1.36", get().at(CONTAINERS + "/1/image").asText(), get().at(CONTAINERS).toString());
  }

  @Test
  void aVolumeAnotherApplierKeepsWithoutItsConfigMapsNameIsAConflictAndForceRemovesIt() throws Exception {
    // the prune keeps {name: cfg, configMap: {defaultMode: 256}}: validateConfigMapVolumeSource, name Required
    String volume = "\n      volumes:\n      - name: cfg\n        configMap: {name: web-config, items: [{key: a, path: a}]}";
    Files.writeString(repo.resolve("app.yaml"), APP.formatted("") + volume.substring(1).indent(0));
    assertTrue(reconciler(ApplyStrategy.SERVER_SIDE, false).reconcile(null).isSuccess());
    apply("apps/v1", "Deployment", "\"namespace\":\"shop\"", "\"spec\":{\"template\":{\"spec\":{\"volumes\":"
        + "[{\"name\":\"cfg\",\"configMap\":{\"defaultMode\":256}}]}}}");
    Files.writeString(repo.resolve("app.yaml"), APP.formatted(""));

    assertRefusedThenForced(".spec.template.spec.volumes[name=\"cfg\"] (manager hotfix)",
        "apis/apps/v1/namespaces/shop/deployments/web", "/spec/template/spec/volumes");
  }

  @Test
  void aWebhookAnotherApplierKeepsWithoutItsClientConfigIsAConflictAndForceRemovesIt() throws Exception {
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
    Files.writeString(repo.resolve("app.yaml"), hooks + a);
    var first = reconciler(ApplyStrategy.SERVER_SIDE, false).reconcile(null);
    assertTrue(first.isSuccess(), first.toString());
    apply("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", null,
        "\"webhooks\":[{\"name\":\"a.example.com\",\"timeoutSeconds\":5}]");
    Files.writeString(repo.resolve("app.yaml"), hooks);

    assertRefusedThenForced(".webhooks[name=\"a.example.com\"] (manager hotfix)",
        "apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/hooks", "/webhooks");
  }

  @Test
  void aServicePortAnotherApplierKeepsWithoutItsNameBesideAnotherIsAConflictAndForceRemovesIt() throws Exception {
    // the prune keeps {port: 9090, protocol: TCP, appProtocol: http} without Git's name, beside the http
    // port: validateServicePort, name Required when a Service has several ports
    String service = """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          selector: {app: web}
          ports:
          - {name: http, port: 80, targetPort: 8080}
        """;
    Files.writeString(repo.resolve("app.yaml"), service + "  - {name: metrics, port: 9090}\n");
    var first = reconciler(ApplyStrategy.SERVER_SIDE, false).reconcile(null);
    assertTrue(first.isSuccess(), first.toString());
    cluster.client().services().inNamespace("shop").withName("web").patch(new PatchContext.Builder()
        .withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager("hotfix").withForce(true).build(),
        "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\"},"
        + "\"spec\":{\"ports\":[{\"port\":9090,\"protocol\":\"TCP\",\"appProtocol\":\"http\"}]}}");
    Files.writeString(repo.resolve("app.yaml"), service);

    assertRefusedThenForced(".spec.ports[port=9090,protocol=\"TCP\"] (manager hotfix)",
        "api/v1/namespaces/shop/services/web", "/spec/ports");
  }

  /** Without force the one conflict {@code conflict} and nothing written; with force the element gone, the next plan empty. */
  private void assertRefusedThenForced(String conflict, String path, String list) throws Exception {
    String version = get(path).at("/metadata/resourceVersion").asText();
    var refused = reconciler(ApplyStrategy.SERVER_SIDE, false).reconcile(null);
    assertFalse(refused.isSuccess(), refused.toString());
    var cause = refused.report().failures().get(0).cause();
    assertTrue(cause instanceof FieldConflictException, String.valueOf(cause));
    assertEquals(List.of(conflict), ((FieldConflictException) cause).conflicts());
    assertEquals(version, get(path).at("/metadata/resourceVersion").asText(), "nothing written");

    var forced = reconciler(ApplyStrategy.SERVER_SIDE, true).reconcile(null);
    assertTrue(forced.isSuccess(), forced.toString());
    int left = get(path).at(list).size();
    assertTrue(left <= 1, get(path).at(list).toString());
    Plan next = reconciler(ApplyStrategy.SERVER_SIDE, false).plan(null);
    assertTrue(next.isEmpty(), next.render() + "\n" + get(path));
  }

  /** A server-side apply by {@code hotfix}, forced, of {@code fields} of the object named web (Deployment) or hooks. */
  private void apply(String apiVersion, String kind, String namespace, String fields) {
    String name = kind.equals("Deployment") ? "web" : "hooks";
    String body = "{\"apiVersion\":\"" + apiVersion + "\",\"kind\":\"" + kind + "\",\"metadata\":{\"name\":\"" + name
        + "\"" + (namespace == null ? "" : "," + namespace) + "}," + fields + "}";
    PatchContext hotfix = new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager("hotfix")
        .withForce(true).build();
    if (kind.equals("Deployment")) {
      cluster.client().apps().deployments().inNamespace("shop").withName(name).patch(hotfix, body);
    } else {
      cluster.client().admissionRegistration().v1().validatingWebhookConfigurations().withName(name).patch(hotfix, body);
    }
  }

  /** Git's two containers applied, {@code hotfix} applying {@code body}, the sidecar dropped from Git. */
  private void appliedThenDropped(ApplyStrategy strategy, String body) throws Exception {
    Files.writeString(repo.resolve("app.yaml"), APP.formatted(SIDECAR));
    var first = reconciler(strategy, false).reconcile(null);
    assertTrue(first.isSuccess(), first.toString());
    cluster.client().apps().deployments().inNamespace("shop").withName("web").patch(new PatchContext.Builder()
        .withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager("hotfix").withForce(true).build(), body);
    Files.writeString(repo.resolve("app.yaml"), APP.formatted(""));
  }

  private static List<String> changes(Plan plan) {
    List<Action> updates = plan.actions().stream().filter(a -> a instanceof Action.Update).toList();
    assertEquals(1, updates.size(), plan.render());
    return ((Action.Update) updates.get(0)).diff().changes().stream().map(c -> c.op() + " " + c.path()).toList();
  }

  private Reconciler reconciler(ApplyStrategy strategy, boolean force) {
    KubernetesTarget k8s = KubernetesTarget.of(cluster.client(), KubernetesTarget.Options.defaults()
        .withStrategy(strategy).withForce(force));
    return Reconciler.builder().name("web").source(DirectorySource.of(repo)).loader(new ManifestLoader())
        .target(Fixtures.withControllers(k8s, cluster.client())).planOptions(k8s.planDefaults())
        .applyOptions(ApplyOptions.defaults().withHealthWait(Duration.ofSeconds(30), Duration.ofMillis(1))
            .withSleeper(d -> { })).build();
  }

  private JsonNode get() throws Exception {
    return get("apis/apps/v1/namespaces/shop/deployments/web");
  }

  private JsonNode get(String path) throws Exception {
    return Json.parse(cluster.client().raw(cluster.client().getMasterUrl() + path));
  }
}
