package dev.gitops.k8s;

import static dev.gitops.k8s.Fixtures.ok;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Namespace that left Git is pruned only when deleting it takes nothing else with it: the API
 * server deletes whatever a Namespace holds, whoever made it. Here a claim nobody owns keeps it (the
 * owned ConfigMap inside goes); what the server makes itself, token Secrets and a controller's
 * children do not; once the claim is gone, or the Namespace is annotated, it goes. The CRUD mock
 * answers discovery here as a server does ({@code /api/v1}, {@code /apis}, {@code /apis/apps/v1});
 * gitops-testing's {@code ControllerStandIn} makes Namespaces Active.
 */
class NamespacePruneIT {
  private static final String CORE = """
      {"kind":"APIResourceList","groupVersion":"v1","resources":[
       {"name":"namespaces","namespaced":false,"kind":"Namespace","verbs":["get","list","delete"]},
       {"name":"configmaps","namespaced":true,"kind":"ConfigMap","verbs":["get","list","create"]},
       {"name":"secrets","namespaced":true,"kind":"Secret","verbs":["get","list","create"]},
       {"name":"serviceaccounts","namespaced":true,"kind":"ServiceAccount","verbs":["get","list"]},
       {"name":"serviceaccounts/token","namespaced":true,"kind":"TokenRequest","verbs":["create"]},
       {"name":"persistentvolumeclaims","namespaced":true,"kind":"PersistentVolumeClaim","verbs":["get","list"]},
       {"name":"pods","namespaced":true,"kind":"Pod","verbs":["get","list"]},
       {"name":"events","namespaced":true,"kind":"Event","verbs":["get","list"]}]}
      """;
  private static final String GROUPS = """
      {"kind":"APIGroupList","groups":[{"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],
       "preferredVersion":{"groupVersion":"apps/v1","version":"v1"}}]}
      """;
  private static final String APPS = """
      {"kind":"APIResourceList","groupVersion":"apps/v1","resources":[
       {"name":"deployments","namespaced":true,"kind":"Deployment","verbs":["get","list"]}]}
      """;

  @TempDir Path repo;
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud(new KubernetesCrudDispatcher() {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String body = switch (request.getPath()) {
        case "/api/v1" -> CORE;
        case "/apis" -> GROUPS;
        case "/apis/apps/v1" -> APPS;
        default -> null;
      };
      return body != null ? new MockResponse().setResponseCode(200).setBody(body) : super.dispatch(request);
    }
  });

  private Reconciler reconciler(String yaml) throws Exception {
    Files.writeString(repo.resolve("app.yaml"), yaml);
    KubernetesTarget target = KubernetesTarget.of(cluster.client(), KubernetesTarget.Options.defaults()
        .withStrategy(ApplyStrategy.JSON_PATCH));
    return Reconciler.builder().name("web").source(DirectorySource.of(repo)).loader(new ManifestLoader())
        .target(Fixtures.withControllers(target, cluster.client())).planOptions(target.planDefaults()).prune(true)
        .applyOptions(ApplyOptions.defaults().withSleeper(d -> { })).build();
  }

  private static final String BEFORE = """
      apiVersion: v1
      kind: Namespace
      metadata: {name: shop}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings, namespace: shop}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: keep, namespace: other}
      """;
  private static final String AFTER = """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: keep, namespace: other}
      """;

  private void create(String json) {
    cluster.client().raw(cluster.client().getMasterUrl() + json.substring(0, json.indexOf(' ')), "POST",
        json.substring(json.indexOf(' ') + 1));
  }

  @Test
  void aNamespaceHoldingWhatNobodyDeletesIsKeptUntilItIsEmpty() throws Exception {
    ok(reconciler(BEFORE).reconcile(null));
    create("api/v1/namespaces/shop/persistentvolumeclaims {\"apiVersion\":\"v1\",\"kind\":\"PersistentVolumeClaim\","
        + "\"metadata\":{\"name\":\"data\",\"namespace\":\"shop\"}}");
    create("api/v1/namespaces/shop/configmaps {\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
        + "\"metadata\":{\"name\":\"kube-root-ca.crt\",\"namespace\":\"shop\"}}");
    create("api/v1/namespaces/shop/secrets {\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"type\":"
        + "\"kubernetes.io/service-account-token\",\"metadata\":{\"name\":\"default-token\",\"namespace\":\"shop\"}}");
    create("api/v1/namespaces/shop/pods {\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-1\","
        + "\"namespace\":\"shop\",\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\","
        + "\"name\":\"web\",\"uid\":\"u1\"}]}}");

    Reconciler after = reconciler(AFTER);
    ReconcileResult refused = after.reconcile(null);
    assertFalse(refused.report().isSuccess());
    String report = refused.report().toString();
    assertTrue(report.contains("refused to delete the Namespace: it holds what gitops does not delete, which"
        + " would go with it: PersistentVolumeClaim/data; delete or move them first"), report);
    assertFalse(report.contains("kube-root-ca.crt") || report.contains("default-token") || report.contains("web-1"),
        report);
    assertNotNull(cluster.client().namespaces().withName("shop").get(), "kept");
    assertNull(cluster.client().configMaps().inNamespace("shop").withName("settings").get(), "its own content went");

    cluster.client().persistentVolumeClaims().inNamespace("shop").withName("data").delete();
    ok(after.reconcile(null));
    assertNull(cluster.client().namespaces().withName("shop").get(), "pruned once nothing else would go");
  }

  @Test
  void anAnnotatedNamespaceGoesWithWhatItHolds() throws Exception {
    ok(reconciler(BEFORE).reconcile(null));
    create("api/v1/namespaces/shop/persistentvolumeclaims {\"apiVersion\":\"v1\",\"kind\":\"PersistentVolumeClaim\","
        + "\"metadata\":{\"name\":\"data\",\"namespace\":\"shop\"}}");
    cluster.client().namespaces().withName("shop").edit(n -> {
      n.getMetadata().setAnnotations(java.util.Map.of(NamespaceContents.PRUNE_CONTENTS, "true"));
      return n;
    });
    ok(reconciler(AFTER).reconcile(null));
    assertNull(cluster.client().namespaces().withName("shop").get());
  }
}
