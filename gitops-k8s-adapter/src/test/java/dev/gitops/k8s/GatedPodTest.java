package dev.gitops.k8s;

import static dev.gitops.k8s.SchemaDiffs.changes;
import static dev.gitops.k8s.SchemaDiffs.diff;
import static dev.gitops.k8s.SchemaDiffs.hidden;
import static dev.gitops.k8s.SchemaDiffs.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.diff.ResourceDiff;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a controller of gated Pods writes to a bare Pod {@code gitops} applied ({@link PodAdmission}):
 * while gated, keys added to its nodeSelector and expressions added to its required node affinity
 * terms ({@code ValidatePodUpdate}: {@code validateNodeSelectorMutation},
 * {@code validateNodeAffinityMutation}), its gate removed; none of which an update of {@code gitops}
 * could undo (nodeSelector and affinity take no removal, gates no addition). Where {@code gitops}
 * alone owns the value, what only live has stays a removal (Git's to make, or the server's to refuse).
 */
class GatedPodTest {
  private static final String REQUIRED = """
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms:
              - matchExpressions:
                - {key: disktype, operator: In, values: [ssd]}%s
      """;

  /**
   * The diff of a gated Pod Git gives {@code git} (below its spec) against the live one with
   * {@code live}, whose {@code gitops} Apply entry owns {@code ours} and whose {@code kueue} Update
   * entry (none: null) owns {@code theirs}.
   */
  private static ResourceDiff pod(String git, String live, String ours, String theirs) {
    String pod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: batch
          namespace: shop%s
        spec:
          containers: [{name: app, image: "app:1.0"}]
        %s""";
    String entries = "\n  labels: {app.kubernetes.io/managed-by: gitops, gitops.dev/owner: web}"
        + "\n  managedFields:"
        + "\n  - {manager: gitops, operation: Apply, fieldsV1: {f:metadata: {f:labels: {f:app.kubernetes.io/managed-by: {},"
        + " f:gitops.dev/owner: {}}}, f:spec: {f:containers: {'k:{\"name\":\"app\"}': {.: {}, f:name: {}, f:image: {}}}"
        + ours + "}}}"
        + (theirs == null ? "" : "\n  - {manager: kueue, operation: Update, fieldsV1: {f:spec: {" + theirs + "}}}");
    return diff(pod.formatted("", git), pod.formatted(entries, live));
  }

  @Test
  void aKeyAControllerAddedToTheNodeSelectorItOwnsIsTheirs() {
    String git = "  nodeSelector: {disktype: ssd}\n";
    String live = "  nodeSelector: {disktype: ssd, example.com/pool: spot}\n";
    ResourceDiff shared = pod(git, live, ", f:nodeSelector: {}", "f:nodeSelector: {}");
    assertEquals(List.of(), changes(shared), show(shared));
    assertEquals(Map.of("owned by kueue", 1), hidden(shared), show(shared));
    ResourceDiff taken = pod(git, live, "", "f:nodeSelector: {}");
    assertEquals(List.of(), changes(taken), show(taken));
    ResourceDiff ours = pod(git, live, ", f:nodeSelector: {}", null);
    assertEquals(List.of("remove /spec/nodeSelector/example.com~1pool"), changes(ours), show(ours));
  }

  @Test
  void expressionsAControllerAppendedToARequiredTermItOwnsAreTheirs() {
    String git = REQUIRED.formatted("");
    String live = REQUIRED.formatted("\n          - {key: kubernetes.io/arch, operator: In, values: [arm64]}");
    String owned = "f:affinity: {f:nodeAffinity: {f:requiredDuringSchedulingIgnoredDuringExecution: {}}}";
    ResourceDiff shared = pod(git, live, ", " + owned, owned);
    assertEquals(List.of(), changes(shared), show(shared));
    assertEquals(Map.of("owned by kueue", 1), hidden(shared), show(shared));
    ResourceDiff ours = pod(git, live, ", " + owned, null);
    assertEquals(List.of("remove /spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution"
        + "/nodeSelectorTerms/0/matchExpressions/1"), changes(ours), show(ours));
  }

  @Test
  void aGateTheLivePodLacksCannotBeAddedBack() {
    String gate = "  schedulingGates: [{name: example.com/quota}]\n";
    String owned = ", f:schedulingGates: {'k:{\"name\":\"example.com/quota\"}': {.: {}, f:name: {}}}";
    ResourceDiff ungated = pod(gate, "", "", null);
    assertEquals(List.of(), changes(ungated), show(ungated));
    assertEquals(Map.of("scheduling gate removed", 1), hidden(ungated), show(ungated));
    ResourceDiff one = pod("  schedulingGates: [{name: example.com/quota}, {name: example.com/arch}]\n",
        "  schedulingGates: [{name: example.com/quota}]\n", owned, null);
    assertTrue(changes(one).isEmpty(), show(one));
    ResourceDiff removed = pod("", gate, owned, null);
    assertEquals(List.of("remove /spec/schedulingGates"), changes(removed), "Git may ungate: " + show(removed));
  }

  @Test
  void aTolerationAControllerAddedToTheListItOwnsIsTheirs() {
    String git = "  tolerations: [{key: dedicated, operator: Exists, effect: NoSchedule}]\n";
    String live = "  tolerations: [{key: dedicated, operator: Exists, effect: NoSchedule},"
        + " {key: example.com/spot, operator: Exists, effect: NoSchedule}]\n";
    ResourceDiff shared = pod(git, live, ", f:tolerations: {}", "f:tolerations: {}");
    assertEquals(List.of(), changes(shared), show(shared));
    assertEquals(Map.of("owned by kueue", 1), hidden(shared), show(shared));
    ResourceDiff taken = pod(git, live, "", "f:tolerations: {}");
    assertEquals(List.of(), changes(taken), show(taken));
    ResourceDiff ours = pod(git, live, ", f:tolerations: {}", null);
    assertEquals(List.of("remove /spec/tolerations/1"), changes(ours), show(ours));
  }

  /**
   * Any Pod takes a change of an existing toleration's {@code tolerationSeconds} and nothing else of it
   * ({@code validateOnlyAddedTolerations} compares old and new with that field cleared). The seconds
   * another manager set on a toleration Git gives without them are theirs, as server-side apply keeps
   * a field Git leaves out that another manager owns; where gitops alone owns the list they are Git's
   * to drop.
   */
  @Test
  void tolerationSecondsAControllerSetOnAGitTolerationWithoutThemAreTheirs() {
    String git = "  tolerations: [{key: example.com/maintenance, operator: Exists, effect: NoExecute}]\n";
    String live = "  tolerations: [{key: example.com/maintenance, operator: Exists, effect: NoExecute,"
        + " tolerationSeconds: 60}]\n";
    ResourceDiff shared = pod(git, live, ", f:tolerations: {}", "f:tolerations: {}");
    assertEquals(List.of(), changes(shared), show(shared));
    assertEquals(Map.of("owned by kueue", 1), hidden(shared), show(shared));
    ResourceDiff ours = pod(git, live, ", f:tolerations: {}", null);
    assertEquals(List.of("remove /spec/tolerations/0/tolerationSeconds"), changes(ours), show(ours));
  }

  /** Seconds Git gives are Git's: another manager's change of them is drift, which the server lets an update repair. */
  @Test
  void tolerationSecondsGitGivesAreGitsWhoeverChangedThem() {
    String git = "  tolerations: [{key: example.com/maintenance, operator: Exists, effect: NoExecute,"
        + " tolerationSeconds: 3600}]\n";
    String live = git.replace("3600", "60");
    ResourceDiff shared = pod(git, live, ", f:tolerations: {}", "f:tolerations: {}");
    assertEquals(List.of("replace /spec/tolerations/0/tolerationSeconds"), changes(shared), show(shared));
    ResourceDiff taken = pod(git, live, "", "f:tolerations: {}");
    assertEquals(List.of("replace /spec/tolerations/0/tolerationSeconds"), changes(taken), show(taken));
  }

  @Test
  void aPreferredNodeTermAControllerAppendedToTheListItOwnsIsTheirs() {
    String term = "\n        - weight: %d\n          preference:\n            matchExpressions:"
        + "\n            - {key: %s, operator: In, values: [a]}";
    String git = "  affinity:\n    nodeAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:"
        + term.formatted(10, "zone") + "\n";
    String live = git.stripTrailing() + term.formatted(50, "example.com/pool") + "\n";
    String owned = "f:affinity: {f:nodeAffinity: {f:preferredDuringSchedulingIgnoredDuringExecution: {}}}";
    ResourceDiff shared = pod(git, live, ", " + owned, owned);
    assertEquals(List.of(), changes(shared), show(shared));
    assertEquals(Map.of("owned by kueue", 1), hidden(shared), show(shared));
    ResourceDiff taken = pod(git, live, "", owned);
    assertEquals(List.of(), changes(taken), show(taken));
    ResourceDiff ours = pod(git, live, ", " + owned, null);
    assertEquals(List.of("remove /spec/affinity/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution/1"),
        changes(ours), show(ours));
  }

  @Test
  void requiredTermsAControllerSetWhereGitGaveNoneAreTheirs() {
    String git = "  affinity:\n    nodeAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:"
        + "\n      - {weight: 10, preference: {matchExpressions: [{key: zone, operator: In, values: [a]}]}}\n";
    String live = git + REQUIRED.formatted("").replace("  affinity:\n    nodeAffinity:\n", "");
    String preferred = "f:affinity: {f:nodeAffinity: {f:preferredDuringSchedulingIgnoredDuringExecution: {}}}";
    ResourceDiff theirs = pod(git, live, ", " + preferred,
        "f:affinity: {f:nodeAffinity: {f:requiredDuringSchedulingIgnoredDuringExecution: {}}}");
    assertEquals(List.of(), changes(theirs), show(theirs));
  }
}
