package dev.gitops.k8s;

import static dev.gitops.k8s.Fixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Problem;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.target.Target;
import dev.gitops.testing.k8s.MockKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit that changes fields the API server keeps as created (a Job's template, a RoleBinding's
 * roleRef) is refused before the first write, although the fabric8 mock, unlike a cluster, would
 * take the updates: the other changes of the same commit wait too, and once the two objects are
 * deleted the next run creates them anew with everything else. Jobs complete through
 * gitops-testing's {@code ControllerStandIn}.
 */
class ImmutableFieldsIT {
  private static final String APP = """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings, namespace: shop}
      data: {MODE: %s}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: deployers, namespace: shop}
      subjects:
      - {kind: Group, name: deployers, apiGroup: rbac.authorization.k8s.io}
      roleRef: {kind: ClusterRole, name: %s, apiGroup: rbac.authorization.k8s.io}
      ---
      apiVersion: batch/v1
      kind: Job
      metadata: {name: migrate, namespace: shop}
      spec:
        template:
          spec:
            restartPolicy: Never
            containers:
            - name: migrate
              image: ghcr.io/example/migrate:%s
      """;

  private static final String DEADLINE = """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings, namespace: shop}
      data: {MODE: %s}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: batch, namespace: shop}
      spec:
        activeDeadlineSeconds: %d
        restartPolicy: Never
        containers: [{name: app, image: "ghcr.io/example/batch:1.0"}]
      """;

  @TempDir Path repo;
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud();
  private final Target target = Fixtures.withControllers(KubernetesTarget.of(cluster.client(),
      KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH)), cluster.client());

  private Reconciler reconciler(String mode, String role, String version) throws Exception {
    Files.writeString(repo.resolve("app.yaml"), APP.formatted(mode, role, version));
    return reconciler();
  }

  private Reconciler reconciler() {
    return Reconciler.builder().name("web").source(DirectorySource.of(repo))
        .loader(new ManifestLoader()).target(target).prune(true).planOptions(target.planDefaults())
        .applyOptions(ApplyOptions.defaults().withSleeper(d -> { })).build();
  }

  private String role() {
    return String.valueOf(binding().get().getAdditionalProperties().get("roleRef")).replaceAll(".*name=(\\w+).*", "$1");
  }

  private String image() {
    return String.valueOf(job().get().getAdditionalProperties().get("spec")).replaceAll(".*image=([^,}]+).*", "$1");
  }

  private io.fabric8.kubernetes.client.dsl.Resource<io.fabric8.kubernetes.api.model.GenericKubernetesResource> job() {
    return cluster.client().genericKubernetesResources("batch/v1", "Job").inNamespace("shop").withName("migrate");
  }

  private io.fabric8.kubernetes.client.dsl.Resource<io.fabric8.kubernetes.api.model.GenericKubernetesResource> binding() {
    return cluster.client().genericKubernetesResources("rbac.authorization.k8s.io/v1", "RoleBinding")
        .inNamespace("shop").withName("deployers");
  }

  private String mode() {
    return cluster.client().configMaps().inNamespace("shop").withName("settings").get().getData().get("MODE");
  }

  @Test
  void changedImmutableFieldsAreRefusedBeforeAnyWriteAndTheObjectsRecreatedOnceDeleted() throws Exception {
    ok(reconciler("slow", "view", "5.2.0").reconcile(null));
    assertEquals("view", role());
    assertEquals("ghcr.io/example/migrate:5.2.0", image());

    ok(reconciler("slow", "view", "5.2.0").reconcile(null)); // unchanged: no refusal
    Reconciler next = reconciler("fast", "edit", "5.3.0");
    cluster.requests();
    var e = assertThrows(InvalidDesiredStateException.class, () -> next.reconcile(null));

    List<String> problems = e.problems().stream().map(Problem::toString).toList();
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("app.yaml:6: rbac.authorization.k8s.io/RoleBinding/shop/deployers:"
        + " roleRef cannot change once the object exists"), problems.get(0));
    assertTrue(problems.get(0).contains("changed: roleRef.name; cannot change roleRef"), problems.get(0));
    assertTrue(problems.get(1).startsWith("app.yaml:13: batch/Job/shop/migrate: spec.template cannot change"
        + " once the object exists"), problems.get(1));
    assertTrue(problems.get(1).contains("changed: spec.template.spec.containers[0].image"), problems.get(1));
    assertTrue(cluster.requests().stream().allMatch(r -> r.startsWith("GET ")), "nothing written");
    assertEquals("slow", mode(), "the ConfigMap of the same commit waits");
    assertEquals("view", role());
    assertEquals("ghcr.io/example/migrate:5.2.0", image());

    binding().delete();
    job().delete();
    ok(next.reconcile(null));
    assertEquals("edit", role(), "created anew");
    assertEquals("ghcr.io/example/migrate:5.3.0", image(), "created anew");
    ok(next.reconcile(null)); // and then in sync
    assertEquals("fast", mode());
  }

  /**
   * A Pod's {@code activeDeadlineSeconds} raised in Git: {@code ValidatePodUpdate} refuses it ("must be
   * less than or equal to previous value"), the mock takes it; refused before any write, the ConfigMap
   * of the same commit waiting too. Lowered, it is an update.
   */
  @Test
  void aPodsActiveDeadlineRaisedIsRefusedBeforeAnyWriteAndLoweredIsAnUpdate() throws Exception {
    Files.writeString(repo.resolve("app.yaml"), DEADLINE.formatted("slow", 600));
    Reconciler web = reconciler();
    ok(web.reconcile(null));

    Files.writeString(repo.resolve("app.yaml"), DEADLINE.formatted("fast", 1200));
    cluster.requests();
    var e = assertThrows(InvalidDesiredStateException.class, () -> web.reconcile(null));
    List<String> problems = e.problems().stream().map(Problem::toString).toList();
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("app.yaml:6: Pod/shop/batch: spec.activeDeadlineSeconds may be lowered"
        + " but not raised nor removed once set"), problems.get(0));
    assertTrue(cluster.requests().stream().allMatch(r -> r.startsWith("GET ")), "nothing written");
    assertEquals("slow", mode(), "the ConfigMap of the same commit waits");

    Files.writeString(repo.resolve("app.yaml"), DEADLINE.formatted("fast", 300));
    ok(web.reconcile(null));
    assertEquals(300L, cluster.client().pods().inNamespace("shop").withName("batch").get().getSpec()
        .getActiveDeadlineSeconds());
    assertEquals("fast", mode());
  }

  @Test
  void anObjectAnnotatedRecreateIsDeletedAndCreatedAnew() throws Exception {
    String annotated = APP.replace("metadata: {name: migrate, namespace: shop}",
        "metadata: {name: migrate, namespace: shop, annotations: {gitops.dev/recreate: \"true\"}}");
    Files.writeString(repo.resolve("app.yaml"), annotated.formatted("slow", "view", "5.2.0"));
    Reconciler web = reconciler();
    ok(web.reconcile(null));
    String uid = job().get().getMetadata().getUid();

    Files.writeString(repo.resolve("app.yaml"), annotated.formatted("fast", "view", "5.3.0"));
    ok(web.reconcile(null));
    assertEquals("ghcr.io/example/migrate:5.3.0", image());
    assertTrue(!uid.equals(job().get().getMetadata().getUid()), "a new Job");
    assertEquals("fast", mode());

    uid = job().get().getMetadata().getUid();
    Files.writeString(repo.resolve("app.yaml"), annotated.formatted("fast", "view", "5.3.0")
        .replace("spec:\n  template:", "spec:\n  backoffLimit: 1\n  template:"));
    ok(web.reconcile(null));
    assertEquals(uid, job().get().getMetadata().getUid(), "a change the server takes is an update");
    ok(web.reconcile(null));
  }
}
