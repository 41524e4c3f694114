package dev.gitops.k8s;

import static dev.gitops.k8s.SchemaDiffs.changes;
import static dev.gitops.k8s.SchemaDiffs.diff;
import static dev.gitops.k8s.SchemaDiffs.only;
import static dev.gitops.k8s.SchemaDiffs.show;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gitops.diff.Change;
import dev.gitops.diff.ResourceDiff;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A built-in field {@code gitops} applied and Git now leaves out, whose default the server's
 * defaulting puts back ({@link SchemaField#storedWhenLeftOut}): the plan shows the value the
 * server stores, not a removal it never makes, unless another manager keeps the field.
 */
class BuiltinLeftOutDefaultsTest {
  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: shop
        labels: {app.kubernetes.io/managed-by: gitops, gitops.dev/owner: web}
        managedFields: [%s]
      spec:
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: web, image: nginx}]}%s
      """;
  private static final String OURS = "{manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:selector: {},"
      + " f:strategy: {f:type: {}}, f:template: {f:metadata: {f:labels: {f:app: {}}}, f:spec: {f:containers:"
      + " {'k:{\"name\":\"web\"}': {.: {}, f:image: {}, f:name: {}}}}}}}}";

  @Test
  void aRecreateStrategyLeftOutIsShownAsTheRollingUpdateTheServerStores() {
    ResourceDiff d = diff(DEPLOYMENT.formatted("", ""),
        DEPLOYMENT.formatted(OURS, "\n  strategy: {type: Recreate}"));
    assertEquals(List.of("add /spec/strategy/rollingUpdate", "replace /spec/strategy/type"), changes(d), show(d));
    Change type = d.changes().stream().filter(c -> c.path().equals("/spec/strategy/type")).findFirst().orElseThrow();
    assertEquals("\"RollingUpdate\"", type.after().toString(), show(d));
  }

  @Test
  void aDefaultedFieldAnotherManagerAlsoOwnsStaysAndIsNoChange() {
    String kubectl = ", {manager: kubectl-edit, operation: Update, fieldsV1: {f:spec: {f:strategy: {f:type: {}}}}}";
    ResourceDiff d = diff(DEPLOYMENT.formatted("", ""),
        DEPLOYMENT.formatted(OURS + kubectl, "\n  strategy: {type: Recreate}"));
    assertEquals(List.of(), changes(d), show(d));
  }

  private static final String DAEMON_SET = """
      apiVersion: apps/v1
      kind: DaemonSet
      metadata:
        name: agent
        namespace: shop
        labels: {app.kubernetes.io/managed-by: gitops, gitops.dev/owner: web}
        managedFields: [%s]
      spec:
        selector: {matchLabels: {app: agent}}
        updateStrategy: %s
        template:
          metadata: {labels: {app: agent}}
          spec: {containers: [{name: agent, image: agent:1.0}]}
      """;
  private static final String OURS_DS = "{manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:selector: {},"
      + " f:updateStrategy: {f:type: {}, f:rollingUpdate: {f:maxSurge: {}, f:maxUnavailable: {}}},"
      + " f:template: {f:metadata: {f:labels: {f:app: {}}}, f:spec: {f:containers:"
      + " {'k:{\"name\":\"agent\"}': {.: {}, f:image: {}, f:name: {}}}}}}}}";
  private static final String LIVE_DS = "{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}";

  @Test
  void aDaemonSetsRollingUpdateLeftOutBesideOnDeleteIsRemovedNotDefaulted() {
    // SetDefaults_DaemonSet fills a rolling update under RollingUpdate only
    ResourceDiff d = diff(DAEMON_SET.formatted("", "{type: OnDelete}"), DAEMON_SET.formatted(OURS_DS, LIVE_DS));
    assertEquals(List.of("remove /spec/updateStrategy/rollingUpdate", "replace /spec/updateStrategy/type"),
        changes(d).stream().sorted().toList(), show(d));
  }

  @Test
  void aDaemonSetsSurgeLeftOutUnderRollingUpdateIsShownAsTheZeroTheServerStores() {
    ResourceDiff d = diff(DAEMON_SET.formatted("", "{type: RollingUpdate, rollingUpdate: {maxUnavailable: 0}}"),
        DAEMON_SET.formatted(OURS_DS, LIVE_DS));
    assertEquals(List.of("replace /spec/updateStrategy/rollingUpdate/maxSurge"), changes(d), show(d));
    assertEquals("0", only(d).after().toString(), show(d));
  }

  @Test
  void aContainersTerminationMessageFieldsLeftOutAreShownAsTheDefaultsTheServerStores() {
    String owned = OURS.replace("f:image: {}, f:name: {}",
        "f:image: {}, f:name: {}, f:terminationMessagePath: {}, f:terminationMessagePolicy: {}");
    String live = DEPLOYMENT.formatted(owned, "").replace("{name: web, image: nginx}",
        "{name: web, image: nginx, terminationMessagePath: /tmp/done, terminationMessagePolicy: FallbackToLogsOnError}");
    ResourceDiff d = diff(DEPLOYMENT.formatted("", ""), live); // SetDefaults_Container: File, /dev/termination-log
    assertEquals(List.of("replace /spec/template/spec/containers/0/terminationMessagePath",
        "replace /spec/template/spec/containers/0/terminationMessagePolicy"), changes(d).stream().sorted().toList(), show(d));
  }

  private static final String STATEFUL_SET = """
      apiVersion: apps/v1
      kind: StatefulSet
      metadata:
        name: db
        namespace: shop
        labels: {app.kubernetes.io/managed-by: gitops, gitops.dev/owner: web}
        managedFields: [%s]
      spec:
        serviceName: db
        selector: {matchLabels: {app: db}}
        updateStrategy: %s
        template:
          metadata: {labels: {app: db}}
          spec: {containers: [{name: db, image: db:1.0}]}
      """;
  private static final String OURS_STS = "{manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:serviceName: {},"
      + " f:selector: {}, f:updateStrategy: {f:type: {}, f:rollingUpdate: {f:partition: {}}},"
      + " f:template: {f:metadata: {f:labels: {f:app: {}}}, f:spec: {f:containers:"
      + " {'k:{\"name\":\"db\"}': {.: {}, f:image: {}, f:name: {}}}}}}}}";
  private static final String LIVE_STS = "{type: RollingUpdate, rollingUpdate: {partition: 3, maxUnavailable: 1}}";

  @Test
  void aStatefulSetsPartitionLeftOutBesideOnDeleteIsRemovedNotDefaulted() {
    // SetDefaults_StatefulSet fills partition under RollingUpdate only; validation refuses a rollingUpdate beside OnDelete
    ResourceDiff d = diff(STATEFUL_SET.formatted("", "{type: OnDelete}"), STATEFUL_SET.formatted(OURS_STS, LIVE_STS));
    assertEquals(List.of("remove /spec/updateStrategy/rollingUpdate", "replace /spec/updateStrategy/type"),
        changes(d).stream().sorted().toList(), show(d));
  }

  @Test
  void aStatefulSetsPartitionLeftOutUnderAWrittenRollingUpdateIsShownAsTheZeroTheServerStores() {
    ResourceDiff d = diff(STATEFUL_SET.formatted("", "{type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}"),
        STATEFUL_SET.formatted(OURS_STS, LIVE_STS));
    assertEquals(List.of("replace /spec/updateStrategy/rollingUpdate/partition"), changes(d), show(d));
    assertEquals("0", only(d).after().toString(), show(d));
  }

  @Test
  void aStatefulSetsUpdateStrategyLeftOutWholeIsShownAsThePartitionTheServerStores() {
    // an empty type is RollingUpdate and allocates the rolling update: {partition: 0, maxUnavailable: 1}
    ResourceDiff d = diff(STATEFUL_SET.formatted("", "{}"), STATEFUL_SET.formatted(OURS_STS, LIVE_STS));
    assertEquals(List.of("replace /spec/updateStrategy/rollingUpdate/partition"), changes(d), show(d));
    assertEquals("0", only(d).after().toString(), show(d));
  }

  @Test
  void aStatefulSetsUpdateStrategyLeftOutWholeBesideAnotherManagersMaxUnavailableShowsThePartitionAsZero() {
    // the prune keeps the rolling update for kubectl-edit's maxUnavailable; SetDefaults_StatefulSet fills it
    String kubectl = ", {manager: kubectl-edit, operation: Update, fieldsV1: {f:spec: {f:updateStrategy:"
        + " {f:rollingUpdate: {f:maxUnavailable: {}}}}}}";
    String desired = STATEFUL_SET.formatted("", "{}").replace("  updateStrategy: {}\n", "");
    ResourceDiff d = diff(desired, STATEFUL_SET.formatted(OURS_STS + kubectl, LIVE_STS));
    assertEquals(List.of("replace /spec/updateStrategy/rollingUpdate/partition"), changes(d), show(d));
    assertEquals("0", only(d).after().toString(), show(d));
  }

  private static final String HPA = """
      apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata:
        name: web
        namespace: shop
        labels: {app.kubernetes.io/managed-by: gitops, gitops.dev/owner: web}
        managedFields: [%s]
      spec:
        scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
        maxReplicas: 5%s
      """;
  private static final String OURS_HPA = "{manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:maxReplicas: {},"
      + " f:scaleTargetRef: {f:apiVersion: {}, f:kind: {}, f:name: {}}, f:behavior: {f:scaleDown: {f:selectPolicy: {}}}}}}";
  private static final String BEHAVIOR = "\n  minReplicas: 1\n  behavior:"
      + "\n    scaleUp: {stabilizationWindowSeconds: 0, selectPolicy: Max, policies: [{type: Pods, value: 4, periodSeconds: 15},"
      + " {type: Percent, value: 100, periodSeconds: 15}]}"
      + "\n    scaleDown: {selectPolicy: Min, policies: [{type: Percent, value: 100, periodSeconds: 15}]}";

  @Test
  void anAutoscalersBehaviorLeftOutWholeIsRemovedNotFilledWithTheDefaultRules() {
    // SetDefaults_HorizontalPodAutoscalerBehavior fills the rules under a behavior that is there, never a nil one
    ResourceDiff d = diff(HPA.formatted("", ""), HPA.formatted(OURS_HPA, BEHAVIOR));
    assertEquals(List.of("remove /spec/behavior"), changes(d), show(d));
  }

  @Test
  void anAutoscalersBehaviorLeftOutWholeBesideAnotherManagersScaleUpShowsTheScaleDownDefaults() {
    // the prune keeps the behavior for kubectl-edit's window and drops Git's scaleDown; the defaulting refills it
    String kubectl = ", {manager: kubectl-edit, operation: Update, fieldsV1: {f:spec: {f:behavior: {f:scaleUp:"
        + " {f:stabilizationWindowSeconds: {}}}}}}";
    ResourceDiff d = diff(HPA.formatted("", ""), HPA.formatted(OURS_HPA + kubectl, BEHAVIOR));
    assertEquals(List.of("replace /spec/behavior/scaleDown/selectPolicy"), changes(d), show(d));
    assertEquals("\"Max\"", only(d).after().toString(), show(d));
  }

  @Test
  void scaleDownPoliciesLeftOutBesideAnotherManagersWindowAreShownAsTheDefaultRules() {
    // kubectl-edit keeps behavior.scaleDown for its window; the defaulting fills the nil policies of a kept scaleDown
    String ours = "{manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:maxReplicas: {}, f:scaleTargetRef: {"
        + "f:apiVersion: {}, f:kind: {}, f:name: {}}, f:behavior: {f:scaleDown: {f:policies: {}, f:selectPolicy: {}}}}}}";
    String kubectl = ", {manager: kubectl-edit, operation: Update, fieldsV1: {f:spec: {f:behavior: {f:scaleDown:"
        + " {f:stabilizationWindowSeconds: {}}}}}}";
    String behavior = "\n  minReplicas: 1\n  behavior:"
        + "\n    scaleUp: {stabilizationWindowSeconds: 0, selectPolicy: Max, policies: [{type: Pods, value: 4, periodSeconds: 15},"
        + " {type: Percent, value: 100, periodSeconds: 15}]}"
        + "\n    scaleDown: {stabilizationWindowSeconds: 300, selectPolicy: Min, policies: [{type: Pods, value: 1, periodSeconds: 60}]}";
    ResourceDiff d = diff(HPA.formatted("", ""), HPA.formatted(ours + kubectl, behavior));
    assertEquals(List.of("replace /spec/behavior/scaleDown/policies/0/periodSeconds",
        "replace /spec/behavior/scaleDown/policies/0/type", "replace /spec/behavior/scaleDown/policies/0/value",
        "replace /spec/behavior/scaleDown/selectPolicy"), changes(d).stream().sorted().toList(), show(d));
  }

  @Test
  void anImageVolumeSourceLeftOutForAnotherIsRemovedNotGivenAPullPolicy() {
    // SetDefaults_Volume sets the pull policy of an image source that is there; an emptyDir replaces it here
    String pod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: tool
          namespace: shop
          labels: {app.kubernetes.io/managed-by: gitops, gitops.dev/owner: web}
          managedFields: [%s]
        spec:
          containers: [{name: tool, image: "tool:1.0", imagePullPolicy: IfNotPresent}]
          volumes: [%s]
        """;
    String ours = "{manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:containers: {'k:{\"name\":\"tool\"}':"
        + " {.: {}, f:name: {}, f:image: {}, f:imagePullPolicy: {}}}, f:volumes: {'k:{\"name\":\"data\"}':"
        + " {.: {}, f:name: {}, f:image: {f:reference: {}}}}}}}";
    ResourceDiff d = diff(pod.formatted("", "{name: data, emptyDir: {}}"),
        pod.formatted(ours, "{name: data, image: {reference: \"data:1.0\", pullPolicy: IfNotPresent}}"));
    assertEquals(List.of("add /spec/volumes/0/emptyDir", "remove /spec/volumes/0/image"),
        changes(d).stream().sorted().toList(), show(d));
  }

  private static final String WEB = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: shop
        labels: {app.kubernetes.io/managed-by: gitops, gitops.dev/owner: web}
        managedFields: [%s]
      spec:
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers: [{name: web, image: "nginx:1.27", imagePullPolicy: IfNotPresent}]
            volumes: [%s]
      """;
  private static final String OURS_WEB = "{manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:selector: {},"
      + " f:template: {f:metadata: {f:labels: {f:app: {}}}, f:spec: {f:containers: {'k:{\"name\":\"web\"}':"
      + " {.: {}, f:name: {}, f:image: {}, f:imagePullPolicy: {}}}, f:volumes: {'k:{\"name\":\"conf\"}':"
      + " {.: {}, f:name: {}%s}}}}}}}";

  @Test
  void aVolumeSourceLeftOutIsShownRemovedAndTheEmptyDirTheServerGivesIsNoChangeAfter() {
    // SetDefaults_Volume gives a volume whose source pointers are all nil emptyDir: {}; nobody owns it after
    // the apply, so the plan shows only the owned source's removal and the next plan is empty. Not shown
    // as added: Git's volume without a source is also what a manifest says whose volume source another
    // manager owns, which the server keeps (no emptyDir then): normalising Git's side would drift forever there
    ResourceDiff d = diff(WEB.formatted("", "{name: conf}"), WEB.formatted(OURS_WEB.formatted(", f:configMap: {f:name: {}}"),
        "{name: conf, configMap: {name: web-conf, defaultMode: 420}}"));
    assertEquals(List.of("remove /spec/template/spec/volumes/0/configMap"), changes(d), show(d));
    ResourceDiff after = diff(WEB.formatted("", "{name: conf}"), WEB.formatted(OURS_WEB.formatted(""),
        "{name: conf, emptyDir: {}}"));
    assertEquals(List.of(), changes(after), show(after));
  }

  @Test
  void theEmptyDirNobodyOwnsIsShownRemovedWhenGitGivesTheVolumeAnotherSource() {
    // server-side apply keeps a field nobody owns: beside Git's secret it would make two volume types (422)
    ResourceDiff d = diff(WEB.formatted("", "{name: conf, secret: {secretName: web-conf}}"),
        WEB.formatted(OURS_WEB.formatted(""), "{name: conf, emptyDir: {}}"));
    assertEquals(List.of("remove /spec/template/spec/volumes/0/emptyDir", "add /spec/template/spec/volumes/0/secret"),
        changes(d), show(d));
  }
}
