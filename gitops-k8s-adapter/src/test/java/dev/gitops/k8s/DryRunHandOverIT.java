package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gitops.plan.Action;
import dev.gitops.plan.PlanOptions;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.testing.k8s.MockKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dry-run target's adoption of what {@code kubectl apply} wrote, where Git dropped some of it. The
 * real adoption hands kubectl's fields to {@code gitops} and its apply removes what left Git; the
 * dry run sends the hand-over as a dry run, which persists nothing, so its apply still met kubectl's
 * fields and kept them: validation and admission judged an object the real run never stores (a
 * {@code valueFrom} kubectl applied beside Git's new {@code value}: 422, where the real adoption
 * passes), and the answer held what the real run removes. Against the API server stand-in, whose
 * webhook sees each object about to be stored, dry runs too.
 */
class DryRunHandOverIT {
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final String APP = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop, labels: {app: web}}
      spec:
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - name: web
              image: nginx:1.27
              env: [%s]
      """;
  private final List<JsonNode> admitted = new ArrayList<>();
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud(new ApiServerStandIn()
      .admitting(o -> admitted.add(o.deepCopy())));
  @TempDir Path repo;

  @Test
  void aDryRunAdoptionReplacingKubectlsValueFromPassesAsTheRealOne() throws Exception {
    kubectlApplied(APP.formatted("{name: FOO, valueFrom: {secretKeyRef: {name: s, key: FOO}}}"));
    Files.writeString(repo.resolve("app.yaml"), APP.formatted("{name: FOO, value: a}"));
    Action adopt = adoption();
    JsonNode before = get();

    target(true).apply(adopt, "web"); // was a 422: the dry run kept kubectl's valueFrom beside the value
    assertEquals(before, get(), "a dry run writes nothing");
    JsonNode dry = admitted.get(admitted.size() - 1);
    KubernetesTarget.of(cluster.client(), KubernetesTarget.Options.defaults().withDryRun(true).withForce(true))
        .apply(adopt, "web"); // forced too: force takes over conflicts, it removes nothing
    assertEquals(dry, admitted.get(admitted.size() - 1));
    assertEquals(before, get(), "a dry run writes nothing");

    target(false).apply(adopt, "web");
    JsonNode env = get().at("/spec/template/spec/containers/0/env/0");
    assertEquals("a", env.path("value").asText(), env.toString());
    assertFalse(env.has("valueFrom"), env.toString());
    assertEquals(env, dry.at("/spec/template/spec/containers/0/env/0"), "the dry run judged what the real run stores");
  }

  @Test
  void aDryRunAdoptionIsAdmittedWithoutWhatTheRealOneRemoves() throws Exception {
    kubectlApplied("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: web, namespace: shop, labels: {app: web, legacy: "yes"}}
        data: {A: "1", OLD: x}
        """);
    Files.writeString(repo.resolve("app.yaml"), """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: web, namespace: shop, labels: {app: web}}
        data: {A: "2"}
        """);
    Action adopt = adoption();

    target(true).apply(adopt, "web");
    JsonNode dry = admitted.get(admitted.size() - 1);
    assertEquals("{\"A\":\"2\"}", dry.path("data").toString(), "the dry run keeps OLD, which the real run removes: " + dry);
    assertFalse(dry.at("/metadata/labels").has("legacy"), dry.toString());
    assertFalse(dry.at("/metadata/annotations").has(ManagedFields.KUBECTL_RECORD), dry.toString());

    target(false).apply(adopt, "web");
    JsonNode live = get();
    assertEquals(live.path("data"), dry.path("data"), live.toString());
    assertEquals(live.at("/metadata/labels"), dry.at("/metadata/labels"), live.toString());
  }

  /** {@code yaml} created as {@code kubectl apply} (client-side) creates it: its record, its manager. */
  private void kubectlApplied(String yaml) throws Exception {
    ObjectNode body = (ObjectNode) new ObjectMapper(new YAMLFactory()).readTree(yaml);
    body.with("metadata").putObject("annotations").put(ManagedFields.KUBECTL_RECORD, JSON.writeValueAsString(body));
    String kind = body.path("kind").asText();
    cluster.client().raw(cluster.client().getMasterUrl() + path(kind, "") + "?fieldManager=kubectl-client-side-apply",
        "POST", JSON.writeValueAsString(body));
  }

  /** The plan's adoption of the one object, which the plan shows removing what left Git. */
  private Action adoption() {
    KubernetesTarget planner = target(false);
    var plan = Reconciler.builder().name("web").source(DirectorySource.of(repo)).loader(new ManifestLoader())
        .target(planner).planOptions(planner.planDefaults().withAdoption(PlanOptions.Adoption.ADOPT)).build().plan(null);
    assertEquals(1, plan.changes().size(), plan.render());
    assertEquals(Action.Kind.ADOPT, plan.changes().get(0).kind(), plan.render());
    return plan.changes().get(0);
  }

  private KubernetesTarget target(boolean dryRun) {
    return KubernetesTarget.of(cluster.client(), KubernetesTarget.Options.defaults().withDryRun(dryRun));
  }

  private static String path(String kind, String name) {
    String base = kind.equals("Deployment") ? "apis/apps/v1/namespaces/shop/deployments"
        : "api/v1/namespaces/shop/configmaps";
    return name.isEmpty() ? base : base + "/" + name;
  }

  private JsonNode get() throws Exception {
    String kind = Files.readString(repo.resolve("app.yaml")).contains("Deployment") ? "Deployment" : "ConfigMap";
    return JSON.readTree(cluster.client().raw(cluster.client().getMasterUrl() + path(kind, "web")));
  }
}
