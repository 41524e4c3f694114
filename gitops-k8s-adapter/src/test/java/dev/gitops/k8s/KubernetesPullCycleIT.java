package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanOptions;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.source.GitSource;
import dev.gitops.source.Source;
import dev.gitops.testing.git.GitRepo;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Full pull cycles of real fixture sets against the CRUD mock, with JSON_PATCH: podinfo from a Git
 * repository (GitSource over file://), kube-prometheus from a directory.
 */
class KubernetesPullCycleIT {
  @TempDir Path repo;
  @TempDir Path cache;
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud();

  private Reconciler reconciler(String name) {
    return reconciler(name, DirectorySource.of(repo));
  }

  private Reconciler reconciler(String name, Source source) {
    KubernetesTarget target = KubernetesTarget.of(cluster.client(),
        KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH));
    return Reconciler.builder().name(name)
        .source(source)
        .loader(new ManifestLoader())
        .target(Fixtures.withControllers(target, cluster.client()))
        .planOptions(PlanOptions.defaults().withDiff(KubernetesDiff.options())
            .withKindOrder(KubernetesKinds.order()))
        .applyOptions(ApplyOptions.defaults().withHealthWait(Duration.ofSeconds(30), Duration.ofMillis(1))
            .withSleeper(d -> { }))
        .prune(true).build();
  }

  @Test
  void podinfoFromGitConvergesThenRerunWritesNothingAndRemovedFileIsPruned() throws Exception {
    copy(Fixtures.k8s().resolve("podinfo/deploy/webapp"));
    GitRepo git = GitRepo.init(repo);
    git.commit("podinfo webapp");
    cluster.client().configMaps().inNamespace("webapp").resource(new ConfigMapBuilder()
        .withNewMetadata().withName("hand-made").endMetadata().addToData("k", "v").build()).create();
    GitSource source = GitSource.builder(repo.toUri().toString()).ref("main").cache(cache).build();
    Reconciler podinfo = reconciler("podinfo", source);
    cluster.requests();

    ReconcileResult cold = podinfo.reconcile(null);
    assertTrue(cold.report().isSuccess(), cold.report().toString());
    assertEquals(11, cold.plan().counts().get(Action.Kind.CREATE), cold.plan().summary());
    cluster.requests();

    ReconcileResult again = podinfo.reconcile(null);
    List<String> requests = cluster.requests();
    assertTrue(again.plan().isEmpty(), again.plan().render());
    assertEquals(List.of(), MockKubernetes.writes(requests));
    long kinds = again.plan().actions().stream().map(a -> a.id().group() + "/" + a.id().kind())
        .distinct().count();
    assertTrue(requests.size() <= kinds + 2, requests.size() + " requests for " + kinds + " kinds: " + requests);

    git.delete("frontend/hpa.yaml").commit("drop the frontend autoscaler");
    ReconcileResult pruned = podinfo.reconcile(null);
    assertTrue(pruned.report().isSuccess(), pruned.report().toString());
    ResourceId hpa = new ResourceId("autoscaling", "HorizontalPodAutoscaler", "webapp", "frontend");
    assertTrue(pruned.plan().action(hpa).orElseThrow() instanceof Action.Delete, pruned.plan().summary());
    assertEquals(1, pruned.plan().changes().size(), pruned.plan().summary());
    assertNull(cluster.client().genericKubernetesResources("autoscaling/v2", "HorizontalPodAutoscaler")
        .inNamespace("webapp").withName("frontend").get());
    assertNotNull(cluster.client().configMaps().inNamespace("webapp").withName("hand-made").get(),
        "an unowned object is left alone");

    git.delete("backend/hpa.yaml").commit("drop the backend autoscaler");   // the last object of its kind leaves Git
    ReconcileResult restarted = reconciler("podinfo", source).reconcile(null);   // a new agent process
    assertTrue(restarted.plan().action(hpa.withName("backend")).orElseThrow() instanceof Action.Delete,
        restarted.plan().summary());
    assertTrue(restarted.report().isSuccess(), restarted.report().toString());
    source.close();
    git.close();
  }

  @Test
  void kubePrometheusAppliesCrdsBeforeTheirResourcesAndConverges() throws IOException {
    copy(Fixtures.k8s().resolve("kube-prometheus"));
    Reconciler monitoring = reconciler("monitoring");

    ReconcileResult cold = monitoring.reconcile(null);
    assertTrue(cold.report().isSuccess(), cold.report().toString());
    Plan plan = cold.plan();
    int crdWave = waveOf(plan, new ResourceId("apiextensions.k8s.io", "CustomResourceDefinition", "",
        "prometheuses.monitoring.coreos.com"));
    int crWave = waveOf(plan, new ResourceId("monitoring.coreos.com", "Prometheus", "monitoring", "k8s"));
    int nsWave = waveOf(plan, ResourceId.of("Namespace", "", "monitoring"));
    assertTrue(nsWave < crdWave && crdWave < crWave, nsWave + " " + crdWave + " " + crWave);
    cluster.requests();

    ReconcileResult again = monitoring.reconcile(null);
    List<String> requests = cluster.requests();
    assertTrue(again.plan().isEmpty(), again.plan().render());
    assertEquals(List.of(), MockKubernetes.writes(requests));
  }

  @Test
  void badManifestFailsWithFileAndLineBeforeAnyRequest() throws IOException {
    copy(Fixtures.k8s().resolve("podinfo/deploy/webapp"));
    Files.writeString(repo.resolve("common/broken.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: 1\n  x: 2\n");
    Reconciler podinfo = reconciler("podinfo");
    cluster.requests();
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> podinfo.reconcile(null));
    assertTrue(e.getMessage().contains("common/broken.yaml:7"), e.getMessage());
    assertTrue(e.getMessage().contains("duplicate mapping key 'x'"), e.getMessage());
    assertEquals(List.of(), cluster.requests());
  }

  private static int waveOf(Plan plan, ResourceId id) {
    for (int i = 0; i < plan.waves().size(); i++) {
      if (plan.waves().get(i).actions().stream().anyMatch(a -> a.id().equals(id))) {
        return i;
      }
    }
    throw new AssertionError(id + " not in plan " + plan.summary());
  }

  private void copy(Path from) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        String name = p.getFileName().toString();
        if (!name.endsWith(".yaml") && !name.endsWith(".yml") && !name.endsWith(".json")) {
          continue;
        }
        Path to = repo.resolve(from.relativize(p).toString());
        Files.createDirectories(to.getParent());
        Files.copy(p, to);
      }
    }
    assertFalse(Files.list(repo).findAny().isEmpty());
  }
}
