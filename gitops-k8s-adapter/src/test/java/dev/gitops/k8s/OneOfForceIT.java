package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.reconcile.Reconciler;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under server-side apply, against the API server stand-in (which validates one-of groups of a pod
 * spec as the API server does): Git sets one alternative while another manager keeps a different
 * one (corpus pairs 390 and 391 as a running cluster). The apply keeps that manager's field, and
 * force does not remove it (it takes over only fields the apply sets), so the merged object is
 * refused (422) on every run. Without force the writer names the field and its manager and sends
 * nothing; with force the other alternative goes and Git's is written, owned by {@code gitops}'s
 * apply alone (no Update entry of {@code gitops} keeps it once Git drops it), and the next plan is empty.
 */
class OneOfForceIT {
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
              image: nginx:1.27
              env: [{name: PORT, value: "8080"}, {name: FOO, value: a}]%s
      """;
  private static final String TCP = "\n        readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 5}";
  private static final String HTTP = "\n        readinessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 5}";
  private static final String HOOK = """
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingWebhookConfiguration
      metadata: {name: shop-orders}
      webhooks:
      - name: orders.shop.example.com
        admissionReviewVersions: [v1]
        sideEffects: None
        clientConfig: {%s}
        rules: [{apiGroups: [shop.example.com], apiVersions: [v1], operations: [CREATE], resources: [orders]}]
      """;
  private static final String CONTAINER = "/spec/template/spec/containers/0";
  /** The container as a conflict names it (the API server's field path form, under either strategy). */
  private static final String NAMED = ".spec.template.spec.containers[name=\"web\"]";

  @AutoClose private final StandInCluster cluster;

  OneOfForceIT(@TempDir Path repo) {
    cluster = new StandInCluster(repo);
  }

  @Test
  void anEnvValueBesideAValueFromOfKubectlSetEnvIsAConflictAndForceRemovesTheValueFrom() {
    cluster.write(APP.formatted(""));
    cluster.reconciled(ApplyStrategy.SERVER_SIDE);
    cluster.patch("kubectl-set", "[{\"op\":\"remove\",\"path\":\"" + CONTAINER + "/env/1/value\"},"
        + "{\"op\":\"add\",\"path\":\"" + CONTAINER + "/env/1/valueFrom\","
        + "\"value\":{\"secretKeyRef\":{\"name\":\"s\",\"key\":\"FOO\"}}}]");

    refusedWithoutForce(List.of(NAMED + ".env[name=\"FOO\"].valueFrom (manager kubectl-set)"));

    var forced = reconciler(true).reconcile(null);
    assertTrue(forced.isSuccess(), forced.toString());
    JsonNode foo = get().at(CONTAINER + "/env/1");
    assertEquals("a", foo.path("value").asText(), foo.toString());
    assertFalse(foo.has("valueFrom"), foo.toString());
    assertOnlyTheApplyOfGitopsLeft();
    assertTrue(reconciler(false).plan(null).isEmpty(), "the next plan is empty");
  }

  @Test
  void aForcedDryRunWritesNothing() {
    cluster.write(APP.formatted(""));
    cluster.reconciled(ApplyStrategy.SERVER_SIDE);
    cluster.patch("kubectl-set", "[{\"op\":\"remove\",\"path\":\"" + CONTAINER + "/env/1/value\"},"
        + "{\"op\":\"add\",\"path\":\"" + CONTAINER + "/env/1/valueFrom\","
        + "\"value\":{\"secretKeyRef\":{\"name\":\"s\",\"key\":\"FOO\"}}}]");
    JsonNode before = get();
    KubernetesTarget dry = KubernetesTarget.of(cluster.client(), KubernetesTarget.Options.defaults()
        .withStrategy(ApplyStrategy.SERVER_SIDE).withForce(true).withDryRun(true));
    dry.apply(reconciler(true).plan(null).changes().get(0), "web"); // no 422: the patch's answer stands for it
    assertEquals(before, get(), "a dry run persists nothing");
  }

  @Test
  void aWebhookServiceInGitBesideAUrlKeptByKubectlEditIsWrittenUnderForce() {
    cluster.write(HOOK.formatted("url: https://hooks.example.com/orders"));
    cluster.reconciled(ApplyStrategy.SERVER_SIDE);
    cluster.client().admissionRegistration().v1().validatingWebhookConfigurations().withName("shop-orders")
        .patch(new PatchContext.Builder().withPatchType(PatchType.JSON).withFieldManager("kubectl-edit").build(),
            "[{\"op\":\"replace\",\"path\":\"/webhooks/0/clientConfig/url\","
                + "\"value\":\"https://hooks-2.example.com/orders\"}]");
    cluster.write(HOOK.formatted("service: {name: shop-webhook, namespace: shop}"));

    var refused = reconciler(false).reconcile(null);
    assertFalse(refused.isSuccess(), refused.toString());
    assertEquals(List.of(".webhooks[name=\"orders.shop.example.com\"].clientConfig.url (manager kubectl-edit)"),
        ((FieldConflictException) refused.report().failures().get(0).cause()).conflicts());

    var forced = reconciler(true).reconcile(null);
    assertTrue(forced.isSuccess(), forced.toString());
    JsonNode config = cluster.get("apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/shop-orders")
        .at("/webhooks/0/clientConfig");
    assertEquals("shop-webhook", config.at("/service/name").asText(), config.toString());
    assertFalse(config.has("url"), config.toString());
    assertTrue(reconciler(false).plan(null).isEmpty(), "the next plan is empty");
  }

  @Test
  void aProbeHandlerSwitchedInGitBesideOneKeptByKubectlPatchIsWrittenUnderForce() {
    cluster.write(APP.formatted(TCP));
    cluster.reconciled(ApplyStrategy.SERVER_SIDE);
    cluster.patch("kubectl-patch", "[{\"op\":\"replace\",\"path\":\"" + CONTAINER + "/readinessProbe/tcpSocket/port\","
        + "\"value\":8081}]");
    cluster.write(APP.formatted(HTTP));

    refusedWithoutForce(List.of(NAMED + ".readinessProbe.tcpSocket (manager kubectl-patch)"));

    var forced = reconciler(true).reconcile(null);
    assertTrue(forced.isSuccess(), forced.toString());
    JsonNode probe = get().at(CONTAINER + "/readinessProbe");
    assertEquals("/healthz", probe.at("/httpGet/path").asText(), probe.toString());
    assertFalse(probe.has("tcpSocket"), probe.toString());
    assertOnlyTheApplyOfGitopsLeft();
    assertTrue(reconciler(false).plan(null).isEmpty(), "the next plan is empty");
  }

  /** Without force: a conflict naming field and manager, and nothing written. */
  private void refusedWithoutForce(List<String> conflicts) {
    cluster.refusedWithoutForce(ApplyStrategy.SERVER_SIDE, StandInCluster.DEPLOYMENT, conflicts);
  }

  /** No Update entry of {@code gitops} keeps Git's alternative once the apply owns it. */
  private void assertOnlyTheApplyOfGitopsLeft() {
    for (JsonNode entry : get().at("/metadata/managedFields")) {
      assertFalse("gitops".equals(entry.path("manager").asText()) && "Update".equals(entry.path("operation").asText()),
          entry.toString());
    }
  }

  private Reconciler reconciler(boolean force) {
    return cluster.reconciler(ApplyStrategy.SERVER_SIDE, force);
  }

  private JsonNode get() {
    return cluster.get(StandInCluster.DEPLOYMENT);
  }
}
