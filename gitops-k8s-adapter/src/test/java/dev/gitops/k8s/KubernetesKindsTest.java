package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanOptions;
import dev.gitops.plan.Planner;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kind order as the planner uses it: applies Namespace, CRD, CR; prunes CR, CRD, Namespace. */
class KubernetesKindsTest {
  private static final ResourceId NS = ResourceId.of("Namespace", "", "mon");
  private static final ResourceId CRD = new ResourceId("apiextensions.k8s.io", "CustomResourceDefinition",
      "", "widgets.example.com");
  private static final ResourceId CR = new ResourceId("example.com", "Widget", "mon", "w");
  private static final ResourceId KEEP = ResourceId.of("ConfigMap", "other", "keep");
  private static final PlanOptions OPTIONS = PlanOptions.defaults().withOwner("o")
      .withDiff(KubernetesDiff.options()).withKindOrder(KubernetesKinds.order());

  private static Resource resource(ResourceId id) {
    var node = JsonNodeFactory.instance.objectNode();
    node.putObject("metadata").put("name", id.name());
    return Resource.of(id, new Content.Tree(node));
  }

  private static int wave(Plan plan, ResourceId id) {
    for (int i = 0; i < plan.waves().size(); i++) {
      if (plan.waves().get(i).actions().stream().anyMatch(a -> a.id().equals(id))) {
        return i;
      }
    }
    throw new AssertionError(id + " not planned: " + plan.summary());
  }

  @Test
  void namespaceThenCrdThenCustomResourceAreCreatedInOrder() {
    Plan plan = new Planner().plan(DesiredState.of(List.of(resource(CR), resource(CRD), resource(NS))),
        ActualState.empty(), OPTIONS);
    assertTrue(wave(plan, NS) < wave(plan, CRD) && wave(plan, CRD) < wave(plan, CR), plan.summary());
  }

  @Test
  void whatAPodNamesComesBeforeTheWorkload() {
    ResourceId web = new ResourceId("apps", "Deployment", "shop", "web");
    ResourceId runtime = new ResourceId("node.k8s.io", "RuntimeClass", "", "gvisor");
    ResourceId claims = new ResourceId("resource.k8s.io", "ResourceClaimTemplate", "shop", "gpu");
    ResourceId devices = new ResourceId("resource.k8s.io", "DeviceClass", "", "gpu.example.com");
    Plan plan = new Planner().plan(DesiredState.of(List.of(resource(web), resource(claims), resource(runtime),
        resource(devices))), ActualState.empty(), OPTIONS);
    assertTrue(wave(plan, runtime) < wave(plan, web) && wave(plan, claims) < wave(plan, web)
        && wave(plan, devices) < wave(plan, web), plan.summary());
  }

  @Test
  void customResourcesArePrunedBeforeTheirCrdAndNamespacesLast() {
    ActualState actual = ActualState.of(List.of(Observed.of(resource(CR), "o"),
        Observed.of(resource(CRD), "o"), Observed.of(resource(NS), "o"), Observed.of(resource(KEEP), "o")));
    Plan plan = new Planner().plan(DesiredState.of(List.of(resource(KEEP))), actual, OPTIONS);
    assertTrue(wave(plan, CR) < wave(plan, CRD) && wave(plan, CRD) < wave(plan, NS), plan.summary());
  }
}
