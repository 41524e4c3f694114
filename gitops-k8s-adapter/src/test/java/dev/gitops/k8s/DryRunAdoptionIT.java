package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.apply.ApplyReport;
import dev.gitops.apply.Outcome;
import dev.gitops.plan.PlanOptions;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.testing.k8s.MockKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dry-run target ({@code dryRun=All} on every write) adopting an object another tool wrote says
 * what the real adoption does. The real one first hands kubectl's fields, or the ownership labels
 * of whoever set them, to {@code gitops} by a JSON Patch of {@code managedFields}; a dry run sends
 * that patch as a dry run too, which persists nothing, so its apply still meets the old
 * {@code managedFields}. It used to send no patch and report the conflicts with
 * {@code kubectl-client-side-apply}, {@code before-first-apply} or Helm's label that the real
 * adoption never meets. Against the mock with the API server stand-in ({@link ApiServerStandIn}:
 * field management, conflicts named as the server names them, dry runs that persist nothing).
 */
class DryRunAdoptionIT {
  private static final String CM = "api/v1/namespaces/shop/configmaps";
  private static final ObjectMapper JSON = Json.MAPPER;
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud(new ApiServerStandIn());
  @TempDir Path repo;

  /** One run of a reconciler whose Git holds the ConfigMap with {@code A: 2}, through a dry-run target or not. */
  private ApplyReport reconcile(boolean dryRun) throws Exception {
    Files.writeString(repo.resolve("app.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings,"
        + " namespace: shop, labels: {app: web}}\ndata: {A: \"2\"}\n");
    KubernetesTarget target = KubernetesTarget.of(cluster.client(),
        KubernetesTarget.Options.defaults().withDryRun(dryRun));
    return Reconciler.builder().name("web").source(DirectorySource.of(repo)).loader(new ManifestLoader())
        .target(target).planOptions(target.planDefaults().withAdoption(PlanOptions.Adoption.ADOPT))
        .applyOptions(ApplyOptions.defaults().withSleeper(d -> { })).build().reconcile(null).report();
  }

  @Test
  void aDryRunAdoptionOfWhatKubectlAppliedPassesAsTheRealOneAndWritesNothing() throws Exception {
    create("kubectl-client-side-apply", "kubectl.kubernetes.io/last-applied-configuration",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"settings\",\"namespace\":\"shop\","
            + "\"labels\":{\"app\":\"web\"}},\"data\":{\"A\":\"1\"}}");
    passesLikeTheRealAdoption();
  }

  /** No {@code managedFields} at all: the server's apply would make {@code before-first-apply} own everything. */
  @Test
  void aDryRunAdoptionOfAnObjectWithoutManagedFieldsPassesAsTheRealOne() throws Exception {
    create("kubectl-client-side-apply", "kubectl.kubernetes.io/last-applied-configuration",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"settings\",\"namespace\":\"shop\"},"
            + "\"data\":{\"A\":\"1\"}}");
    cluster.client().configMaps().inNamespace("shop").withName("settings").patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
        "[{\"op\":\"replace\",\"path\":\"/metadata/managedFields\",\"value\":[]}]");
    passesLikeTheRealAdoption();
  }

  /**
   * Helm's fields are not handed over, its {@code managed-by} label is: the dry run reports the
   * conflict on {@code data.A} the real adoption meets, and not the label's it would not.
   */
  @Test
  void aDryRunReportsExactlyTheConflictsOfTheRealAdoption() throws Exception {
    create("helm", "meta.helm.sh/release-name", "web");
    List<String> dry = conflicts(reconcile(true));
    assertEquals(List.of(".data.A (manager helm)"), dry);
    assertEquals(dry, conflicts(reconcile(false)), "the real adoption meets the same conflicts");
  }

  private void passesLikeTheRealAdoption() throws Exception {
    JsonNode before = get();
    cluster.requests();
    ApplyReport dry = reconcile(true);
    assertTrue(dry.isSuccess(), dry.toString());
    List<String> writes = MockKubernetes.writes(cluster.requests());
    assertEquals(3, writes.size(), "the hand-over, the apply its conflicts refused and the apply forced on"
        + " exactly those, all dry runs: " + writes);
    assertTrue(writes.stream().allMatch(w -> w.contains("dryRun=All")), writes.toString());
    assertEquals(before, get(), "a dry run writes nothing");
    ApplyReport real = reconcile(false);
    assertTrue(real.isSuccess(), real.toString());
    assertEquals("2", get().path("data").path("A").asText());
  }

  /** A ConfigMap with {@code A: 1} created by {@code manager} (by {@code helm}: labelled as Helm does), annotated. */
  private void create(String manager, String annotation, String value) throws Exception {
    var body = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
    var meta = body.putObject("metadata").put("name", "settings").put("namespace", "shop");
    var labels = meta.putObject("labels").put("app", "web");
    if (manager.equals("helm")) {
      labels.put("app.kubernetes.io/managed-by", "Helm");
    }
    meta.putObject("annotations").put(annotation, value);
    body.putObject("data").put("A", "1");
    cluster.client().raw(cluster.client().getMasterUrl() + CM + "?fieldManager=" + manager, "POST",
        JSON.writeValueAsString(body));
  }

  private static List<String> conflicts(ApplyReport report) {
    return report.outcomes().stream().filter(o -> o instanceof Outcome.Failed).map(o -> ((Outcome.Failed) o).cause())
        .map(e -> e instanceof FieldConflictException f ? f.conflicts() : List.of(e.getMessage()))
        .flatMap(List::stream).toList();
  }

  private JsonNode get() throws Exception {
    return JSON.readTree(cluster.client().raw(cluster.client().getMasterUrl() + CM + "/settings"));
  }
}
