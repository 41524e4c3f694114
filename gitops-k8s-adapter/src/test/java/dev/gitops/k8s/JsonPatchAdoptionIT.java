package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gitops.diff.Change;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanOptions;
import dev.gitops.reconcile.Reconciler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An adoption under {@link ApplyStrategy#JSON_PATCH}, against the API server stand-in: a Deployment
 * this library applied for the owner {@code api}, to which {@code kubectl set env} appended a
 * variable and from which {@code kubectl label ... gitops.dev/owner- app.kubernetes.io/managed-by-}
 * took the ownership labels, is adopted by the owner {@code web} with Git dropping a port and an
 * env var its record holds and adding a port (corpus pair 312 as a running cluster). The plan
 * removes the two elements the record holds and adds the port; the adoption's patch must do
 * exactly that and keep the other writer's variable (it used to ignore the record on an adoption
 * and removed nothing), and the next plan is empty.
 */
class JsonPatchAdoptionIT {
  private static final String APP = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n"
      + "spec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}},"
      + " spec: {containers: [{name: web, image: 'nginx:1.27', ports: [%s], env: [%s]}]}}}\n";
  private static final String HTTP = "{name: http, containerPort: 8080}";
  private static final String LOG_LEVEL = "{name: LOG_LEVEL, value: info}";
  private static final String CONTAINER = "/spec/template/spec/containers/0";

  @AutoClose private final StandInCluster cluster;

  JsonPatchAdoptionIT(@TempDir Path repo) {
    cluster = new StandInCluster(repo);
  }

  @Test
  void anAdoptionRemovesWhatTheRecordOnTheObjectHoldsAndGitDroppedAsThePlanShows() throws Exception {
    cluster.write(APP.formatted(HTTP + ", {name: metrics, containerPort: 9090}",
        LOG_LEVEL + ", {name: FEATURE_X, value: 'on'}"));
    var applied = reconciler("api").reconcile(null);
    assertTrue(applied.isSuccess(), applied.toString());
    patch("kubectl-set", "[{\"op\":\"add\",\"path\":\"" + CONTAINER + "/env/-\",\"value\":{\"name\":\"DEBUG_SQL\","
        + "\"value\":\"1\"}}]");
    patch("kubectl-label", "[{\"op\":\"remove\",\"path\":\"/metadata/labels/gitops.dev~1owner\"},"
        + "{\"op\":\"remove\",\"path\":\"/metadata/labels/app.kubernetes.io~1managed-by\"}]");

    cluster.write(APP.formatted(HTTP + ", {name: https, containerPort: 8443}", LOG_LEVEL));
    Reconciler web = reconciler("web");
    Plan plan = web.plan(null);
    Action action = plan.action(new ResourceId("apps", "Deployment", "shop", "web")).orElseThrow();
    assertTrue(action instanceof Action.Adopt, action.toString());
    List<String> changes = new ArrayList<>();
    ((Action.Adopt) action).diff().changes().forEach(c -> changes.add(c.op() + " " + c.path()));
    assertEquals(List.of("REMOVE " + CONTAINER + "/env/1", "REMOVE " + CONTAINER + "/ports/1",
        "ADD " + CONTAINER + "/ports/-"), changes.stream().sorted((a, b) -> order(a) - order(b)).toList(), plan.render());

    var adopted = web.reconcile(null);
    assertTrue(adopted.isSuccess(), adopted.toString());
    JsonNode container = get().at(CONTAINER);
    assertEquals(List.of("http", "https"), names(container.path("ports")), container.toString());
    assertEquals(List.of("LOG_LEVEL", "DEBUG_SQL"), names(container.path("env")), container.toString());
    assertEquals("web", get().at("/metadata/labels").path(Labels.OWNER).asText(), "adopted");
    assertTrue(web.plan(null).isEmpty(), "the next plan is empty");
  }

  /**
   * Corpus pair 311 as a running cluster: what plain {@code kubectl apply} created (its record in
   * {@code kubectl.kubernetes.io/last-applied-configuration}, manager {@code kubectl-client-side-apply})
   * and {@code kubectl set env} added to is adopted with Git dropping a port and an env var kubectl's
   * record holds: they go, as kubectl's next apply would remove them (they used to stay for ever),
   * the variable nobody applied stays, kubectl's record goes in the same patch, and the next plan
   * is empty.
   */
  @Test
  void anAdoptionOfWhatKubectlAppliedRemovesWhatItsRecordHoldsAndGitDropped() throws Exception {
    ObjectNode created = (ObjectNode) new YAMLMapper().readTree(APP.formatted(HTTP + ", {name: metrics, containerPort: 9090}",
        LOG_LEVEL + ", {name: FEATURE_X, value: 'on'}"));
    created.with("metadata").putObject("annotations").put(ManagedFields.KUBECTL_RECORD, Json.write(created));
    cluster.client().raw(cluster.client().getMasterUrl()
        + "apis/apps/v1/namespaces/shop/deployments?fieldManager=kubectl-client-side-apply", "POST", Json.write(created));
    patch("kubectl-set", "[{\"op\":\"add\",\"path\":\"" + CONTAINER + "/env/-\",\"value\":{\"name\":\"DEBUG_SQL\","
        + "\"value\":\"1\"}}]");

    cluster.write(APP.formatted(HTTP, LOG_LEVEL));
    Reconciler web = reconciler("web");
    Action action = web.plan(null).action(new ResourceId("apps", "Deployment", "shop", "web")).orElseThrow();
    assertTrue(action instanceof Action.Adopt, action.toString());
    List<String> changes = new ArrayList<>();
    ((Action.Adopt) action).diff().changes().forEach(c -> changes.add(c.op() + " " + c.path()));
    assertEquals(List.of("REMOVE " + CONTAINER + "/env/1", "REMOVE " + CONTAINER + "/ports/1"),
        changes.stream().sorted().toList(), action.toString());

    var adopted = web.reconcile(null);
    assertTrue(adopted.isSuccess(), adopted.toString());
    JsonNode container = get().at(CONTAINER);
    assertEquals(List.of("http"), names(container.path("ports")), container.toString());
    assertEquals(List.of("LOG_LEVEL", "DEBUG_SQL"), names(container.path("env")), container.toString());
    // kubectl's record goes with the adoption, as a server-side adoption removes it (and Flux's
    // cleanup): left, it went stale, and a later kubectl apply took it as its three-way patch's
    // original (patcher.go), deleting what it held that the human's file lacks, though gitops owns it
    assertTrue(get().at("/metadata/annotations").path(ManagedFields.KUBECTL_RECORD).isMissingNode(),
        "kubectl's last-applied-configuration stays, stale: " + get().at("/metadata/annotations"));
    assertTrue(web.plan(null).isEmpty(), "the next plan is empty");
  }

  private static int order(String change) {
    return change.startsWith(Change.Op.REMOVE.name()) ? change.contains("/env/") ? 0 : 1 : 2;
  }

  private static List<String> names(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(e -> out.add(e.path("name").asText()));
    return out;
  }

  private Reconciler reconciler(String owner) {
    KubernetesTarget k8s = KubernetesTarget.of(cluster.client(), KubernetesTarget.Options.defaults()
        .withStrategy(ApplyStrategy.JSON_PATCH));
    return cluster.builder(k8s).name(owner).planOptions(k8s.planDefaults().withAdoption(PlanOptions.Adoption.ADOPT))
        .build();
  }

  private void patch(String manager, String ops) {
    cluster.patch(manager, ops);
  }

  private JsonNode get() throws Exception {
    return cluster.get(StandInCluster.DEPLOYMENT);
  }
}
