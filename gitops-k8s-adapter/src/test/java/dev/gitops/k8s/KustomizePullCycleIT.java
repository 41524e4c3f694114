package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.k8s.render.Kustomize;
import dev.gitops.k8s.render.KustomizeLoader;
import dev.gitops.k8s.render.Overlay;
import dev.gitops.plan.Action;
import dev.gitops.plan.PlanOptions;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.GitSource;
import dev.gitops.testing.git.GitRepo;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An overlay repository (a base and two overlays with patches, a configMapGenerator and a
 * secretGenerator) in Git, reconciled from its staging overlay on the CRUD mock: generated names
 * change with their data, the old generated objects are pruned, a no-op poll renders nothing, and
 * the Secret's values appear in no plan or report.
 */
class KustomizePullCycleIT {
  @TempDir Path repo;
  @TempDir Path cache;
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud();
  private final List<String> printed = new ArrayList<>();

  @Test
  void overlayConvergesRollsGeneratedNamesPrunesTheOldOnesAndNeverPrintsSecrets() throws Exception {
    assumeTrue(Kustomize.onPath().isPresent(), "neither kustomize nor kubectl is on the PATH: test skipped");
    String first = "first-" + UUID.randomUUID();
    String second = "second-" + UUID.randomUUID();
    Overlay.write(repo, "blue", first);
    GitRepo git = GitRepo.init(repo);
    git.commit("base and overlays");
    GitSource source = GitSource.builder(repo.toUri().toString()).ref("main").cache(cache).build();
    KustomizeLoader loader = KustomizeLoader.of().withFolder("overlays/staging").withTimeout(Duration.ofMinutes(10));
    Reconciler staging = Reconciler.builder().name("staging").source(source).loader(loader)
        .target(Fixtures.withControllers(KubernetesTarget.of(cluster.client(),
            KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH)
                .listing("ConfigMap", "Secret", "Service", "ServiceAccount", "apps/Deployment")), cluster.client()))
        .planOptions(PlanOptions.defaults().withDiff(KubernetesDiff.options()).withKindOrder(KubernetesKinds.order()))
        .applyOptions(ApplyOptions.defaults().withHealthWait(Duration.ofSeconds(30), Duration.ofMillis(1))
            .withSleeper(d -> { }))
        .prune(true).build();

    ReconcileResult cold = record(staging.reconcile(null));
    assertEquals(5, cold.plan().counts().get(Action.Kind.CREATE), cold.plan().summary());
    String config1 = configMapName();
    assertTrue(config1.startsWith("staging-web-config-"), config1);
    assertEquals(config1, envFrom(0));
    String coldText = cold.plan().render();
    assertTrue(coldText.contains("  + create apps/Deployment/staging/staging-web from base/deploy.yaml:2\n"), coldText);
    assertTrue(coldText.contains("  + create ServiceAccount/staging/staging-web from base/service.yaml:11\n"), coldText);
    assertTrue(coldText.contains("  + create ConfigMap/staging/" + config1 + " from base/kustomization.yaml:5\n"), coldText);
    JsonNode deploy = step(new ObjectMapper().readTree(cold.plan().toJson()), "apps/Deployment/staging/staging-web");
    assertEquals("base/deploy.yaml", deploy.at("/desired/origin/file").asText(), deploy.toString());
    assertEquals(2, deploy.at("/desired/origin/line").asInt(), deploy.toString());

    ReconcileResult poll = record(staging.reconcile(null));
    assertTrue(poll.plan().isEmpty(), poll.plan().summary());
    assertEquals(1, loader.renders(), "a no-op poll renders nothing");

    Overlay.write(repo, "green", second);
    git.commit("green, new password");
    ReconcileResult rolled = record(staging.reconcile(null));
    assertEquals(2, loader.renders());
    String config2 = configMapName();
    assertFalse(config1.equals(config2), "the hash suffix changes with the data");
    assertEquals(config2, envFrom(0));
    assertNull(cluster.client().configMaps().inNamespace("staging").withName(config1).get(), "old ConfigMap pruned");
    assertEquals(1, cluster.client().secrets().inNamespace("staging").list().getItems().size(), "old Secret pruned");
    assertEquals(2, rolled.plan().counts().get(Action.Kind.DELETE), rolled.plan().summary());
    assertNotNull(cluster.client().secrets().inNamespace("staging").list().getItems().get(0).getData().get("password"));

    for (String value : List.of(first, second, b64(first), b64(second))) {
      for (String text : printed) {
        assertFalse(text.contains(value), "a Secret value leaked into: " + text);
      }
    }
    source.close();
    git.close();
  }

  private ReconcileResult record(ReconcileResult result) {
    assertTrue(result.report().isSuccess(), result.report().toString());
    printed.add(result.plan().render());
    printed.add(result.plan().toJson());
    printed.add(result.plan().toString());
    printed.add(result.report().toString());
    printed.add(result.toString());
    result.plan().actions().forEach(a -> printed.add(a.toString()));
    return result;
  }

  private static JsonNode step(JsonNode plan, String id) {
    for (JsonNode wave : plan.path("waves")) {
      for (JsonNode action : wave.path("actions")) {
        if (id.equals(action.path("id").asText())) {
          return action;
        }
      }
    }
    throw new AssertionError("no step for " + id + " in " + plan);
  }

  private String configMapName() {
    List<ConfigMap> items = cluster.client().configMaps().inNamespace("staging").list().getItems().stream()
        .filter(c -> c.getMetadata().getName().startsWith("staging-web-config-")).toList();
    assertEquals(1, items.size(), items.toString());
    return items.get(0).getMetadata().getName();
  }

  private String envFrom(int i) {
    JsonNode d = new ObjectMapper().valueToTree(cluster.client().genericKubernetesResources("apps/v1", "Deployment")
        .inNamespace("staging").withName("staging-web").get());
    assertEquals(2, d.at("/spec/replicas").asInt(), "the staging patch");
    return d.at("/spec/template/spec/containers/0/envFrom/" + i + "/configMapRef/name").asText();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
