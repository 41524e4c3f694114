package dev.gitops.k8s;

import static dev.gitops.k8s.SchemaDiffs.changes;
import static dev.gitops.k8s.SchemaDiffs.diff;
import static dev.gitops.k8s.SchemaDiffs.hidden;
import static dev.gitops.k8s.SchemaDiffs.show;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gitops.diff.ResourceDiff;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What admission and the Pod strategy add to a bare Pod inside values {@code gitops} owns whole
 * ({@link PodAdmission}), and where the same shapes stay changes: the negative controls of corpus
 * pairs 431 (RuntimeClass scheduling) and 434 (label selectors from {@code matchLabelKeys}), whose
 * removals a server refuses on a Pod, so they cannot be corpus pairs ({@code ImmutableFieldsTest}).
 */
class PodAdmissionTest {
  private static final String POD = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: runner
        namespace: shop
        labels: {app: runner, tier: batch%s}%s
      spec:
        containers: [{name: runner, image: runner:1.0}]
      %s""";
  private static final String OURS = "{manager: gitops, operation: Apply, fieldsV1: {f:metadata: {f:labels:"
      + " {f:app: {}, f:tier: {}}}, f:spec: {f:containers: {'k:{\"name\":\"runner\"}': {.: {}, f:image: {},"
      + " f:name: {}}}, %s}}}";
  private static final String SCHEDULING = "f:nodeSelector: {}, f:tolerations: {}";
  private static final String GIT_SCHEDULING = """
        nodeSelector: {disktype: ssd}
        tolerations: [{key: dedicated, operator: Equal, value: batch, effect: NoSchedule}]
      """;
  private static final String LIVE_SCHEDULING = """
        nodeSelector: {disktype: ssd, runtime: gvisor}
        tolerations:
        - {key: dedicated, operator: Equal, value: batch, effect: NoSchedule}
        - {key: runtime, operator: Equal, value: gvisor, effect: NoSchedule}
      """;

  /** The diff of a Pod Git gives {@code git} in its spec against the live one with {@code live}, {@code gitops} owning {@code fields}. */
  private static ResourceDiff pod(String fields, String git, String live) {
    return diff(POD.formatted("", "", git), POD.formatted(", app.kubernetes.io/managed-by: gitops, gitops.dev/owner: web",
        "\n  managedFields: [" + OURS.formatted(fields) + "]", live));
  }

  @Test
  void aRuntimeClassesNodeSelectorKeyAndTolerationAreTheAdmissionPlugins() {
    ResourceDiff d = pod(SCHEDULING + ", f:runtimeClassName: {}", "  runtimeClassName: gvisor\n" + GIT_SCHEDULING,
        "  runtimeClassName: gvisor\n" + LIVE_SCHEDULING);
    assertEquals(List.of(), changes(d), show(d));
    assertEquals(2, hidden(d).get(SchemaField.SERVER_APPENDED), show(d));
  }

  @Test
  void withoutARuntimeClassALiveOnlyNodeSelectorKeyAndTolerationAreRemovals() {
    ResourceDiff d = pod(SCHEDULING, GIT_SCHEDULING, LIVE_SCHEDULING);
    assertEquals(List.of("remove /spec/nodeSelector/runtime", "remove /spec/tolerations/1"), changes(d), show(d));
  }

  private static final String AFFINITY = "f:affinity: {f:podAffinity:"
      + " {f:preferredDuringSchedulingIgnoredDuringExecution: {}}}";

  /** A pod's {@code affinity} (two spaces in) with one preferred term: {@code expressions} after its labels, {@code keys} beside. */
  static String affinity(String expressions, String keys) {
    return """
          affinity:
            podAffinity:
              preferredDuringSchedulingIgnoredDuringExecution:
              - weight: 50
                podAffinityTerm:
                  topologyKey: kubernetes.io/hostname
                  labelSelector: {matchLabels: {app: runner}%s}
                  %s
        """.formatted(expressions, keys);
  }

  @Test
  void anExpressionFromAMismatchLabelKeyOfAWeightedTermIsTheStrategys() {
    ResourceDiff d = pod(AFFINITY, affinity("", "mismatchLabelKeys: [tier]"),
        affinity(", matchExpressions: [{key: tier, operator: NotIn, values: [batch]}]", "mismatchLabelKeys: [tier]"));
    assertEquals(List.of(), changes(d), show(d));
  }

  @Test
  void anExpressionOfAKeyNoLabelKeysNameIsARemoval() {
    ResourceDiff d = pod(AFFINITY, affinity("", "matchLabelKeys: [tier]"),
        affinity(", matchExpressions: [{key: tier, operator: NotIn, values: [batch]}]", "matchLabelKeys: [tier]"));
    assertEquals(List.of("remove /spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/0"
        + "/podAffinityTerm/labelSelector/matchExpressions"), changes(d), show(d));
  }

  @Test
  void anExpressionGitAppliedAndDroppedBesideTheStrategysIsARemoval() {
    ResourceDiff d = pod(AFFINITY, affinity("", "matchLabelKeys: [tier]"),
        affinity(", matchExpressions: [{key: track, operator: In, values: [stable]},"
            + " {key: tier, operator: In, values: [batch]}]", "matchLabelKeys: [tier]"));
    assertEquals(List.of("remove /spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/0"
        + "/podAffinityTerm/labelSelector/matchExpressions"), changes(d), show(d));
  }
}
