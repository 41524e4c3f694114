package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A Git working directory ({@code app.yaml}, or files a test names) reconciled by {@code web} into
 * fabric8's mock behind the {@link ApiServerStandIn} (which validates what server-side apply leaves
 * as the API server does), and the other managers' writes the tests play there: the setup the ITs
 * against the stand-in share ({@link OneOfForceIT}, {@link VolumeSourceIT}, {@link DroppedFieldsIT},
 * {@link DuplicateKeysIT}, {@link DropsCluster}'s, ...). A test that needs more of the reconciler
 * (prune, adoption, its own plan options) starts from {@link #builder}.
 */
final class StandInCluster implements AutoCloseable {
  /** A Deployment {@code shop/web} of one container {@code web}; {@code %s} is what follows the image line. */
  static final String APP = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - name: web
              image: nginx:1.27%s
      """;
  /** The API path of the Deployment {@code shop/web}. */
  static final String DEPLOYMENT = "apis/apps/v1/namespaces/shop/deployments/web";

  private final Path repo;
  private final MockKubernetes cluster;

  /** A cluster reconciled from {@code repo}. */
  StandInCluster(Path repo) {
    this(repo, new ApiServerStandIn());
  }

  /** A cluster behind {@code server} (dropping or admitting as a test set it up), reconciled from {@code repo}. */
  StandInCluster(Path repo, ApiServerStandIn server) {
    this.repo = repo;
    this.cluster = MockKubernetes.crud(server);
  }

  KubernetesClient client() {
    return cluster.client();
  }

  /** The requests the cluster answered since the last call ({@link MockKubernetes#requests}). */
  List<String> requests() {
    return cluster.requests();
  }

  /** Git now holds {@code yaml} as {@code app.yaml}. */
  void write(String yaml) {
    write("app.yaml", yaml);
  }

  /** Git now holds {@code yaml} as {@code file}. */
  void write(String file, String yaml) {
    try {
      Files.writeString(repo.resolve(file), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The reconciler {@code web}, writing with {@code strategy}, forced or not, the controllers' status played. */
  Reconciler reconciler(ApplyStrategy strategy, boolean force) {
    return builder(KubernetesTarget.of(cluster.client(), KubernetesTarget.Options.defaults()
        .withStrategy(strategy).withForce(force))).build();
  }

  /**
   * The reconciler {@code web} from this Git directory onto {@code k8s} (a target of this cluster),
   * the controllers' status played, planning with the target's defaults, waiting up to 30 s for
   * health without sleeping: a builder, for a test to set more (prune, adoption, another name).
   */
  Reconciler.Builder builder(KubernetesTarget k8s) {
    return Reconciler.builder().name("web").source(DirectorySource.of(repo)).loader(new ManifestLoader())
        .target(Fixtures.withControllers(k8s, cluster.client())).planOptions(k8s.planDefaults())
        .applyOptions(ApplyOptions.defaults().withHealthWait(Duration.ofSeconds(30), Duration.ofMillis(1))
            .withSleeper(d -> { }));
  }

  /** Reconciles with {@code strategy}, unforced, and asserts it succeeded. */
  void reconciled(ApplyStrategy strategy) {
    var result = reconciler(strategy, false).reconcile(null);
    assertTrue(result.isSuccess(), result.toString());
  }

  /** The object at API path {@code path} ({@code api/v1/...}), as the mock returns it. */
  JsonNode get(String path) {
    return Json.parse(cluster.client().raw(cluster.client().getMasterUrl() + path));
  }

  /** A JSON Patch of the Deployment {@code shop/web} by {@code manager} (an Update: {@code kubectl edit}, {@code set}, {@code patch}). */
  void patch(String manager, String ops) {
    cluster.client().apps().deployments().inNamespace("shop").withName("web")
        .patch(new PatchContext.Builder().withPatchType(PatchType.JSON).withFieldManager(manager).build(), ops);
  }

  /**
   * A server-side apply, forced, of {@code body} (JSON: a Deployment, Service or
   * ValidatingWebhookConfiguration) by {@code manager}: an Apply entry, which owns each element it names.
   */
  void apply(String manager, String body) {
    JsonNode object = Json.parse(body);
    String name = object.at("/metadata/name").asText();
    String namespace = object.at("/metadata/namespace").asText();
    PatchContext apply = new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager(manager)
        .withForce(true).build();
    KubernetesClient client = cluster.client();
    switch (object.path("kind").asText()) {
      case "Deployment" -> client.apps().deployments().inNamespace(namespace).withName(name).patch(apply, body);
      case "Service" -> client.services().inNamespace(namespace).withName(name).patch(apply, body);
      case "ValidatingWebhookConfiguration" ->
          client.admissionRegistration().v1().validatingWebhookConfigurations().withName(name).patch(apply, body);
      default -> throw new IllegalArgumentException(object.path("kind").asText());
    }
  }

  /**
   * A reconcile with {@code strategy}, unforced, fails on exactly {@code conflicts} and writes nothing
   * to the object at {@code path}.
   */
  void refusedWithoutForce(ApplyStrategy strategy, String path, List<String> conflicts) {
    String version = get(path).at("/metadata/resourceVersion").asText();
    var refused = reconciler(strategy, false).reconcile(null);
    assertFalse(refused.isSuccess(), refused.toString());
    var cause = refused.report().failures().get(0).cause();
    assertTrue(cause instanceof FieldConflictException, String.valueOf(cause));
    assertEquals(conflicts, ((FieldConflictException) cause).conflicts());
    assertEquals(version, get(path).at("/metadata/resourceVersion").asText(), "nothing written");
  }

  /** {@code result}, which must have succeeded (its failures named otherwise). */
  static ReconcileResult ok(ReconcileResult result) {
    assertTrue(result.isSuccess(), result + ": " + result.report().failures());
    return result;
  }

  /**
   * Writes {@code manifest}, the Pod at {@code pod} with a new image, and reconciles with {@code web}:
   * the plan replaces the first container's image alone and the stored Pod then runs {@code image}.
   *
   * @return the Pod as the server stored the update
   */
  JsonNode imageBump(Reconciler web, String manifest, String pod, String image) {
    write(manifest);
    assertEquals(List.of("REPLACE /spec/containers/0/image"), changes(ok(web.reconcile(null)).plan()));
    JsonNode updated = get(pod);
    assertEquals(image, updated.at("/spec/containers/0/image").asText(), updated.toString());
    return updated;
  }

  /** Reconciles with {@code web}, which must plan nothing: the cluster is what Git says. */
  static void settled(Reconciler web) {
    ReconcileResult next = ok(web.reconcile(null));
    assertTrue(next.plan().isEmpty(), next.plan().render());
  }

  /** The changes of the plan's one update, as {@code OP /path}. */
  static List<String> changes(Plan plan) {
    List<Action> updates = plan.actions().stream().filter(a -> a instanceof Action.Update).toList();
    assertEquals(1, updates.size(), plan.render());
    return ((Action.Update) updates.get(0)).diff().changes().stream().map(c -> c.op() + " " + c.path()).toList();
  }

  @Override
  public void close() {
    cluster.close();
  }
}
