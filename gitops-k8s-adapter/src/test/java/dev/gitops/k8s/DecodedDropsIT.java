package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.testing.k8s.MockKubernetes;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A built-in field a server older than the field does not know, dropped by its decoder before the
 * field manager runs ({@code fieldValidation=Warn}, the default): owned by no entry, held by the
 * record alone, as after a removal by hand; what tells them apart is the write's own answer
 * ({@link DecodedDrops}), kept on the object for a restarted target. {@link ApiServerStandIn#decoderDropping}
 * plays such a server.
 */
class DecodedDropsIT extends DropsCluster {
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
   * What a write found the decoder dropped was remembered in memory only: a restarted target (each
   * run of the command line) planned the field again, one write per object after each restart. The
   * live object cannot say it (pair 486: a field removed by hand leaves the same {@code managedFields}
   * and record), so the target keeps what it found on the object ({@link DecodedDrops#ANNOTATION}),
   * written once when it changes: a restarted target reads it there.
   */
  @Test
  void aFieldTheDecoderDropsStaysCountedAfterARestartByJsonPatch() throws Exception {
    write(service("trafficDistribution: PreferClose"));
    Reconciler web = start(new ApiServerStandIn().decoderDropping("Service", "/spec/trafficDistribution"),
        ApplyStrategy.JSON_PATCH);
    ok(web.reconcile(null));
    cluster.requests();
    ReconcileResult restarted = ok(reconciler(ApplyStrategy.JSON_PATCH, false).reconcile(null));
    assertTrue(restarted.plan().isEmpty(), restarted.plan().render());
    assertEquals(List.of("1 hidden by dropped by the server"), hidden(restarted.plan()));
    assertEquals(List.of(), MockKubernetes.writes(cluster.requests()), "no write");

    write(service("trafficDistribution: PreferClose").replace("targetPort: 8080", "targetPort: 8081"));
    ReconcileResult elsewhere = ok(reconciler(ApplyStrategy.JSON_PATCH, false).reconcile(null));
    assertEquals(List.of("replace /spec/ports/0/targetPort"), changes(elsewhere.plan()), elsewhere.plan().render());
    assertEquals(1, MockKubernetes.writes(cluster.requests()).size(), "the write alone: what is kept there stands");
    ReconcileResult quiet = ok(reconciler(ApplyStrategy.JSON_PATCH, false).reconcile(null));
    assertTrue(quiet.plan().isEmpty(), quiet.plan().render());

    write(service("trafficDistribution: PreferSameZone").replace("targetPort: 8080", "targetPort: 8081"));
    ReconcileResult changed = ok(reconciler(ApplyStrategy.JSON_PATCH, false).reconcile(null));
    assertEquals(List.of("add /spec/trafficDistribution"), changes(changed.plan()), changed.plan().render());
    assertTrue(ok(reconciler(ApplyStrategy.JSON_PATCH, false).reconcile(null)).plan().isEmpty());
  }

  /**
   * The warning that Git holds a field the server does not store came only from the write that found
   * it: a restarted target (each run of the command line) read the drop from the object and hid it
   * without a word, so the user saw the field in Git and nothing saying it never reaches the cluster.
   * Now each target warns of it once while it lives, as the first run did, whether its own write
   * found the drop or the object keeps it.
   */
  @Test
  void aRestartedTargetWarnsAgainOfAFieldTheDecoderDropsByJsonPatch() throws Exception {
    write(service("trafficDistribution: PreferClose"));
    Reconciler web = start(new ApiServerStandIn().decoderDropping("Service", "/spec/trafficDistribution"),
        ApplyStrategy.JSON_PATCH);
    ok(web.reconcile(null));
    String line = "Service/shop/api: the server did not store .spec.trafficDistribution";
    Reconciler restarted = reconciler(ApplyStrategy.JSON_PATCH, false);
    String warnings = logged(() -> {
      assertTrue(ok(restarted.reconcile(null)).plan().isEmpty());
      assertTrue(ok(restarted.reconcile(null)).plan().isEmpty());
    });
    assertEquals(1, count(warnings, line), warnings); // once while the target lives
    String again = logged(() -> assertTrue(ok(reconciler(ApplyStrategy.JSON_PATCH, false).reconcile(null)).plan().isEmpty()));
    assertEquals(1, count(again, line), again); // and once more after another restart
  }

  /**
   * The field's text kept on the object ({@link DecodedDrops#ANNOTATION}) is the cluster's: anyone who
   * may edit the object may write there, and a restarted target printed that text raw in its warning.
   * The field prints from its steps now, escaped as every field does.
   */
  @Test
  void aRestartedTargetPrintsTheKeptFieldFromItsStepsNotTheObjectsText() throws Exception {
    write(service("trafficDistribution: PreferClose"));
    Reconciler web = start(new ApiServerStandIn().decoderDropping("Service", "/spec/trafficDistribution"),
        ApplyStrategy.JSON_PATCH);
    ok(web.reconcile(null));
    cluster.client().services().inNamespace("shop").withName("api").edit(s -> {
      java.util.Map<String, String> notes = s.getMetadata().getAnnotations();
      notes.put(DecodedDrops.ANNOTATION, notes.get(DecodedDrops.ANNOTATION)
          .replace("\".spec.trafficDistribution\"", "\".spec.trafficDistribution\\n[WARN] forged\\u001b[2J\""));
      return s;
    });
    assertTrue(live(SERVICE).at("/metadata/annotations").toString().contains("forged"), "the kept text was edited");
    String warnings = logged(() -> assertTrue(ok(reconciler(ApplyStrategy.JSON_PATCH, false).reconcile(null))
        .plan().isEmpty()));
    assertEquals(1, count(warnings, "Service/shop/api: the server did not store .spec.trafficDistribution that"),
        dev.gitops.model.ResourceId.escape(warnings));
    assertFalse(warnings.contains("forged"), dev.gitops.model.ResourceId.escape(warnings));
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
    cluster = new StandInCluster(repo, new ApiServerStandIn());
    KubernetesTarget target = KubernetesTarget.of(cluster.client(), KubernetesTarget.Options.defaults()
        .withStrategy(ApplyStrategy.JSON_PATCH)
        .ignoring(dev.gitops.diff.PathRule.forKind("Service", "/spec/trafficDistribution")));
    Reconciler web = cluster.builder(target).prune(true).build();
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
}
