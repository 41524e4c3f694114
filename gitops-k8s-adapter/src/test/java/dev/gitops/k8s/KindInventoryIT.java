package dev.gitops.k8s;

import static dev.gitops.k8s.Fixtures.ok;
import static dev.gitops.k8s.Fixtures.reconciler;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.reconcile.Reconciler;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20 item 2 on the CRUD mock: a kind that left Git is forgotten once its last owned object is
 * gone (no more LISTs of it, by this agent or a restarted one), and custom kinds are looked up by
 * their CRD's name, never by listing every CRD with its schema.
 */
class KindInventoryIT {
  private static final String CRDS = "GET /apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  @TempDir Path repo;
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud();

  private static KubernetesTarget.Options options() {
    return KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH);
  }

  private void manifests(String... docs) throws Exception {
    Files.writeString(repo.resolve("app.yaml"), String.join("\n---\n", docs));
  }

  private static final String CONFIG_MAP = """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings, namespace: shop}
      data: {mode: a}
      """;
  private static final String SERVICE = """
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: shop}
      spec:
        ports: [{port: 80, protocol: TCP}]
      """;

  private String inventory() {
    var cm = cluster.client().configMaps().inNamespace("default").withName("gitops-kinds-web").get();
    return cm == null ? "" : cm.getData().get("kinds");
  }

  @Test
  void aKindThatLeftGitIsForgottenOnceItsLastObjectIsPruned() throws Exception {
    manifests(CONFIG_MAP, SERVICE);
    Reconciler web = reconciler(repo, KubernetesTarget.of(cluster.client(), options()));
    ok(web.reconcile(null));
    assertTrue(inventory().contains("/Service"), inventory());

    manifests(CONFIG_MAP);
    assertEquals(1, ok(web.reconcile(null)).plan().changes().size(), "the Service is pruned");
    ok(web.reconcile(null));

    assertFalse(inventory().contains("/Service"), "forgotten: " + inventory());
    assertTrue(inventory().contains("/ConfigMap"), inventory());
    cluster.requests();
    ok(web.reconcile(null));
    ok(reconciler(repo, KubernetesTarget.of(cluster.client(), options())).reconcile(null)); // restarted
    List<String> requests = cluster.requests();
    assertTrue(requests.stream().noneMatch(r -> r.contains("/services")), "no LIST of services: " + requests);
  }

  @Test
  void aForgottenKindsInformerStops() throws Exception {
    manifests(CONFIG_MAP, SERVICE);
    try (ClusterCache cache = ClusterCache.of(cluster.client())) {
      Reconciler web = reconciler(repo, KubernetesTarget.of(cache, options()));
      ok(web.reconcile(null));
      assertTrue(cache.status().stream().anyMatch(s -> s.kind().startsWith("/Service ")), cache.status().toString());

      manifests(CONFIG_MAP);
      ok(web.reconcile(null));
      ok(web.reconcile(null));

      assertTrue(cache.status().stream().noneMatch(s -> s.kind().startsWith("/Service ")),
          "no reader left: " + cache.status());
      String shared = cluster.client().configMaps().inNamespace("default").withName(KindSheets.SHARED).get()
          .getData().get("kinds");
      assertEquals("/ConfigMap\n", shared, "the targets of a cache share one inventory");
    }
  }

  private static final String ACCOUNT = """
      apiVersion: v1
      kind: ServiceAccount
      metadata: {name: web, namespace: shop}
      """;

  @Test
  void aColdApplyOfManyKindsWritesTheInventoryOnce() throws Exception {
    manifests(CONFIG_MAP, SERVICE, ACCOUNT);
    cluster.requests();

    ok(reconciler(repo, KubernetesTarget.of(cluster.client(), options())).reconcile(null));

    List<String> writes = MockKubernetes.writes(cluster.requests());
    assertEquals(1, writes.stream().filter(w -> w.contains("/namespaces/default/configmaps")).count(),
        "one write of the inventory: " + writes);
    assertEquals(4, writes.size(), "one write per object, one of the inventory: " + writes);
    assertEquals("/ConfigMap\n/Service\n/ServiceAccount\n", inventory());
  }

  @Test
  void aFirstRecordCreatesTheInventoryWithOnePostAndReplacesOneMadeSinceItsRead() {
    KindInventory fresh = new KindInventory(cluster.client(), "default", null, false);
    assertTrue(fresh.read("web").isEmpty());
    cluster.requests();
    fresh.record("web", "/Service");
    assertEquals(List.of("POST /api/v1/namespaces/default/configmaps"), cluster.requests());
    var created = cluster.client().configMaps().inNamespace("default").withName("gitops-kinds-web").get();
    assertEquals(java.util.Map.of(KindInventory.LABEL, "web", "app.kubernetes.io/managed-by", "gitops"),
        created.getMetadata().getLabels());
    assertEquals("/Service\n", inventory());

    KindInventory late = new KindInventory(cluster.client(), "default", null, false);
    cluster.client().configMaps().inNamespace("default").withName("gitops-kinds-web").delete();
    assertTrue(late.read("web").isEmpty());
    cluster.client().configMaps().inNamespace("default").resource(created.toBuilder()
        .withData(java.util.Map.of("kinds", "apps/Deployment\n")).editMetadata().withResourceVersion(null)
        .endMetadata().build()).create(); // another agent wrote it after the read
    late.record("web", "/ConfigMap"); // the POST meets 409: what the other agent recorded is kept

    assertEquals("/ConfigMap\napps/Deployment\n", inventory());
  }

  @Test
  void writesOverAnInventoryMovedSinceItsReadKeepWhatTheOtherWriterRecorded() {
    KindInventory earlier = new KindInventory(cluster.client(), "default", null, false);
    earlier.record("web", "/ConfigMap");
    earlier.record("web", "/Service");
    KindInventory old = new KindInventory(cluster.client(), "default", null, false);
    KindInventory successor = new KindInventory(cluster.client(), "default", null, false);
    old.read("web"); // a run whose Git dropped the Services, cut off from the cluster after its read
    successor.read("web"); // the run that took over meanwhile: its Git has Services and a Secret
    successor.record("web", "/Secret");
    cluster.requests();

    old.forget("web", "/Service", () -> true); // the old run's network comes back: its LIST found no Service
    old.record("web", "apps/Deployment"); // and its apply goes on

    List<String> requests = cluster.requests();
    assertEquals("/ConfigMap\n/Secret\n/Service\napps/Deployment\n", inventory(),
        "nothing the successor recorded is dropped");
    assertEquals(List.of("PATCH /api/v1/namespaces/default/configmaps/gitops-kinds-web",
        "GET /api/v1/namespaces/default/configmaps/gitops-kinds-web",
        "PATCH /api/v1/namespaces/default/configmaps/gitops-kinds-web"), requests,
        "the forget on the version it read is refused (409) and left to the next read; the record writes the"
            + " inventory as read again");
  }

  @Test
  void anInventoryDeletedByHandIsRecordedAgainBeforeAKindLeavesGit() throws Exception {
    manifests(CONFIG_MAP, SERVICE);
    ok(reconciler(repo, KubernetesTarget.of(cluster.client(), options())).reconcile(null));
    cluster.client().configMaps().inNamespace("default").withName("gitops-kinds-web").delete();

    ok(reconciler(repo, KubernetesTarget.of(cluster.client(), options())).reconcile(null)); // nothing to apply
    assertEquals("/ConfigMap\n/Service\n", inventory(), "what the read found owned is recorded again");

    manifests(CONFIG_MAP);
    ok(reconciler(repo, KubernetesTarget.of(cluster.client(), options())).reconcile(null)); // a restarted agent
    assertTrue(cluster.client().services().inNamespace("shop").list().getItems().isEmpty(), "the Service is pruned");
  }

  @Test
  void aKindWhoseListMeetsNotFoundIsNotForgotten() throws Exception {
    manifests(CONFIG_MAP, custom("Widget"));
    try (MockKubernetes flaky = MockKubernetes.crud(new KubernetesCrudDispatcher() {
      private final java.util.concurrent.atomic.AtomicInteger lists = new java.util.concurrent.atomic.AtomicInteger();

      @Override
      public MockResponse dispatch(RecordedRequest request) {
        if (request.getPath().startsWith("/apis/example.com/v1/widgets?") && lists.incrementAndGet() == 2) {
          return new MockResponse().setResponseCode(404).setBody("{\"kind\":\"Status\",\"code\":404}");
        }
        return super.dispatch(request);
      }
    })) {
      crd(flaky.client(), "Widget", "widgets");
      Reconciler web = reconciler(repo, KubernetesTarget.of(flaky.client(), options()));
      ok(web.reconcile(null));
      manifests(CONFIG_MAP);

      ok(web.reconcile(null)); // its LIST answers 404 once (the CRD changing its versions, say): nothing found

      var widgets = flaky.client().genericKubernetesResources("example.com/v1", "Widget").inNamespace("shop");
      assertEquals(1, widgets.list().getItems().size(), "not pruned: the LIST said nothing");
      assertTrue(flaky.client().configMaps().inNamespace("default").withName("gitops-kinds-web").get().getData()
          .get("kinds").contains("example.com/Widget"), "still recorded");
      ok(reconciler(repo, KubernetesTarget.of(flaky.client(), options())).reconcile(null)); // a restarted agent
      assertTrue(widgets.list().getItems().isEmpty(), "pruned once the LIST answers");
    }
  }

  private void crd(String kind, String plural) {
    crd(cluster.client(), kind, plural);
  }

  private static void crd(io.fabric8.kubernetes.client.KubernetesClient client, String kind, String plural) {
    CustomResourceDefinition crd = new CustomResourceDefinitionBuilder().withNewMetadata()
        .withName(plural + ".example.com").endMetadata().withNewSpec().withGroup("example.com")
        .withScope("Namespaced").withNewNames().withKind(kind).withPlural(plural).endNames()
        .addNewVersion().withName("v1").withServed(true).withStorage(true).endVersion().endSpec().build();
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
  }

  private static String custom(String kind) {
    return """
        apiVersion: example.com/v1
        kind: %s
        metadata: {name: one, namespace: shop}
        spec: {size: 3}
        """.formatted(kind);
  }

  @Test
  void aCustomKindIsLookedUpByItsCrdsNameNeverByListingEveryCrd() throws Exception {
    crd("Widget", "widgets");
    crd("Gadget", "gadgets");
    manifests(CONFIG_MAP, custom("Widget"));
    cluster.requests();
    Reconciler web = reconciler(repo, KubernetesTarget.of(cluster.client(), options()));

    ok(web.reconcile(null));

    List<String> requests = cluster.requests();
    assertTrue(requests.contains(CRDS + "/widgets.example.com"), requests.toString());
    assertTrue(requests.stream().noneMatch(r -> r.equals(CRDS) || r.startsWith(CRDS + "?")
        || r.contains("gadgets")), "no listing of every CRD: " + requests);

    manifests(CONFIG_MAP);
    ok(web.reconcile(null)); // prunes the Widget
    ok(web.reconcile(null)); // forgets the kind
    cluster.client().apiextensions().v1().customResourceDefinitions().withName("widgets.example.com").delete();
    cluster.requests();
    ok(reconciler(repo, KubernetesTarget.of(cluster.client(), options())).reconcile(null)); // restarted
    requests = cluster.requests();
    assertTrue(requests.stream().noneMatch(r -> r.contains("customresourcedefinitions")),
        "a restarted agent asks for no CRD once the custom kind left: " + requests);
  }

  @Test
  void aCustomKindWithAnIrregularPluralIsFoundThroughDiscovery() throws Exception {
    crd("Octopus", "octopi");
    manifests(custom("Octopus"));
    Reconciler web = reconciler(repo, KubernetesTarget.of(cluster.client(), options()));

    ok(web.reconcile(null));

    assertTrue(ok(web.reconcile(null)).plan().isEmpty(), "converged");
    List<String> requests = cluster.requests();
    assertTrue(requests.contains("GET /apis/example.com/v1"), "discovery: " + requests);
    assertTrue(requests.contains(CRDS + "/octopi.example.com"), requests.toString());
    assertTrue(requests.stream().noneMatch(r -> r.equals(CRDS) || r.startsWith(CRDS + "?")), requests.toString());
  }
}
