package dev.gitops.k8s;

import static dev.gitops.k8s.Fixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanFormatException;
import dev.gitops.plan.Wave;
import dev.gitops.reconcile.PushDeployer;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.reconcile.StalePlanException;
import dev.gitops.source.DirectorySource;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan saved for review (push deploy, {@code terraform apply plan.out} style) and deployed later
 * against a cluster: refused before any write to the cluster when the cluster moved since, when
 * its file was edited by hand, or when its steps are not the fresh plan's. Only the deploy's lock
 * Lease is written (taken and released).
 */
class SavedPlanIT {
  /** A ConfigMap (mode a) and a Service. */
  private static final String V1 = Fixtures.SHOP.substring(0, Fixtures.SHOP.lastIndexOf("---"));
  /** Git after the review's commit: the ConfigMap's mode is b, the Service is gone. */
  private static final String V2 = V1.substring(0, V1.indexOf("---")).replace("mode: a", "mode: b");

  @TempDir Path repo;
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud();
  private final KubernetesTarget target = KubernetesTarget.of(cluster.client(), KubernetesTarget.Options.defaults()
      .withStrategy(ApplyStrategy.JSON_PATCH));
  private PushDeployer deployer;

  /** The reviewed plan of v2, as its JSON file, after v1 was deployed. */
  private String reviewed() throws Exception {
    Reconciler web = Reconciler.builder().name("web").source(DirectorySource.of(repo))
        .loader(new ManifestLoader()).target(target).planOptions(target.planDefaults()).prune(true)
        .applyOptions(ApplyOptions.defaults().withSleeper(d -> { })).build();
    deployer = PushDeployer.builder(web).holder("ci-42").build();
    Files.writeString(repo.resolve("app.yaml"), V1);
    ok(deployer.deploy("main"));
    Files.writeString(repo.resolve("app.yaml"), V2);
    String json = deployer.preview("main").toJson();
    cluster.requests();
    return json;
  }

  /** The writes since the last call, but for the deploy lock's Lease. */
  private List<String> writesButTheLock() {
    return MockKubernetes.writes(cluster.requests()).stream().filter(w -> !w.contains("/leases")).toList();
  }

  private String mode() {
    return cluster.client().configMaps().inNamespace("shop").withName("settings").get().getData().get("mode");
  }

  @Test
  void aSavedPlanDeployedAfterTheClusterMovedIsRefusedBeforeAnyWrite() throws Exception {
    String json = reviewed();
    cluster.client().configMaps().inNamespace("shop").withName("settings")
        .edit(cm -> { cm.getData().put("mode", "by-hand"); return cm; }); // after the review
    cluster.requests();

    StalePlanException e = assertThrows(StalePlanException.class,
        () -> deployer.deploy("main", Plan.fromJson(json, target.planDefaults().diff())));

    assertTrue(e.getMessage().contains("the approved plan is stale") && e.getMessage().contains("ConfigMap/shop/settings"),
        e.getMessage());
    assertEquals(List.of(ResourceId.of("ConfigMap", "shop", "settings")), e.moved());
    assertEquals(List.of(), writesButTheLock());
    assertEquals("by-hand", mode());
    assertNotNull(cluster.client().services().inNamespace("shop").withName("web").get(), "not pruned");
    assertTrue(ok(deployer.deploy("main", Plan.fromJson(deployer.preview("main").toJson(),
        target.planDefaults().diff()))).isSuccess(), "a plan reviewed again deploys");
    assertEquals("b", mode());
  }

  @Test
  void aPlanFileEditedByHandIsRefusedBeforeAnyWrite() throws Exception {
    String json = reviewed();
    cluster.client().services().inNamespace("shop").resource(new ServiceBuilder().withNewMetadata().withName("api")
        .withNamespace("shop").withLabels(Map.of(KubernetesTarget.OWNER_LABEL, "api")).endMetadata().withNewSpec()
        .addNewPort().withPort(80).endPort().endSpec().build()).create(); // another owner's
    cluster.requests();

    for (String edited : List.of(json.replace("\"mode\": \"b\"", "\"mode\": \"evil\""),
        json.replace("Service/shop/web", "Service/shop/api"))) {
      org.junit.jupiter.api.Assertions.assertNotEquals(json, edited, "the edit applies to the file");
      PlanFormatException e = assertThrows(PlanFormatException.class,
          () -> deployer.deploy("main", Plan.fromJson(edited, target.planDefaults().diff())));
      assertTrue(e.getMessage().startsWith("the plan was edited after it was made"), e.getMessage());
    }

    assertEquals(List.of(), MockKubernetes.writes(cluster.requests()), "not even the lock is taken");
    assertEquals("a", mode());
    assertNotNull(cluster.client().services().inNamespace("shop").withName("api").get());
  }

  @Test
  void aPlanWhoseStepsAreNotTheFreshPlansIsRefusedWhateverItsFingerprint() throws Exception {
    Plan approved = Plan.fromJson(reviewed(), target.planDefaults().diff());
    cluster.client().services().inNamespace("shop").resource(new ServiceBuilder().withNewMetadata().withName("api")
        .withNamespace("shop").withLabels(Map.of(KubernetesTarget.OWNER_LABEL, "api")).endMetadata().withNewSpec()
        .addNewPort().withPort(80).endPort().endSpec().build()).create();
    var api = KubernetesTarget.observed(Json.tree(cluster.client().getKubernetesSerialization(),
        cluster.client().services().inNamespace("shop").withName("api").get()));
    List<Wave> waves = approved.waves().stream().map(w -> new Wave(w.index(), w.actions().stream()
        .map(a -> a.kind() == Action.Kind.DELETE ? (Action) new Action.Delete(api.id(), api.fingerprint()) : a)
        .toList())).toList();
    Plan swapped = new Plan(approved.owner(), approved.revision(), waves, approved.fingerprint());
    cluster.requests();

    StalePlanException e = assertThrows(StalePlanException.class, () -> deployer.deploy("main", swapped));

    assertTrue(e.getMessage().contains("its fingerprint is the fresh plan's but its steps are not"), e.getMessage());
    assertEquals(List.of(), writesButTheLock());
    assertNotNull(cluster.client().services().inNamespace("shop").withName("api").get(), "another owner's: kept");
  }
}
