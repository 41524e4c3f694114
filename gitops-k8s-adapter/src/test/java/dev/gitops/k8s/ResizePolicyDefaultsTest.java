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
 * The {@code resizePolicy} entries {@code SetDefaults_Pod} of 1.30 to 1.32 appends, with
 * {@code InPlacePodVerticalScaling} enabled, to a bare Pod's container for cpu and memory in its
 * requests (or limits) that its list does not name ({@code NotRequired}): not drift; anything
 * else in the atomic list, a policy Git gives, a template's or an init container's list, stays
 * compared.
 */
class ResizePolicyDefaultsTest {
  private static final String OWNED = """
      managedFields:
      - manager: gitops
        operation: Apply
        fieldsV1:
          f:spec:
            f:%1$s:
              'k:{"name":"app"}': {.: {}, f:name: {}, f:resizePolicy: {}, f:resources: {f:requests: {f:cpu: {}, f:memory: {}}}}
      """;

  private static String pod(String list, String policies, String resources, boolean live) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          namespace: shop
        %s
        spec:
          %s:
          - name: app
            resources: %s
            resizePolicy: %s
        """.formatted(live ? OWNED.formatted(list).indent(2) : "", list, resources, policies);
  }

  private static ResourceDiff podDiff(String list, String git, String live, String resources) {
    return diff(pod(list, git, resources, false), pod(list, live, resources, true));
  }

  private static final String BOTH = "{requests: {cpu: 250m, memory: 1Gi}}";

  @Test
  void entriesTheDefaultingAppendsToABarePodsContainerAreNoDrift() {
    ResourceDiff d = podDiff("containers", "[{resourceName: memory, restartPolicy: RestartContainer}]",
        "[{resourceName: memory, restartPolicy: RestartContainer}, {resourceName: cpu, restartPolicy: NotRequired}]",
        BOTH);
    assertTrue(d.isEmpty(), show(d));
    assertEquals(Map.of("server-appended entry", 1), hidden(d), show(d));
    ResourceDiff empty = podDiff("containers", "[]",
        "[{resourceName: cpu, restartPolicy: NotRequired}, {resourceName: memory, restartPolicy: NotRequired}]", BOTH);
    assertTrue(empty.isEmpty(), show(empty));
    ResourceDiff limits = podDiff("containers", "[]", "[{resourceName: memory, restartPolicy: NotRequired}]",
        "{limits: {memory: 1Gi}}");
    assertTrue(limits.isEmpty(), show(limits));
  }

  @Test
  void otherEntriesAndPoliciesGitGivesStayCompared() {
    String live = "[{resourceName: cpu, restartPolicy: NotRequired}, {resourceName: memory, restartPolicy: NotRequired}]";
    ResourceDiff given = podDiff("containers", "[{resourceName: cpu, restartPolicy: RestartContainer}]", live, BOTH);
    assertEquals(List.of("replace /spec/containers/0/resizePolicy/0/restartPolicy"), changes(given), show(given));
    assertEquals(Map.of("server-appended entry", 1), hidden(given), show(given));
    ResourceDiff notRequested = podDiff("containers", "[]", "[{resourceName: cpu, restartPolicy: NotRequired}]",
        "{requests: {memory: 1Gi}}");
    assertEquals(List.of("remove /spec/containers/0/resizePolicy/0"), changes(notRequested), show(notRequested));
    ResourceDiff restart = podDiff("containers", "[]", "[{resourceName: cpu, restartPolicy: RestartContainer}]", BOTH);
    assertEquals(List.of("remove /spec/containers/0/resizePolicy/0"), changes(restart), show(restart));
    ResourceDiff init = podDiff("initContainers", "[]", "[{resourceName: cpu, restartPolicy: NotRequired}]", BOTH);
    assertEquals(List.of("remove /spec/initContainers/0/resizePolicy/0"), changes(init), show(init));
  }

  @Test
  void aTemplatesListIsNeverDefaulted() {
    String deployment = """
        {apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: shop %s},
          spec: {template: {spec: {containers: [{name: app, resources: %s, resizePolicy: %s}]}}}}
        """;
    String owned = """
        , managedFields: [{manager: gitops, operation: Apply,
          fieldsV1: {f:spec: {f:template: {f:spec: {f:containers: {'k:{"name":"app"}': {.: {}, f:name: {}, f:resizePolicy: {}}}}}}}}]
        """;
    ResourceDiff d = diff(deployment.formatted("", BOTH, "[]"),
        deployment.formatted(owned, BOTH, "[{resourceName: cpu, restartPolicy: NotRequired}]"));
    assertEquals(List.of("remove /spec/template/spec/containers/0/resizePolicy/0"), changes(d), show(d));
  }

  @Test
  void gitLeavingOutAWholeListOfDefaultedEntriesItAppliedIsADefaultValue() {
    String git = pod("containers", "[]", BOTH, false).replace("    resizePolicy: []\n", "");
    ResourceDiff d = diff(git, pod("containers",
        "[{resourceName: cpu, restartPolicy: NotRequired}, {resourceName: memory, restartPolicy: NotRequired}]", BOTH, true));
    assertTrue(d.isEmpty(), show(d));
    assertEquals(Map.of("default value", 1), hidden(d), show(d));
    ResourceDiff other = diff(git, pod("containers", "[{resourceName: cpu, restartPolicy: RestartContainer}]", BOTH, true));
    assertEquals(List.of("remove /spec/containers/0/resizePolicy"), changes(other), show(other));
  }
}
