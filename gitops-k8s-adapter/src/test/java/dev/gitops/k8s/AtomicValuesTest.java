package dev.gitops.k8s;

import static dev.gitops.k8s.SchemaDiffs.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.Differ;
import dev.gitops.diff.FieldSchema;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.Content;
import dev.gitops.model.Observed;
import dev.gitops.model.ResourceId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link AtomicValues}: the atomic values {@code gitops} owns whole whose live value differs from
 * desired, with their places in live and in the applied record, also inside a keyed list's element
 * matched by key at another index; values owned field by field, equal ones and unowned ones are not.
 * Marked {@link AdmissionKept#KEPT} in the record, what only live has inside them is counted, not removed.
 * Asked apart, the owned scalars whose live value differs, found alike; marked, their replacement is counted.
 */
class AtomicValuesTest {
  private static final ResourceId WEB = new ResourceId("apps", "Deployment", "shop", "web");
  private static final String SPREAD = "{maxSkew: 1, topologyKey: %s, whenUnsatisfiable: DoNotSchedule,"
      + " labelSelector: {matchLabels: {%s}}}";

  @Test
  void ownedAtomicValuesThatDifferAreFoundWhereLiveAndTheRecordHaveThem() {
    String desired = AtomicRemovalsTest.deployment("nodeSelector: {disktype: ssd}\n"
        + "tolerations: [{key: gpu, operator: Exists}]\n"
        + "topologySpreadConstraints: [" + SPREAD.formatted("zone", "app: w") + "]\n"
        + "affinity: {nodeAffinity: {}}");
    String live = AtomicRemovalsTest.deployment("nodeSelector: {disktype: ssd, region: primary}\n"
        + "tolerations: [{key: gpu, operator: Exists}]\n"
        + "topologySpreadConstraints: [" + SPREAD.formatted("host", "app: w") + ", "
        + SPREAD.formatted("zone", "app: w, track: stable") + "]\n"
        + "affinity: {nodeAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 1, preference: {}}]},"
        + " podAffinity: {}}");
    String spread = "'k:{\"topologyKey\":\"zone\",\"whenUnsatisfiable\":\"DoNotSchedule\"}': {.: {}, f:labelSelector: {},"
        + " f:maxSkew: {}, f:topologyKey: {}, f:whenUnsatisfiable: {}}";
    JsonNode record = LiveObservation.ownedFields(yaml(AtomicRemovalsTest.live("{gitops.dev/owner: web}", "gitops", "Apply",
        "f:nodeSelector: {}, f:tolerations: {}, f:affinity: {f:nodeAffinity: {}}, f:topologySpreadConstraints: {"
            + spread + "}", "")));
    ObjectNode d = yaml(desired);
    ObjectNode a = yaml(live);

    List<AtomicValues.Owned> found = AtomicValues.differing(KubernetesSchema.builtin().root(WEB, a, d, record),
        record, d, a);

    assertEquals(List.of(new AtomicValues.Owned("/spec/template/spec/nodeSelector", "/spec/template/spec", "nodeSelector"),
        new AtomicValues.Owned("/spec/template/spec/topologySpreadConstraints/1/labelSelector",
            "/spec/template/spec/topologySpreadConstraints/0", "labelSelector")), found, record.toString());
  }

  @Test
  void whatOnlyLiveHasInsideAValueMarkedKeptIsCountedAsKeptByAdmission() {
    ObjectNode live = yaml(AtomicRemovalsTest.live("{gitops.dev/owner: web}", "gitops", "Apply",
        "f:nodeSelector: {}, f:tolerations: {}", "nodeSelector: {disktype: ssd, region: primary}\n"
            + "tolerations: [{key: gpu, operator: Exists}, {key: spot, operator: Exists}]"));
    ObjectNode desired = yaml(AtomicRemovalsTest.deployment("nodeSelector: {disktype: ssd}\n"
        + "tolerations: [{key: gpu, operator: Exists}]"));
    Observed observed = KubernetesTarget.observed(live);
    ObjectNode record = (ObjectNode) ((Content.Tree) observed.lastApplied()).node().deepCopy();
    Differ differ = new Differ(KubernetesDiff.options());
    ResourceDiff owned = differ.diff(WEB, observed.resource().content(), Content.tree(desired), observed.lastApplied());
    ((ObjectNode) record.at("/spec/template/spec")).set("nodeSelector", AdmissionKept.KEPT);
    ((ObjectNode) record.at("/spec/template/spec")).set("tolerations", AdmissionKept.KEPT);

    ResourceDiff kept = differ.diff(WEB, observed.resource().content(), Content.tree(desired), Content.tree(record));

    assertEquals(List.of("remove /spec/template/spec/nodeSelector/region", "remove /spec/template/spec/tolerations/1"),
        SchemaDiffs.changes(owned), SchemaDiffs.show(owned));
    assertTrue(kept.isEmpty(), SchemaDiffs.show(kept));
    assertEquals(Map.of(SchemaField.KEPT_BY_ADMISSION, 2), SchemaDiffs.hidden(kept));
  }

  @Test
  void ownedScalarsThatDifferAreFoundAndAReplacementMarkedKeptIsCounted() {
    String fields = "f:containers: {'k:{\"name\":\"w\"}': {.: {}, f:name: {}, f:image: {}, f:imagePullPolicy: {}}}";
    ObjectNode live = yaml(AtomicRemovalsTest.live("{gitops.dev/owner: web}", "gitops", "Apply", fields, "")
        .replace("image: w:1}", "image: w:1, imagePullPolicy: Always}"));
    ObjectNode desired = yaml(AtomicRemovalsTest.deployment("")
        .replace("image: w:1}", "image: w:1, imagePullPolicy: IfNotPresent}"));
    Observed observed = KubernetesTarget.observed(live);
    JsonNode applied = ((Content.Tree) observed.lastApplied()).node();
    FieldSchema.Node root = KubernetesSchema.builtin().root(WEB, live, desired, applied);

    List<AtomicValues.Owned> found = AtomicValues.differingScalars(root, applied, desired, live);
    ObjectNode record = (ObjectNode) applied.deepCopy();
    ((ObjectNode) record.at("/spec/template/spec/containers/0")).set("imagePullPolicy", AdmissionKept.KEPT);
    Differ differ = new Differ(KubernetesDiff.options());
    ResourceDiff owned = differ.diff(WEB, observed.resource().content(), Content.tree(desired), observed.lastApplied());
    ResourceDiff kept = differ.diff(WEB, observed.resource().content(), Content.tree(desired), Content.tree(record));

    assertEquals(List.of(new AtomicValues.Owned("/spec/template/spec/containers/0/imagePullPolicy",
        "/spec/template/spec/containers/0", "imagePullPolicy")), found, applied.toString());
    assertEquals(List.of(), AtomicValues.differing(root, applied, desired, live), "no atomic value differs");
    assertEquals(List.of("replace /spec/template/spec/containers/0/imagePullPolicy"), SchemaDiffs.changes(owned));
    assertTrue(kept.isEmpty(), SchemaDiffs.show(kept));
    assertEquals(Map.of(SchemaField.KEPT_BY_ADMISSION, 1), SchemaDiffs.hidden(kept));
  }

  @Test
  void aJsonPatchRecordHoldsTheAtomicValueItselfWhichIsFoundAndMarkedAlike() {
    ObjectNode desired = yaml(AtomicRemovalsTest.deployment("nodeSelector: {disktype: ssd}\n"
        + "tolerations: [{key: gpu, operator: Exists}]"));
    ObjectNode live = yaml(AtomicRemovalsTest.deployment("nodeSelector: {disktype: ssd, region: primary}\n"
        + "tolerations: [{key: gpu, operator: Exists}, {key: spot, operator: Exists}]"));
    ObjectNode record = desired.deepCopy(); // AppliedRecord: what was applied, values and all
    FieldSchema.Node root = KubernetesSchema.builtin().root(WEB, live, desired, record);

    List<AtomicValues.Owned> found = AtomicValues.differing(root, record, desired, live);
    Differ differ = new Differ(KubernetesDiff.options());
    ResourceDiff planned = differ.diff(WEB, Content.tree(live), Content.tree(desired), Content.tree(record));
    ((ObjectNode) record.at("/spec/template/spec")).set("tolerations", AdmissionKept.KEPT);
    ResourceDiff kept = differ.diff(WEB, Content.tree(live), Content.tree(desired), Content.tree(record));

    assertEquals(List.of(new AtomicValues.Owned("/spec/template/spec/nodeSelector", "/spec/template/spec", "nodeSelector"),
        new AtomicValues.Owned("/spec/template/spec/tolerations", "/spec/template/spec", "tolerations")), found);
    assertEquals(List.of("remove /spec/template/spec/tolerations/1"), SchemaDiffs.changes(planned),
        "a key only live has in an atomic map was never applied: no change under JSON Patch");
    assertTrue(kept.isEmpty(), SchemaDiffs.show(kept));
    assertEquals(Map.of(SchemaField.KEPT_BY_ADMISSION, 1), SchemaDiffs.hidden(kept));
  }
}
