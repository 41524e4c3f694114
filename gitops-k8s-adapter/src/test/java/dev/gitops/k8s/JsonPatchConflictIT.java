package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under {@link ApplyStrategy#JSON_PATCH}, against the API server stand-in (which records
 * {@code managedFields} for JSON Patch writes, operation Update): Git holds a placeholder webhook
 * {@code caBundle} that cert-manager's injector replaces with an Update of its own (corpus pairs
 * 320 and 330 as a running cluster). The next run must not write the placeholder back (the
 * injector writes it again: a loop that breaks the webhook on every run): the writer refuses the
 * patch with the conflict server-side apply reports, naming the field and its manager, and writes
 * nothing; with force it takes the field over, as a forced apply does.
 */
class JsonPatchConflictIT {
  private static final String HOOK = "apiVersion: admissionregistration.k8s.io/v1\n"
      + "kind: ValidatingWebhookConfiguration\nmetadata: {name: shop-orders}\n"
      + "webhooks: [{name: orders.shop.example.com, admissionReviewVersions: [v1], sideEffects: None,\n"
      + "  clientConfig: {caBundle: Cg==, service: {name: shop-webhook, namespace: shop, path: /validate-orders}},\n"
      + "  rules: [{apiGroups: [shop.example.com], apiVersions: [v1], operations: [CREATE], resources: [orders]}]}]\n";
  private static final String BUNDLE = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==";
  private static final String CA_BUNDLE = "/webhooks/0/clientConfig/caBundle";

  @TempDir Path repo;
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud(new ApiServerStandIn());

  @Test
  void aPlaceholderAnotherManagerReplacedIsAConflictNotWrittenBackOnEveryRun() throws Exception {
    Files.writeString(repo.resolve("hook.yaml"), HOOK);
    var created = reconciler(false).reconcile(null);
    assertTrue(created.isSuccess(), created.toString());
    cluster.client().admissionRegistration().v1().validatingWebhookConfigurations().withName("shop-orders")
        .patch(new PatchContext.Builder().withPatchType(PatchType.JSON).withFieldManager("cainjector").build(),
            "[{\"op\":\"replace\",\"path\":\"" + CA_BUNDLE + "\",\"value\":\"" + BUNDLE + "\"}]");
    String version = get().at("/metadata/resourceVersion").asText();

    var refused = reconciler(false).reconcile(null);
    assertFalse(refused.isSuccess(), "the placeholder was written back: " + refused);
    var cause = refused.report().failures().get(0).cause();
    assertTrue(cause instanceof FieldConflictException, cause.toString());
    assertEquals(java.util.List.of(".webhooks[name=\"orders.shop.example.com\"].clientConfig.caBundle (manager cainjector)"), ((FieldConflictException) cause).conflicts());
    assertEquals(BUNDLE, get().at(CA_BUNDLE).asText(), "the injector's bundle stays");
    assertEquals(version, get().at("/metadata/resourceVersion").asText(), "nothing written");

    var forced = reconciler(true).reconcile(null);
    assertTrue(forced.isSuccess(), forced.toString());
    assertEquals("Cg==", get().at(CA_BUNDLE).asText(), "force takes the field over");
    assertTrue(reconciler(false).plan(null).isEmpty(), "the next plan is empty");
  }

  private Reconciler reconciler(boolean force) {
    KubernetesTarget k8s = KubernetesTarget.of(cluster.client(), KubernetesTarget.Options.defaults()
        .withStrategy(ApplyStrategy.JSON_PATCH).withForce(force));
    return Reconciler.builder().name("web").source(DirectorySource.of(repo)).loader(new ManifestLoader())
        .target(k8s).planOptions(k8s.planDefaults())
        .applyOptions(ApplyOptions.defaults().withHealthWait(Duration.ofSeconds(30), Duration.ofMillis(1))
            .withSleeper(d -> { })).build();
  }

  private JsonNode get() throws Exception {
    return Json.parse(cluster.client().raw(cluster.client().getMasterUrl()
        + "apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/shop-orders"));
  }
}
