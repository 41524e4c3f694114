package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gitops.diff.DiffOptions;
import dev.gitops.diff.Differ;
import dev.gitops.diff.PathRule;
import dev.gitops.model.DesiredState;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanOptions;
import dev.gitops.plan.Planner;
import dev.gitops.target.Scope;
import dev.gitops.testing.k8s.MockKubernetes;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import dev.gitops.model.Content;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.k8s.lease.LeaseElector;
import dev.gitops.target.Target;
import dev.gitops.target.TargetContract;
import dev.gitops.target.WrapperContract;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The core {@link TargetContract} against {@link KubernetesTarget} (JSON_PATCH) on the CRUD mock, and
 * the {@link WrapperContract} under every wrapper the adapter has (a lease guard, the controllers'
 * stand-in) beside core's.
 */
class KubernetesTargetIT implements WrapperContract {
  private MockKubernetes cluster;
  private KubernetesTarget target;
  private KubernetesClient otherClient;
  private LeaseElector elector;

  @BeforeEach
  void start() {
    cluster = MockKubernetes.crud();
    target = newTarget(cluster.client(),
        KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH));
  }

  /** The target under test ({@link CachedKubernetesTargetIT}: the same, reading through a cache). */
  KubernetesTarget newTarget(KubernetesClient client, KubernetesTarget.Options options) {
    return KubernetesTarget.of(client, options);
  }

  @AfterEach
  void stop() {
    if (elector != null) {
      elector.close();
    }
    if (otherClient != null) {
      otherClient.close();
    }
    cluster.close();
  }

  @Override
  public Target target() {
    return target;
  }

  /** The same cluster through a second client, as another deployer's process would hold it. */
  @Override
  public Target another() {
    if (otherClient == null) {
      otherClient = cluster.server().createClient();
    }
    return KubernetesTarget.of(otherClient, target.options());
  }

  @Override
  public Map<String, UnaryOperator<Target>> wrappers() {
    Map<String, UnaryOperator<Target>> all = WrapperContract.super.wrappers();
    all.put("LeaseElector.guard", t -> leading().guard(t));
    all.put("ControllerStandIn", t -> Fixtures.withControllers(t, cluster.client()));
    return all;
  }

  private LeaseElector leading() {
    if (elector == null) {
      elector = LeaseElector.start(cluster.client(), "default", "contract", "replica-1",
          Duration.ofSeconds(15), l -> { });
      assertEquals("replica-1", awaitLeader(elector), "the only replica leads");
      assertTrue(elector.isLeader(), elector::toString);
    }
    return elector;
  }

  private static String awaitLeader(LeaseElector replica) {
    try {
      return replica.awaitLeader(Duration.ofSeconds(20));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public Resource sampleResource(String name) {
    return configMap(name, "v1");
  }

  @Override
  public Resource modified(Resource resource) {
    String value = ((Content.Tree) resource.content()).node().path("data").path("key").asText();
    return configMap(resource.id().name(), value + "-changed");
  }

  @Override
  public void putUnowned(Resource resource) {
    String value = ((Content.Tree) resource.content()).node().path("data").path("key").asText();
    cluster.client().configMaps().inNamespace("contract").resource(new ConfigMapBuilder()
        .withNewMetadata().withName(resource.id().name()).endMetadata()
        .addToData("key", value).build()).create();
  }

  @Override
  public boolean holds(Resource applied, Observed observed) {
    return new Differ(KubernetesDiff.options()).equivalent(applied.id(),
        observed.resource().content(), applied.content());
  }

  @Test
  void theTargetsPlanDefaultsCarryTheKubernetesRulesAndTheIgnoreRulesOfItsOptions() {
    KubernetesTarget ignoring = KubernetesTarget.of(cluster.client(), target.options()
        .ignoring(PathRule.forKind("ConfigMap", "/data/key")));
    Resource applied = configMap("ignored", "v1");
    ignoring.apply(new Action.Create(applied), OWNER);
    cluster.client().configMaps().inNamespace("contract").withName("ignored")
        .edit(cm -> { cm.getData().put("key", "hand-edited"); return cm; });
    PlanOptions defaults = ignoring.planDefaults().withOwner(OWNER);

    Plan plan = new Planner().plan(DesiredState.of(List.of(applied)),
        ignoring.read(Scope.of(OWNER, Set.of(applied.id()))), defaults);

    assertTrue(plan.isEmpty(), plan.render());
    assertEquals(List.of(PathRule.forKind("ConfigMap", "/data/key")), defaults.diff().ignore());
    assertEquals(DiffOptions.Mode.DESIRED_SUBSET, defaults.diff().mode());
    assertTrue(defaults.kindOrder().applyAsInt(ResourceId.of("Namespace", "", "a"))
        < defaults.kindOrder().applyAsInt(applied.id()), "namespaces first");
    assertSame(ignoring.planDefaults(), ignoring.planDefaults(), "one value for the target's life");
    assertSame(ignoring.planDefaults(), Fixtures.withControllers(ignoring, cluster.client()).planDefaults());
  }

  private static Resource configMap(String name, String value) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("apiVersion", "v1").put("kind", "ConfigMap");
    node.putObject("metadata").put("name", name).put("namespace", "contract");
    node.putObject("data").put("key", value);
    return Resource.of(ResourceId.of("ConfigMap", "contract", name), new Content.Tree(node));
  }
}
