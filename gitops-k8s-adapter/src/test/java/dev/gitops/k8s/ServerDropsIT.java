package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.plan.Action;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.testing.k8s.MockKubernetes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A field the API server drops from every write (a strategy's {@code dropDisabledFields} for a
 * feature gate the cluster has off) is written once and then no longer planned: the server's
 * {@code managedFields} entry of {@code gitops} still owns it, which the diff reads as "dropped by
 * the server", under both strategies, and the target warns of it once. It used to be planned as an
 * add on every reconcile, each write succeeding and changing nothing. The fabric8 mock drops
 * nothing: {@link ApiServerStandIn#dropping} plays a server with the gate off.
 */
class ServerDropsIT extends DropsCluster {
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
}
