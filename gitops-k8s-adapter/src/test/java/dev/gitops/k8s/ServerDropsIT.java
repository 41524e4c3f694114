package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.diff.Change;
import dev.gitops.diff.Suppressed;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanOptions;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.testing.k8s.MockKubernetes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A field the API server drops from every write (a strategy's {@code dropDisabledFields} for a
 * feature gate the cluster has off) is written once and then no longer planned: the server's
 * {@code managedFields} entry of {@code gitops} still owns it, which the diff reads as "dropped by
 * the server", under both strategies, and the target warns of it once. It used to be planned as an
 * add on every reconcile, each write succeeding and changing nothing. The fabric8 mock drops
 * nothing: {@link ApiServerStandIn#dropping} plays a server with the gate off.
 */
class ServerDropsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SERVICE = "/api/v1/namespaces/shop/services/api";
  private static final String DEPLOYMENT = "/apis/apps/v1/namespaces/shop/deployments/web";
  @TempDir Path repo;
  private MockKubernetes cluster;

  @AfterEach
  void close() {
    cluster.close();
  }

  private static String service(String spec) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: shop}
        spec:
          selector: {app: api}
          ports: [{name: http, port: 80, targetPort: 8080}]
          %s
        """.formatted(spec);
  }

  private Reconciler start(ApiServerStandIn server, ApplyStrategy strategy) {
    cluster = MockKubernetes.crud(server);
    return reconciler(strategy, false);
  }

  /** The reconciler {@code web} on the running cluster, adopting what nobody owns, forced or not. */
  private Reconciler reconciler(ApplyStrategy strategy, boolean force) {
    KubernetesTarget target = KubernetesTarget.of(cluster.client(), KubernetesTarget.Options.defaults()
        .withStrategy(strategy).withForce(force));
    return Reconciler.builder().name("web").source(DirectorySource.of(repo)).loader(new ManifestLoader())
        .target(Fixtures.withControllers(target, cluster.client()))
        .planOptions(target.planDefaults().withAdoption(PlanOptions.Adoption.ADOPT))
        .applyOptions(ApplyOptions.defaults().withHealthWait(Duration.ofSeconds(30), Duration.ofMillis(1))
            .withSleeper(d -> { })).prune(true).build();
  }

  @Test
  void aFieldTheServerDropsIsWrittenOnceThenNotPlannedAgainServerSide() throws Exception {
    writtenOnceThenQuiet(ApplyStrategy.SERVER_SIDE);
  }

  @Test
  void aFieldTheServerDropsIsWrittenOnceThenNotPlannedAgainByJsonPatch() throws Exception {
    writtenOnceThenQuiet(ApplyStrategy.JSON_PATCH);
  }

  private void writtenOnceThenQuiet(ApplyStrategy strategy) throws Exception {
    write(service("trafficDistribution: PreferClose"));
    Reconciler web = start(new ApiServerStandIn().dropping("Service", "/spec/trafficDistribution"), strategy);
    String warnings = logged(() -> {
      ok(web.reconcile(null));
      assertTrue(live(SERVICE).at("/spec/trafficDistribution").isMissingNode(), "the server dropped it");
      cluster.requests();

      ReconcileResult second = ok(web.reconcile(null));
      assertTrue(second.plan().isEmpty(), second.plan().render());
      assertEquals(List.of("1 hidden by dropped by the server"), hidden(second.plan()));
      assertEquals(List.of(), MockKubernetes.writes(cluster.requests()), "no write");
      ReconcileResult third = ok(web.reconcile(null));
      assertTrue(third.plan().isEmpty(), third.plan().render());
    });
    String warning = "app.yaml:1: Service/shop/api: the server does not store .spec.trafficDistribution:"
        + " a feature gate off, or a field its schema lacks? gitops wrote it and still owns it";
    assertEquals(1, count(warnings, warning), "warned once: " + warnings);
  }

  @Test
  void aGitChangeBesideAFieldTheServerDropsIsPlannedAloneServerSide() throws Exception {
    changePlannedAlone(ApplyStrategy.SERVER_SIDE);
  }

  @Test
  void aGitChangeBesideAFieldTheServerDropsIsPlannedAloneByJsonPatch() throws Exception {
    changePlannedAlone(ApplyStrategy.JSON_PATCH);
  }

  private void changePlannedAlone(ApplyStrategy strategy) throws Exception {
    String resize = "resizePolicy: [{resourceName: cpu, restartPolicy: NotRequired}]}]";
    String zero = "hostNetwork: false"; // dropped as Go's encoder drops a zero: hidden, and no news
    write(AtomicRemovalsTest.deployment(zero).replace("image: w:1}]", "image: w:1, " + resize));
    Reconciler web = start(new ApiServerStandIn().dropping("Deployment", "/spec/template/spec/containers/*/resizePolicy"),
        strategy);
    String warnings = logged(() -> {
      ok(web.reconcile(null));
      assertTrue(live(DEPLOYMENT).at("/spec/template/spec/containers/0/resizePolicy").isMissingNode());
      ReconcileResult next = ok(web.reconcile(null)); // the next poll: written as it is, still absent
      assertTrue(next.plan().isEmpty(), next.plan().render());

      write(AtomicRemovalsTest.deployment(zero).replace("image: w:1}]", "image: w:2, " + resize));
      ReconcileResult bump = ok(web.reconcile(null));
      // under server-side apply the atomic list is a leaf of the field set (an empty list applied would
      // be absent too): counted as dropped after the first write, it stays so while Git's value there is
      // the one written (WrittenContent), though Git changed the object elsewhere
      assertEquals(List.of("replace /spec/template/spec/containers/0/image"), changes(bump.plan()), bump.plan().render());
      assertEquals("w:2", live(DEPLOYMENT).at("/spec/template/spec/containers/0/image").asText());

      ReconcileResult after = ok(web.reconcile(null));
      assertTrue(after.plan().isEmpty(), after.plan().render());
    });
    assertEquals(1, count(warnings, "apps/Deployment/shop/web: the server does not store"
        + " .spec.template.spec.containers[name=w].resizePolicy: a feature gate off"), warnings);
    assertEquals(0, count(warnings, "does not store .spec.template.spec.hostNetwork"), warnings);
  }

  @Test
  void aFieldTheServerStoresOnceItsGateIsOnCountsAsNormalAgainServerSide() throws Exception {
    gateTurnedOn(ApplyStrategy.SERVER_SIDE);
  }

  @Test
  void aFieldTheServerStoresOnceItsGateIsOnCountsAsNormalAgainByJsonPatch() throws Exception {
    gateTurnedOn(ApplyStrategy.JSON_PATCH);
  }

  /**
   * Counted as dropped while the gate is off; the gate turned on, the next write Git makes stores the
   * field, and from then on it is an ordinary field: no longer hidden, its change planned and written.
   */
  private void gateTurnedOn(ApplyStrategy strategy) throws Exception {
    write(service("trafficDistribution: PreferClose"));
    ApiServerStandIn server = new ApiServerStandIn().dropping("Service", "/spec/trafficDistribution");
    Reconciler web = start(server, strategy);
    ok(web.reconcile(null));
    ReconcileResult quiet = ok(web.reconcile(null));
    assertTrue(quiet.plan().isEmpty(), quiet.plan().render());
    assertEquals(List.of("1 hidden by dropped by the server"), hidden(quiet.plan()));

    server.storing("Service"); // the cluster's gate turned on; nothing is written until Git changes
    write(service("trafficDistribution: PreferClose").replace("targetPort: 8080", "targetPort: 8081"));
    ReconcileResult changed = ok(web.reconcile(null));
    assertEquals(List.of("replace /spec/ports/0/targetPort"), changes(changed.plan()), changed.plan().render());
    assertEquals("PreferClose", live(SERVICE).at("/spec/trafficDistribution").asText(),
        "the write sent the field again, and the server stores it now: " + live(SERVICE));

    ReconcileResult stored = ok(web.reconcile(null));
    assertTrue(stored.plan().isEmpty(), stored.plan().render());
    assertEquals(List.of(), hidden(stored.plan()), "no longer counted as dropped");

    write(service("trafficDistribution: PreferSameZone").replace("targetPort: 8080", "targetPort: 8081"));
    ReconcileResult next = ok(web.reconcile(null));
    assertEquals(List.of("replace /spec/trafficDistribution"), changes(next.plan()), next.plan().render());
    assertEquals("PreferSameZone", live(SERVICE).at("/spec/trafficDistribution").asText());
  }

  @Test
  void anAdoptedObjectGetsTheFieldInItsAdoptWriteThenItCountsAsDroppedServerSide() throws Exception {
    adopted(ApplyStrategy.SERVER_SIDE);
  }

  @Test
  void anAdoptedObjectGetsTheFieldInItsAdoptWriteThenItCountsAsDroppedByJsonPatch() throws Exception {
    adopted(ApplyStrategy.JSON_PATCH);
  }

  /**
   * An object someone else created (kubectl's server-side apply; the server dropped the field from it
   * too) is not judged when adopted: no write of {@code gitops} shows the drop yet, and the adopt step
   * writes the object anyway, so the field costs no write of its own there. Under server-side apply
   * kubectl's entry still owns the field, so the adopt's apply adds a field another manager owns: a
   * conflict (structured-merge-diff {@code merge/update.go} {@code update}: each other manager's set
   * against what the apply adds or modifies), which force takes over. From the read after the adopt
   * write on, the field counts as dropped (the adopt is a write of the desired content).
   */
  private void adopted(ApplyStrategy strategy) throws Exception {
    write(service("trafficDistribution: PreferClose"));
    Reconciler web = start(new ApiServerStandIn().dropping("Service", "/spec/trafficDistribution"), strategy);
    cluster.client().resource(io.fabric8.kubernetes.client.utils.Serialization.unmarshal("{\"apiVersion\":\"v1\",\"kind\":\"Service\","
        + "\"metadata\":{\"name\":\"api\",\"namespace\":\"shop\"},\"spec\":{\"selector\":{\"app\":\"api\"},"
        + "\"ports\":[{\"name\":\"http\",\"port\":80,\"targetPort\":8080}],\"trafficDistribution\":\"PreferClose\"}}", io.fabric8.kubernetes.api.model.Service.class))
        .fieldManager("kubectl").forceConflicts().serverSideApply();
    assertTrue(live(SERVICE).at("/spec/trafficDistribution").isMissingNode(), "dropped from kubectl's write too");

    if (strategy == ApplyStrategy.SERVER_SIDE) {
      ReconcileResult refused = web.reconcile(null);
      assertFalse(refused.isSuccess(), refused.toString());
      assertEquals(List.of(".spec.trafficDistribution (manager kubectl)"),
          ((FieldConflictException) refused.report().failures().get(0).cause()).conflicts());
    }
    Reconciler forced = reconciler(strategy, true); // one target: it remembers what it wrote (WrittenContent)
    ReconcileResult adopt = ok(forced.reconcile(null));
    List<String> adopting = new ArrayList<>();
    for (Action a : adopt.plan().actions()) {
      if (a instanceof Action.Adopt step) {
        step.diff().changes().forEach(c -> adopting.add(c.op().toString().toLowerCase(java.util.Locale.ROOT) + " " + c.path()));
      }
    }
    assertEquals(List.of("add /spec/trafficDistribution"), adopting, adopt.plan().render());

    ReconcileResult next = ok(forced.reconcile(null));
    assertTrue(next.plan().isEmpty(), next.plan().render());
    assertEquals(List.of("1 hidden by dropped by the server"), hidden(next.plan()));
  }

  /**
   * A field a server older than it does not know (a 1.29 server and {@code trafficDistribution}): the
   * decoder drops it before the field manager runs ({@code fieldValidation=Warn}, the default: the
   * write succeeds with an "unknown field" warning), so no entry owns it and the record alone holds
   * it, as after a removal by hand. The write's own answer tells them apart: it lacks the field the
   * write sent. Counted as dropped while Git's value there is the one written; a change is planned.
   */
  @Test
  void aFieldTheDecoderDropsIsWrittenOnceThenNotPlannedAgainByJsonPatch() throws Exception {
    write(service("trafficDistribution: PreferClose"));
    Reconciler web = start(new ApiServerStandIn().decoderDropping("Service", "/spec/trafficDistribution"),
        ApplyStrategy.JSON_PATCH);
    String warnings = logged(() -> {
      ok(web.reconcile(null));
      assertTrue(live(SERVICE).at("/spec/trafficDistribution").isMissingNode(), "the decoder dropped it");
      ReconcileResult next = ok(web.reconcile(null));
      assertTrue(next.plan().isEmpty(), next.plan().render());
      assertEquals(List.of("1 hidden by dropped by the server"), hidden(next.plan()));
      // a Git change elsewhere is planned alone, and stays so after its write (which did not send the field)
      write(service("trafficDistribution: PreferClose").replace("targetPort: 8080", "targetPort: 8081"));
      ReconcileResult elsewhere = ok(web.reconcile(null));
      assertEquals(List.of("replace /spec/ports/0/targetPort"), changes(elsewhere.plan()), elsewhere.plan().render());
      ReconcileResult quiet = ok(web.reconcile(null));
      assertTrue(quiet.plan().isEmpty(), quiet.plan().render());

      write(service("trafficDistribution: PreferSameZone").replace("targetPort: 8080", "targetPort: 8081"));
      ReconcileResult changed = ok(web.reconcile(null));
      assertEquals(List.of("add /spec/trafficDistribution"), changes(changed.plan()), changed.plan().render());
      ReconcileResult after = ok(web.reconcile(null));
      assertTrue(after.plan().isEmpty(), after.plan().render());
    });
    assertEquals(1, count(warnings, "Service/shop/api: the server did not store .spec.trafficDistribution"), warnings);
  }

  /**
   * The decoder's drop inside a list element Git adds: the write sends the element whole (the plan's
   * change is at {@code containers/-}), which the answer holds at its own index. The element was not
   * judged as sent, so the field was planned again and caught only at the second write; now the new
   * element is found in the answer by its key, and its first write counts the drop.
   */
  @Test
  void aFieldTheDecoderDropsInANewListElementIsCountedAtItsFirstWriteByJsonPatch() throws Exception {
    write(AtomicRemovalsTest.deployment(""));
    Reconciler web = start(new ApiServerStandIn().decoderDropping("Deployment",
        "/spec/template/spec/containers/*/resizePolicy"), ApplyStrategy.JSON_PATCH);
    ok(web.reconcile(null));
    write(AtomicRemovalsTest.deployment("").replace("image: w:1}]",
        "image: w:1}, {name: side, image: s:1, resizePolicy: [{resourceName: cpu, restartPolicy: NotRequired}]}]"));
    ReconcileResult added = ok(web.reconcile(null));
    assertEquals(List.of("add /spec/template/spec/containers/-"), changes(added.plan()), added.plan().render());
    assertEquals("s:1", live(DEPLOYMENT).at("/spec/template/spec/containers/1/image").asText());
    assertTrue(live(DEPLOYMENT).at("/spec/template/spec/containers/1/resizePolicy").isMissingNode(), "the decoder dropped it");

    ReconcileResult next = ok(web.reconcile(null));
    assertTrue(next.plan().isEmpty(), next.plan().render());
    assertEquals(List.of("1 hidden by dropped by the server"), hidden(next.plan()));
  }

  /**
   * A field Git sets that the target's ignore rules keep out of every write is never sent, so the
   * answer lacking it says nothing of the server: no "did not store" warning.
   */
  @Test
  void aFieldTheTargetIgnoresIsNoDecoderDrop() throws Exception {
    write(service("trafficDistribution: PreferClose"));
    cluster = MockKubernetes.crud(new ApiServerStandIn());
    KubernetesTarget target = KubernetesTarget.of(cluster.client(), KubernetesTarget.Options.defaults()
        .withStrategy(ApplyStrategy.JSON_PATCH)
        .ignoring(dev.gitops.diff.PathRule.forKind("Service", "/spec/trafficDistribution")));
    Reconciler web = Reconciler.builder().name("web").source(DirectorySource.of(repo)).loader(new ManifestLoader())
        .target(Fixtures.withControllers(target, cluster.client())).planOptions(target.planDefaults())
        .applyOptions(ApplyOptions.defaults().withHealthWait(Duration.ofSeconds(30), Duration.ofMillis(1))
            .withSleeper(d -> { })).prune(true).build();
    String warnings = logged(() -> {
      ok(web.reconcile(null));
      assertTrue(live(SERVICE).at("/spec/trafficDistribution").isMissingNode(), "ignored: never sent");
      assertTrue(ok(web.reconcile(null)).plan().isEmpty());
    });
    assertEquals(0, count(warnings, "did not store"), warnings);
  }

  @Test
  void aFieldRemovedByHandIsDriftAndPutBackByJsonPatch() throws Exception {
    write(service("trafficDistribution: PreferClose"));
    Reconciler web = start(new ApiServerStandIn(), ApplyStrategy.JSON_PATCH);
    ok(web.reconcile(null));
    assertEquals("PreferClose", live(SERVICE).at("/spec/trafficDistribution").asText());
    // kubectl edit removes it: the update takes it out of the gitops entry, the record keeps it
    com.fasterxml.jackson.databind.node.ObjectNode edited = (com.fasterxml.jackson.databind.node.ObjectNode) live(SERVICE);
    edited.with("spec").remove("trafficDistribution");
    cluster.client().raw(url(SERVICE + "?fieldManager=kubectl-edit"), "PUT", JSON.writeValueAsString(edited));
    assertFalse(live(SERVICE).at("/spec").has("trafficDistribution"), "removed by hand");

    ReconcileResult repair = ok(web.reconcile(null));
    assertEquals(List.of("add /spec/trafficDistribution"), changes(repair.plan()), repair.plan().render());
    assertEquals("PreferClose", live(SERVICE).at("/spec/trafficDistribution").asText(), "drift repaired");
  }

  private static ReconcileResult ok(ReconcileResult result) {
    return Fixtures.ok(result);
  }

  private static List<String> changes(Plan plan) {
    List<String> out = new ArrayList<>();
    for (Action a : plan.actions()) {
      if (a instanceof Action.Update u) {
        for (Change c : u.diff().changes()) {
          out.add(c.op().toString().toLowerCase(java.util.Locale.ROOT) + " " + c.path());
        }
      }
    }
    return out;
  }

  private static List<String> hidden(Plan plan) {
    List<String> out = new ArrayList<>();
    for (Action a : plan.actions()) {
      if (a instanceof Action.NoOp n) {
        n.diff().suppressed().stream().map(Suppressed::toString).filter(s -> s.contains("dropped")).forEach(out::add);
      }
    }
    return out;
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }

  /**
   * What {@code body} adds to the log file slf4j-simple writes in tests ({@code org.slf4j.simpleLogger.logFile},
   * set by the build; stderr without it).
   */
  private static String logged(ThrowingRunnable body) throws Exception {
    String file = System.getProperty("org.slf4j.simpleLogger.logFile");
    Path log = Path.of(file == null ? "target/k8s-it.log" : file);
    long before = Files.exists(log) ? Files.size(log) : 0;
    body.run();
    byte[] all = Files.exists(log) ? Files.readAllBytes(log) : new byte[0];
    return new String(all, (int) Math.min(before, all.length), (int) Math.max(0, all.length - before), StandardCharsets.UTF_8);
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  private void write(String yaml) throws Exception {
    Files.writeString(repo.resolve("app.yaml"), yaml);
  }

  private String url(String path) {
    return cluster.client().getMasterUrl().toString().replaceAll("/+$", "") + path;
  }

  private JsonNode live(String path) throws Exception {
    return JSON.readTree(cluster.client().raw(url(path)));
  }
}
