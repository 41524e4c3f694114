package dev.gitops.k8s;

import static dev.gitops.k8s.ApiFaultsIT.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.apply.ApplyReport;
import dev.gitops.apply.Outcome;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.MockResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What admission answers a write with, as a real API server words it: a Namespace being
 * terminated (403, the namespace lifecycle plugin's cause {@code NamespaceTerminating}), a webhook
 * that denies (400 or the code it chose) and one that cannot be called (500, {@code failed calling
 * webhook}). A refusal fails its step once, with the server's whole message, and the other steps go
 * on; only the webhook that could not be called is tried again, as often as the apply retries.
 */
class AdmissionFaultsIT {
  private static final String DOOMED = "/api/v1/namespaces/doomed/configmaps";
  private static final String SHOP = "/api/v1/namespaces/shop/configmaps";
  private static final String WEBHOOK_DOWN = "Internal error occurred: failed calling webhook \\\"policy.example.com\\\":"
      + " failed to call webhook: Post \\\"https://policy.policy.svc:443/validate?timeout=10s\\\": context deadline"
      + " exceeded";

  @TempDir Path repo;
  private final ApiFaultsIT.Faults faults = new ApiFaultsIT.Faults();
  private final MockKubernetes cluster = MockKubernetes.crud(faults);
  private final KubernetesClient client = ApiFaultsIT.strictClient(cluster);

  @AfterEach
  void close() {
    client.close();
    cluster.close();
  }

  /** One reconcile of {@link #reconciler()}, the requests counted from its start; its report. */
  private ApplyReport reconciled() throws Exception {
    Reconciler web = reconciler();
    cluster.requests();
    return web.reconcile(null).report();
  }

  /** Two ConfigMaps, {@code shop/settings} and {@code doomed/settings}, in one wave; 4 attempts a step. */
  private Reconciler reconciler() throws Exception {
    Files.writeString(repo.resolve("app.yaml"), """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: shop}
        data: {mode: a}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: doomed}
        data: {mode: a}
        """);
    KubernetesTarget target = KubernetesTarget.of(client, KubernetesTarget.Options.defaults()
        .withStrategy(ApplyStrategy.JSON_PATCH));
    return Reconciler.builder().name("web").source(DirectorySource.of(repo)).loader(new ManifestLoader())
        .target(target).planOptions(target.planDefaults()).prune(true)
        .applyOptions(ApplyOptions.defaults().withRetry(4, Duration.ZERO, Duration.ZERO).withSleeper(d -> { }))
        .build();
  }

  private long posts(String path) {
    return cluster.requests().stream().filter(r -> r.startsWith("POST " + path)).count();
  }

  /** A 403 as the namespace lifecycle admission plugin answers a create into a terminating Namespace. */
  private static MockResponse terminating(String namespace) {
    return new MockResponse().setResponseCode(403).setBody("""
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \\"settings\\" is \
        forbidden: unable to create new content in namespace %1$s because it is being terminated","reason":"Forbidden",\
        "details":{"name":"settings","kind":"configmaps","causes":[{"reason":"NamespaceTerminating","message":\
        "namespace %1$s is being terminated","field":"metadata.namespace"}]},"code":403}
        """.formatted(namespace));
  }

  @Test
  void aCreateIntoANamespaceBeingTerminatedFailsOnceSayingWhyAndTheOtherNamespaceGoesOn() throws Exception {
    faults.on("POST", DOOMED, Integer.MAX_VALUE, () -> terminating("doomed"));
    ApplyReport report = reconciled();

    String text = report.toString();
    assertTrue(text.contains("failed create ConfigMap/doomed/settings: ConfigMap/doomed/settings: write failed: HTTP 403:"
        + " configmaps \"settings\" is forbidden: unable to create new content in namespace doomed because it is being"
        + " terminated"), text);
    assertEquals(1, posts(DOOMED), "a refusal is not tried again");
    assertNotNull(cluster.client().configMaps().inNamespace("shop").withName("settings").get(), text);
    assertTrue(report.outcomes().stream().anyMatch(o -> o instanceof Outcome.Applied a
        && a.action().id().namespace().equals("shop")), text);
  }

  @Test
  void aWebhookDenialReachesTheUserWholeAndEscapedAndIsNotTriedAgain() throws Exception {
    faults.on("POST", SHOP, Integer.MAX_VALUE, () -> status(400, "BadRequest",
        "admission webhook \\\"validation.gatekeeper.sh\\\" denied the request: [must-have-team] you must provide"
        + " labels: {\\\"team\\\"}\\n[no-latest] image \\\"nginx:latest\\\" uses the tag \\\"latest\\\"\\u001b[2J\\u200f\\u200b!"));
    faults.on("POST", DOOMED, Integer.MAX_VALUE, () -> status(422, "Invalid",
        "admission webhook \\\"quota.example.com\\\" denied the request: over quota"));
    ApplyReport report = reconciled();

    String text = report.toString();
    assertTrue(text.contains("ConfigMap/shop/settings: write failed: HTTP 400: admission webhook"
        + " \"validation.gatekeeper.sh\" denied the request: [must-have-team] you must provide labels: {\"team\"}\\n"
        + "[no-latest] image \"nginx:latest\" uses the tag \"latest\"\\x1b[2J\\u200f\\u200b!"), text);
    assertTrue(text.contains("ConfigMap/doomed/settings: write failed: HTTP 422: admission webhook \"quota.example.com\""
        + " denied the request: over quota"), text);
    assertFalse(text.contains("\u001b"), "no terminal control sequence of the server's reaches the user");
    assertFalse(text.contains("\u200f") || text.contains("\u200b"), "no direction mark or zero-width space either");
    assertEquals(1, text.lines().filter(l -> l.contains("must-have-team")).count(), "one line: " + text);
    var requests = cluster.requests();
    assertEquals(1, requests.stream().filter(r -> r.startsWith("POST " + SHOP)).count(), "a denial is final");
    assertEquals(1, requests.stream().filter(r -> r.startsWith("POST " + DOOMED)).count(), "a denial is final");
  }

  @Test
  void aWebhookThatCannotBeCalledIsTriedAgainWithinTheApplysRetries() throws Exception {
    faults.on("POST", SHOP, 2, () -> status(500, "InternalError", WEBHOOK_DOWN));
    faults.on("POST", DOOMED, Integer.MAX_VALUE, () -> status(500, "InternalError", WEBHOOK_DOWN));
    ApplyReport report = reconciled();

    String text = report.toString();
    assertNotNull(cluster.client().configMaps().inNamespace("shop").withName("settings").get(), text);
    assertNull(cluster.client().configMaps().inNamespace("doomed").withName("settings").get(), text);
    assertTrue(text.contains("ConfigMap/doomed/settings: write failed: HTTP 500: " + WEBHOOK_DOWN.replace("\\\"", "\"")),
        text);
    var requests = cluster.requests();
    assertEquals(3, requests.stream().filter(r -> r.startsWith("POST " + SHOP)).count(), "applied at the third");
    assertEquals(4, requests.stream().filter(r -> r.startsWith("POST " + DOOMED)).count(), "the apply's 4 attempts");
  }
}
