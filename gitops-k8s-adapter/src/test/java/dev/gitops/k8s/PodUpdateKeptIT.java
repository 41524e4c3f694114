package dev.gitops.k8s;

import static dev.gitops.k8s.StandInCluster.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bare Pod's update by server-side apply (an image bump, which a Pod takes) keeps, inside the
 * atomic values {@code gitops} applies whole, what the server refuses to lose: the {@code resizePolicy}
 * entries {@code SetDefaults_Pod} of 1.30 to 1.32 appended on create with {@code InPlacePodVerticalScaling}
 * on, on a server that no longer appends them (1.33 removed the defaulting, kubernetes#128920; a
 * container's resize policy is not among what {@code ValidatePodUpdate} lets an update change), and
 * the nodeSelector key a controller of gated Pods added (an Update, which took the atomic map from
 * {@code gitops}: Git's map alone is a conflict with it, and forced it would remove the key, which
 * {@code validateNodeSelectorMutation} refuses, and the nodeSelector is immutable once ungated); and
 * it leaves out the scheduling gate that controller removed (no update may add a gate,
 * {@code validateOnlyDeletedSchedulingGates}). The {@link ApiServerStandIn} plays that validation
 * ({@link StandInRules#podUpdate}, 422) and the field manager's conflicts (409).
 */
class PodUpdateKeptIT {
  private static final String POD = "api/v1/namespaces/shop/pods/batch";
  private static final String RESIZABLE = """
      apiVersion: v1
      kind: Pod
      metadata: {name: batch, namespace: shop}
      spec:
        containers:
        - name: app
          image: "app:%s"
          resources: {requests: {cpu: 250m, memory: 256Mi}}
          resizePolicy: [{resourceName: memory, restartPolicy: RestartContainer}]
      """;
  /** A Pod whose container gives the policies a server would take as its default, or not ({@code %2$s} empty). */
  private static final String DEFAULT_POLICIES = """
      apiVersion: v1
      kind: Pod
      metadata: {name: batch, namespace: shop}
      spec:
        containers:
        - name: app
          image: "app:%s"
          resources: {requests: {cpu: 250m, memory: 256Mi}}
      %s""";
  private static final String POLICIES = """
          resizePolicy: [{resourceName: cpu, restartPolicy: NotRequired}, {resourceName: memory, restartPolicy: NotRequired}]
      """;
  private static final String GATED = """
      apiVersion: v1
      kind: Pod
      metadata: {name: batch, namespace: shop}
      spec:
        schedulingGates: [{name: example.com/quota}]
        nodeSelector: {disktype: ssd}
        containers: [{name: app, image: "app:%s"}]
      """;
  private static final String PLACED = """
      apiVersion: v1
      kind: Pod
      metadata: {name: batch, namespace: shop}
      spec:
        schedulingGates: [{name: example.com/quota}]
        tolerations: [{key: dedicated, operator: Exists, effect: NoSchedule}]
        affinity:
          nodeAffinity:
            preferredDuringSchedulingIgnoredDuringExecution:
            - {weight: 10, preference: {matchExpressions: [{key: zone, operator: In, values: [a]}]}}
        containers: [{name: app, image: "app:%s"}]
      """;

  private static final String TOLERATED = """
      apiVersion: v1
      kind: Pod
      metadata: {name: batch, namespace: shop}
      spec:
        tolerations: [{key: example.com/maintenance, operator: Exists, effect: NoExecute%s}]
        containers: [{name: app, image: "app:%s"}]
      """;

  /**
   * On a Pod's create, {@code SetDefaults_Pod} of a 1.32 server with the gate on: a NotRequired policy
   * for cpu and memory in a container's requests that its list does not name, appended.
   */
  private static final Consumer<ObjectNode> RESIZE_DEFAULTS = object -> {
    for (JsonNode c : object.at("/spec/containers")) {
      for (String resource : List.of("cpu", "memory")) {
        boolean named = false;
        for (JsonNode p : c.path("resizePolicy")) {
          named |= resource.equals(p.path("resourceName").asText());
        }
        if (!named && c.at("/resources/requests").has(resource)) {
          ((ObjectNode) c).withArray("resizePolicy").addObject().put("resourceName", resource)
              .put("restartPolicy", "NotRequired");
        }
      }
    }
  };

  @TempDir Path repo;
  private StandInCluster cluster;

  @AfterEach
  void close() {
    cluster.close();
  }

  @Test
  void anImageBumpKeepsTheResizePoliciesA132ServerDefaultedOnCreate() {
    cluster = new StandInCluster(repo, new ApiServerStandIn().admittingCreates(RESIZE_DEFAULTS));
    cluster.write(RESIZABLE.formatted("1.0"));
    Reconciler web = cluster.reconciler(ApplyStrategy.SERVER_SIDE, false);
    ok(web.reconcile(null));
    JsonNode created = cluster.get(POD).at("/spec/containers/0/resizePolicy");
    assertEquals(List.of("memory", "cpu"), names(created), created.toString());
    assertTrue(ok(web.reconcile(null)).plan().isEmpty(), "the defaulted cpu policy is the server's");

    JsonNode updated = cluster.imageBump(web, RESIZABLE.formatted("1.1"), POD, "app:1.1");
    assertEquals(created, updated.at("/spec/containers/0/resizePolicy"), "as created");
    StandInCluster.settled(web);
  }

  /**
   * A 1.33 or later server ({@code InPlacePodVerticalScaling} beta, on; no policy defaulted since
   * kubernetes#128920): Git gave a container the two NotRequired policies, then left the list out. The
   * apply that removed the owned list was refused (a container's {@code resizePolicy} changes through the
   * {@code resize} subresource only, {@code ValidatePodResize}; {@code ValidatePodUpdate} munges images,
   * not policies), on every run once another change (an image bump) made an update: the list is what
   * an unset one means, kept.
   */
  @Test
  void anImageBumpAfterGitLeftOutItsListOfNotRequiredPoliciesKeepsTheListOnA133Server() {
    cluster = new StandInCluster(repo);
    cluster.write(DEFAULT_POLICIES.formatted("1.0", POLICIES));
    Reconciler web = cluster.reconciler(ApplyStrategy.SERVER_SIDE, false);
    ok(web.reconcile(null));
    JsonNode given = cluster.get(POD).at("/spec/containers/0/resizePolicy");
    assertEquals(List.of("cpu", "memory"), names(given), given.toString());
    cluster.write(DEFAULT_POLICIES.formatted("1.0", ""));
    ReconcileResult left = ok(web.reconcile(null));
    assertTrue(left.plan().isEmpty(), "what an unset list means: " + left.plan().render());

    JsonNode updated = cluster.imageBump(web, DEFAULT_POLICIES.formatted("1.1", ""), POD, "app:1.1");
    assertEquals(given, updated.at("/spec/containers/0/resizePolicy"), "as given");
    StandInCluster.settled(web);
  }

  @Test
  void anImageBumpKeepsTheKeyAControllerAddedToAGatedPodsNodeSelectorAndLeavesOutTheGateItRemoved() {
    cluster = new StandInCluster(repo);
    cluster.write(GATED.formatted("1.0"));
    Reconciler web = cluster.reconciler(ApplyStrategy.SERVER_SIDE, false);
    ok(web.reconcile(null));
    controller("[{\"op\": \"add\", \"path\": \"/spec/nodeSelector/example.com~1pool\", \"value\": \"spot\"}]");
    JsonNode added = cluster.get(POD).at("/spec/nodeSelector");
    assertEquals("spot", added.path("example.com/pool").asText(), "the gated Pod takes the addition: " + added);
    ReconcileResult quiet = ok(web.reconcile(null));
    assertTrue(quiet.plan().isEmpty(), "the controller's key is no drift: " + quiet.plan().render());
    controller("[{\"op\": \"remove\", \"path\": \"/spec/schedulingGates/0\"}]");
    assertTrue(cluster.get(POD).at("/spec/schedulingGates").isMissingNode(), "ungated");
    ReconcileResult ungated = ok(web.reconcile(null));
    assertTrue(ungated.plan().isEmpty(), "no gate can be added back: " + ungated.plan().render());

    JsonNode updated = cluster.imageBump(web, GATED.formatted("1.1"), POD, "app:1.1");
    assertEquals(added, updated.at("/spec/nodeSelector"), "the controller's key kept");
    StandInCluster.settled(web);
  }

  @Test
  void anImageBumpKeepsTheTolerationAndThePreferenceAControllerAddedToAGatedPod() {
    cluster = new StandInCluster(repo);
    cluster.write(PLACED.formatted("1.0"));
    Reconciler web = cluster.reconciler(ApplyStrategy.SERVER_SIDE, false);
    ok(web.reconcile(null));
    controller("[{\"op\": \"add\", \"path\": \"/spec/tolerations/-\", \"value\":"
        + " {\"key\": \"example.com/spot\", \"operator\": \"Exists\", \"effect\": \"NoSchedule\"}},"
        + " {\"op\": \"add\", \"path\": \"/spec/affinity/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution/-\","
        + " \"value\": {\"weight\": 50, \"preference\": {\"matchExpressions\":"
        + " [{\"key\": \"example.com/pool\", \"operator\": \"In\", \"values\": [\"spot\"]}]}}}]");
    JsonNode placed = cluster.get(POD).path("spec");
    assertEquals(4, placed.path("tolerations").size(), "Git's, the plugin's two, the controller's: " + placed);
    assertEquals(2, placed.at("/affinity/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution").size());
    ReconcileResult quiet = ok(web.reconcile(null));
    assertTrue(quiet.plan().isEmpty(), "the controller's additions are no drift: " + quiet.plan().render());

    JsonNode updated = cluster.imageBump(web, PLACED.formatted("1.1"), POD, "app:1.1");
    assertEquals(placed.path("tolerations"), updated.at("/spec/tolerations"), "the controller's toleration kept");
    assertEquals(placed.path("affinity"), updated.at("/spec/affinity"), "the controller's preference kept");
    StandInCluster.settled(web);
  }

  /**
   * A controller set {@code tolerationSeconds} on Git's toleration, which Git gives without them (any
   * Pod takes that change, {@code validateOnlyAddedTolerations}); its Update took the atomic list. The
   * seconds are the controller's: no drift, and the image bump's apply carries them on Git's toleration
   * (not the controller's as a second toleration beside Git's, a value other than the stored list, which
   * was a conflict with the controller on every run).
   */
  @Test
  void anImageBumpKeepsTheTolerationSecondsAControllerSetOnGitsToleration() {
    cluster = new StandInCluster(repo);
    cluster.write(TOLERATED.formatted("", "1.0"));
    Reconciler web = cluster.reconciler(ApplyStrategy.SERVER_SIDE, false);
    ok(web.reconcile(null));
    controller("[{\"op\": \"add\", \"path\": \"/spec/tolerations/0/tolerationSeconds\", \"value\": 60}]");
    JsonNode set = cluster.get(POD).at("/spec/tolerations");
    assertEquals(60, set.at("/0/tolerationSeconds").asInt(), set.toString());
    ReconcileResult quiet = ok(web.reconcile(null));
    assertTrue(quiet.plan().isEmpty(), "the controller's seconds are no drift: " + quiet.plan().render());

    JsonNode updated = cluster.imageBump(web, TOLERATED.formatted("", "1.1"), POD, "app:1.1");
    assertEquals(set, updated.at("/spec/tolerations"), "the controller's seconds kept, on Git's toleration");
    StandInCluster.settled(web);
  }

  /**
   * Git gives the seconds, a controller changed them: drift, which the server lets an update repair.
   * The forced apply writes Git's seconds in place, with no copy of the controller's toleration beside
   * them (which no later update could take out while the controller owned the list), and the next
   * plan is empty.
   */
  @Test
  void tolerationSecondsGitGivesAreRepairedInPlaceWhenAControllerChangedThem() {
    cluster = new StandInCluster(repo);
    cluster.write(TOLERATED.formatted(", tolerationSeconds: 3600", "1.0"));
    Reconciler forced = cluster.reconciler(ApplyStrategy.SERVER_SIDE, true);
    ok(forced.reconcile(null));
    controller("[{\"op\": \"replace\", \"path\": \"/spec/tolerations/0/tolerationSeconds\", \"value\": 60}]");
    ReconcileResult repaired = ok(forced.reconcile(null));
    assertEquals(List.of("REPLACE /spec/tolerations/0/tolerationSeconds"), StandInCluster.changes(repaired.plan()));
    JsonNode tolerations = cluster.get(POD).at("/spec/tolerations");
    assertEquals(3600, tolerations.at("/0/tolerationSeconds").asInt(), tolerations.toString());
    assertEquals(3, tolerations.size(), "Git's and DefaultTolerationSeconds' two: " + tolerations);
    StandInCluster.settled(forced);
  }

  @Test
  void underJsonPatchAnImageBumpLeavesOutTheGateAControllerRemoved() {
    cluster = new StandInCluster(repo);
    cluster.write(GATED.formatted("1.0"));
    Reconciler web = cluster.reconciler(ApplyStrategy.JSON_PATCH, false);
    ok(web.reconcile(null));
    controller("[{\"op\": \"remove\", \"path\": \"/spec/schedulingGates/0\"}]");
    ReconcileResult ungated = ok(web.reconcile(null));
    assertTrue(ungated.plan().isEmpty(), "no gate can be added back: " + ungated.plan().render());

    JsonNode updated = cluster.imageBump(web, GATED.formatted("1.1"), POD, "app:1.1");
    assertTrue(updated.at("/spec/schedulingGates").isMissingNode(), updated.toString());
    StandInCluster.settled(web);
  }

  /** A JSON Patch of the Pod by the controller {@code kueue} (an Update). */
  private void controller(String ops) {
    cluster.client().pods().inNamespace("shop").withName("batch").patch(new PatchContext.Builder()
        .withPatchType(PatchType.JSON).withFieldManager("kueue").build(), ops);
  }


  private static List<String> names(JsonNode policies) {
    List<String> out = new java.util.ArrayList<>();
    policies.forEach(p -> out.add(p.path("resourceName").asText()));
    return out;
  }
}
