package dev.gitops.k8s;

import static dev.gitops.k8s.SchemaDiffs.changes;
import static dev.gitops.k8s.SchemaDiffs.diff;
import static dev.gitops.k8s.SchemaDiffs.hidden;
import static dev.gitops.k8s.SchemaDiffs.only;
import static dev.gitops.k8s.SchemaDiffs.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.diff.ResourceDiff;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An applied field Git now leaves out (a chart's unset value printed as null) whose default the
 * server derives from a sibling: a container's pull policy from its image, a Job's counts from each
 * other, a Service's traffic policies from its type, a Pod's requests from its limits. No change when the live value is that
 * default, a removal otherwise, and a field no rule sets stays a removal whatever the rules set
 * beside it.
 */
class WorkloadDefaultsTest {
  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers: [{name: web, image: %s, imagePullPolicy: null}]
      """;
  private static final String LIVE_DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: shop
        managedFields:
        - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:replicas: {}, f:selector: {}, f:template: {
            f:metadata: {f:labels: {f:app: {}}}, f:spec: {f:containers: {'k:{"name":"web"}':
            {.: {}, f:name: {}, f:image: {}, f:imagePullPolicy: {}}}}}}}}
      spec:
        replicas: %d
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers: [{name: web, image: %s, imagePullPolicy: %s}]
      """;

  @Test
  void thePullPolicyFollowsTheImagesTagAsParseImageNameReadsIt() {
    Map<String, String> cases = Map.of("ghcr.io/example/web:1.4.2", "IfNotPresent", "busybox", "Always",
        "busybox:latest", "Always", "localhost:5000/app", "Always", "localhost:5000/app:v1", "IfNotPresent",
        "app@sha256:" + "a".repeat(64), "IfNotPresent", "app:latest@sha256:" + "a".repeat(64), "Always",
        "app:Latest", "IfNotPresent");
    cases.forEach((image, policy) -> assertEquals(policy, WorkloadDefaults.pullPolicy(image), image));
  }

  @Test
  void anImageTheReferenceGrammarRefusesHasNoTagSoItsPolicyIsIfNotPresent() {
    Map<String, String> refused = Map.ofEntries(Map.entry("ghcr.io/Example/web", "upper case in the path"),
        Map.entry("ghcr.io/Example/tools:latest", "upper case before a latest tag"),
        Map.entry("Nginx", "upper case in a Docker Hub name"), Map.entry("a".repeat(64), "an image id"),
        Map.entry("app:latest@sha256:abc", "a digest too short"),
        Map.entry("app:latest@md5:" + "a".repeat(32), "an algorithm the server lacks"),
        Map.entry("app:latest@sha256:" + "A".repeat(64), "upper-case hex"),
        Map.entry("app:1.0+build", "a tag with +"), Map.entry("app:", "an empty tag"),
        Map.entry("ghcr.io/" + "a".repeat(250) + ":latest", "a name over 255 characters"),
        Map.entry("ghcr.io/-web", "a path starting with a separator"));
    refused.forEach((image, why) -> assertEquals("IfNotPresent", WorkloadDefaults.pullPolicy(image), why));
    Map<String, String> parsed = Map.of("MyRegistry/app", "an upper-case first component is a registry",
        "registry.example.com:5000/team/app_v2", "a port and a separator", "index.docker.io/nginx:latest", "the legacy hub",
        "[::1]:5000/app", "an IPv6 registry", "app:latest@sha512:" + "b".repeat(128), "a tag beside a sha512 digest");
    parsed.forEach((image, why) -> assertEquals("Always", WorkloadDefaults.pullPolicy(image), why));
  }

  @Test
  void aPullPolicyLeftOutIsTheOneTheImageGets() {
    for (String[] c : new String[][] {{"web:1.4.2", "IfNotPresent"}, {"busybox", "Always"}}) {
      ResourceDiff d = diff(DEPLOYMENT.formatted(c[0]), LIVE_DEPLOYMENT.formatted(2, c[0], c[1]));
      assertEquals(List.of("replace /spec/replicas"), changes(d), show(d)); // owned, left out: stored 1, live 2
      assertEquals(Map.of("default value", 1), hidden(d), show(d));
    }
    ResourceDiff always = diff(DEPLOYMENT.formatted("web:1.4.2"), LIVE_DEPLOYMENT.formatted(1, "web:1.4.2", "Always"));
    assertEquals(List.of("replace /spec/template/spec/containers/0/imagePullPolicy"), changes(always), show(always));
    assertEquals("\"IfNotPresent\"", only(always).after().toString(), show(always)); // what the server stores, not a removal
  }

  @Test
  void aPointersZeroBesideAPullPolicyTheRulesFillInStaysARemoval() {
    // replicas 0 owned and left out is stored as 1: the rules set the pull policy, not replicas
    ResourceDiff d = diff(DEPLOYMENT.formatted("web:1.4.2"), LIVE_DEPLOYMENT.formatted(0, "web:1.4.2", "IfNotPresent"));
    assertEquals(List.of("replace /spec/replicas"), changes(d), show(d)); // stored 1
  }

  private static final String JOB = """
      apiVersion: batch/v1
      kind: Job
      metadata: {name: migrate, namespace: shop}
      spec: {%s template: {spec: {restartPolicy: Never, containers: [{name: m, image: m:1, imagePullPolicy: IfNotPresent}]}}}
      """;
  /** A Job whose counts {@code gitops} owns (the first line, fields), live as the second line holds them. */
  private static final String LIVE_JOB = """
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: migrate
        namespace: shop
        managedFields:
        - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {%s f:template: {f:spec: {f:restartPolicy: {},
            f:containers: {'k:{"name":"m"}': {.: {}, f:name: {}, f:image: {}, f:imagePullPolicy: {}}}}}}}}
      spec: {%s template: {spec: {restartPolicy: Never, containers: [{name: m, image: m:1, imagePullPolicy: IfNotPresent}]}}}
      """;

  @Test
  void aJobsCountsLeftOutAreTheirDefaultsByTheirSiblings() {
    String counts = "completions: 1, parallelism: 1, backoffLimit: 6,";
    String owned = "f:completions: {}, f:parallelism: {}, f:backoffLimit: {},";
    ResourceDiff d = diff(JOB.formatted("completions: null,"), LIVE_JOB.formatted(owned, counts));
    assertTrue(d.isEmpty(), show(d));
    assertEquals(Map.of("default value", 3), hidden(d), show(d));
    // beside a parallelism completions is no longer defaulted (stored nil, live 1)
    ResourceDiff parallel = diff(JOB.formatted("parallelism: 1,"), LIVE_JOB.formatted(owned, counts));
    assertEquals(List.of("remove /spec/completions"), changes(parallel), show(parallel));
    // beside a backoffLimitPerIndex the limit is the largest int32 (stored), not the live 6
    String indexed = "completions: 4, completionMode: Indexed, backoffLimitPerIndex: 1,";
    ResourceDiff perIndex = diff(JOB.formatted(indexed), LIVE_JOB.formatted(
        "f:completions: {}, f:completionMode: {}, f:backoffLimitPerIndex: {}, f:backoffLimit: {},",
        indexed + " backoffLimit: 6, parallelism: 1,"));
    assertEquals(List.of("replace /spec/backoffLimit"), changes(perIndex), show(perIndex));
    assertEquals(String.valueOf(Integer.MAX_VALUE), only(perIndex).after().toString(), show(perIndex));
  }

  @Test
  void aCronJobsJobTemplateIsNoJobSoItsCountsLeftOutAreRemoved() {
    String cronJob = """
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: report, namespace: shop}
        spec:
          schedule: "0 3 * * *"
          jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: r, image: r:1}]}}}}
        """;
    String live = """
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: report
          namespace: shop
          managedFields:
          - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:schedule: {}, f:jobTemplate: {f:spec: {
              f:parallelism: {}, f:suspend: {}, f:completionMode: {}, f:template: {f:spec: {f:restartPolicy: {},
              f:containers: {'k:{"name":"r"}': {.: {}, f:name: {}, f:image: {}}}}}}}}}}
        spec:
          schedule: "0 3 * * *"
          jobTemplate: {spec: {parallelism: 1, suspend: false, completionMode: NonIndexed,
            template: {spec: {restartPolicy: Never, containers: [{name: r, image: r:1, imagePullPolicy: IfNotPresent}]}}}}
        """;
    ResourceDiff d = diff(cronJob, live);
    assertEquals(List.of("remove /spec/jobTemplate/spec/completionMode", "remove /spec/jobTemplate/spec/parallelism",
        "remove /spec/jobTemplate/spec/suspend"), changes(d).stream().sorted().toList(), show(d));
  }

  private static final String SERVICE = """
      apiVersion: v1
      kind: Service
      metadata: {name: edge, namespace: shop}
      spec:
        type: %s
        externalTrafficPolicy: null
        internalTrafficPolicy: null
        ports: [{port: 80}]
      """;
  private static final String LIVE_SERVICE = """
      apiVersion: v1
      kind: Service
      metadata:
        name: edge
        namespace: shop
        managedFields:
        - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:type: {}, f:externalTrafficPolicy: {},
            f:internalTrafficPolicy: {}, f:allocateLoadBalancerNodePorts: {},
            f:ports: {'k:{"port":80,"protocol":"TCP"}': {.: {}, f:port: {}}}}}}
      spec:
        type: %s
        allocateLoadBalancerNodePorts: false
        externalTrafficPolicy: %s
        internalTrafficPolicy: %s
        ports: [{port: 80, protocol: TCP, targetPort: 80, nodePort: 30080}]
      """;

  @Test
  void aServicesTrafficPoliciesLeftOutAreClusterByItsType() {
    ResourceDiff d = diff(SERVICE.formatted("LoadBalancer"), LIVE_SERVICE.formatted("LoadBalancer", "Cluster", "Cluster"));
    // allocateLoadBalancerNodePorts false owned and left out is stored as true: the rules set the policies only
    assertEquals(List.of("replace /spec/allocateLoadBalancerNodePorts"), changes(d), show(d));
    assertEquals(2, hidden(d).get("default value"), show(d));
    ResourceDiff local = diff(SERVICE.formatted("LoadBalancer"), LIVE_SERVICE.formatted("LoadBalancer", "Local", "Local"));
    // stored as Cluster: shown as Local -> Cluster, not as removals the server never makes
    assertEquals(List.of("replace /spec/allocateLoadBalancerNodePorts", "replace /spec/externalTrafficPolicy",
        "replace /spec/internalTrafficPolicy"), changes(local).stream().sorted().toList(), show(local));
  }

  @Test
  void anAutoscalersScalingRulesLeftOutAreTheDefaultRulesOfTheirDirection() {
    String hpa = """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web, namespace: shop}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          maxReplicas: 5
          behavior: {scaleUp: null, scaleDown: {selectPolicy: Min}}
        """;
    String live = """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          name: web
          namespace: shop
          managedFields:
          - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:maxReplicas: {}, f:scaleTargetRef: {
              f:apiVersion: {}, f:kind: {}, f:name: {}}, f:behavior: {f:scaleUp: {f:stabilizationWindowSeconds: {}},
              f:scaleDown: {f:selectPolicy: {}, f:stabilizationWindowSeconds: {}, f:policies: {}}}}}}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          maxReplicas: 5
          minReplicas: 1
          behavior:
            scaleUp: {stabilizationWindowSeconds: %d, selectPolicy: Max, policies: [{type: Pods, value: 4, periodSeconds: 15},
              {type: Percent, value: 100, periodSeconds: 15}]}
            scaleDown: {stabilizationWindowSeconds: 300, selectPolicy: Min, policies: [{type: Percent, value: 100, periodSeconds: 15}]}
        """;
    // scale-up's window left out is 0 again; scale-down has no default window and its default policies are stored again
    ResourceDiff d = diff(hpa, live.formatted(0));
    assertEquals(List.of("remove /spec/behavior/scaleDown/stabilizationWindowSeconds"), changes(d), show(d));
    assertEquals(Map.of("default value", 2), hidden(d), show(d));
    ResourceDiff once60 = diff(hpa, live.formatted(60));
    // scale-up left out is stored as the default rules: only the window differs from them
    assertEquals(List.of("remove /spec/behavior/scaleDown/stabilizationWindowSeconds",
        "replace /spec/behavior/scaleUp/stabilizationWindowSeconds"), changes(once60).stream().sorted().toList(), show(once60));
  }

  @Test
  void aPodsRequestsLeftOutAreItsLimitsButATemplatesAreRemoved() {
    String pod = """
        apiVersion: v1
        kind: %s
        metadata: {name: job, namespace: shop}
        spec:
          containers: [{name: job, image: job:1.0, resources: {limits: {cpu: 500m, memory: 256Mi}, requests: null}}]
        """;
    String live = """
        apiVersion: v1
        kind: %s
        metadata:
          name: job
          namespace: shop
          managedFields:
          - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:containers: {'k:{"name":"job"}': {.: {},
              f:name: {}, f:image: {}, f:resources: {f:limits: {f:cpu: {}, f:memory: {}}, f:requests: %s}}}}}}
        spec:
          containers: [{name: job, image: job:1.0, imagePullPolicy: IfNotPresent,
            resources: {limits: {cpu: 500m, memory: 256Mi}, requests: {cpu: %s, memory: 256Mi}}}]
        """;
    ResourceDiff d = diff(pod.formatted("Pod"), live.formatted("Pod", "{}", "500m")); // SetDefaults_Pod copies the limits
    assertTrue(d.isEmpty(), show(d));
    assertEquals(Map.of("default value", 1), hidden(d), show(d));
    ResourceDiff below = diff(pod.formatted("Pod"), live.formatted("Pod", "{}", "250m"));
    assertEquals(List.of("replace /spec/containers/0/resources/requests/cpu"), changes(below), show(below)); // 250m -> 500m
    String oneKey = pod.formatted("Pod").replace("requests: null", "requests: {memory: 256Mi}");
    ResourceDiff key = diff(oneKey, live.formatted("Pod", "{f:cpu: {}, f:memory: {}}", "500m"));
    assertTrue(key.isEmpty(), show(key)); // the owned cpu request left out is the cpu limit again
    String template = pod.formatted("PodTemplate").replace("spec:\n  containers", "template:\n  spec:\n    containers");
    String liveTemplate = live.formatted("PodTemplate", "{}", "500m").replace("f:spec: {f:containers", "f:template: {f:spec: {f:containers")
        .replace("f:requests: {}}}}}}", "f:requests: {}}}}}}}").replace("spec:\n  containers", "template:\n  spec:\n    containers");
    ResourceDiff t = diff(template, liveTemplate);
    assertEquals(List.of("remove /template/spec/containers/0/resources/requests"), changes(t), show(t));
  }

  @Test
  void aPodsServiceLinksLeftOutAreOnButATemplatesAreRemoved() {
    String pod = """
        apiVersion: v1
        kind: Pod
        metadata: {name: smoke, namespace: shop}
        spec: {enableServiceLinks: null, containers: [{name: smoke, image: smoke:1.0, imagePullPolicy: Always}]}
        """;
    String live = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: smoke
          namespace: shop
          managedFields:
          - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:enableServiceLinks: {}, f:containers: {
              'k:{"name":"smoke"}': {.: {}, f:name: {}, f:image: {}, f:imagePullPolicy: {}}}}}}
        spec: {enableServiceLinks: %s, containers: [{name: smoke, image: smoke:1.0, imagePullPolicy: Always}]}
        """;
    ResourceDiff d = diff(pod, live.formatted("true")); // SetDefaults_Pod: nil -> true
    assertTrue(d.isEmpty(), show(d));
    assertEquals(Map.of("default value", 1), hidden(d), show(d));
    ResourceDiff off = diff(pod, live.formatted("false"));
    assertEquals(List.of("replace /spec/enableServiceLinks"), changes(off), show(off)); // false -> true
    ResourceDiff template = diff(DEPLOYMENT.formatted("web:1.0").replace("    containers: [",
        "    enableServiceLinks: null\n    containers: ["), LIVE_DEPLOYMENT.formatted(1, "web:1.0", "IfNotPresent")
        .replace("f:spec: {f:containers", "f:spec: {f:enableServiceLinks: {}, f:containers")
        .replace("    containers: [", "    enableServiceLinks: true\n    containers: ["));
    assertEquals(List.of("remove /spec/template/spec/enableServiceLinks"), changes(template), show(template));
  }

  @Test
  void aStatefulSetsRollingUpdateLeftOutIsAllocatedOnlyUnderAnEmptyType() {
    String set = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: shop}
        spec:
          serviceName: db
          updateStrategy: {type: %s, rollingUpdate: null}
          selector: {matchLabels: {app: db}}
          template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: db:1.0, imagePullPolicy: Always}]}}
        """;
    String live = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: db
          namespace: shop
          managedFields:
          - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:serviceName: {}, f:selector: {},
              f:updateStrategy: {f:type: {}, f:rollingUpdate: {}}, f:template: {f:metadata: {f:labels: {f:app: {}}},
              f:spec: {f:containers: {'k:{"name":"db"}': {.: {}, f:name: {}, f:image: {}, f:imagePullPolicy: {}}}}}}}}
        spec:
          serviceName: db
          updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: %d, maxUnavailable: 1}}
          selector: {matchLabels: {app: db}}
          template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: db:1.0, imagePullPolicy: Always}]}}
        """;
    ResourceDiff d = diff(set.formatted("null"), live.formatted(0)); // SetDefaults_StatefulSet: "" -> RollingUpdate, {0, 1}
    assertTrue(d.isEmpty(), show(d));
    assertEquals(Map.of("default value", 2), hidden(d), show(d));
    ResourceDiff partition = diff(set.formatted("null"), live.formatted(2));
    // stored as {0, 1}: the partition is reset, not the rolling update removed (the gated maxUnavailable left to the live value)
    assertEquals(List.of("replace /spec/updateStrategy/rollingUpdate/partition"), changes(partition), show(partition));
    assertEquals("0", only(partition).after().toString(), show(partition));
    ResourceDiff written = diff(set.formatted("RollingUpdate"), live.formatted(0)); // a written type allocates none
    assertEquals(List.of("remove /spec/updateStrategy/rollingUpdate"), changes(written), show(written));
  }

  @Test
  void aV1AutoscalersCpuTargetLeftOutIs80UnlessTheAnnotationHoldsAnotherMetric() {
    String hpa = """
        apiVersion: autoscaling/v1
        kind: HorizontalPodAutoscaler
        metadata: {name: web, namespace: shop, annotations: {%s}}
        spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 5,
          targetCPUUtilizationPercentage: null}
        """;
    String live = """
        apiVersion: autoscaling/v1
        kind: HorizontalPodAutoscaler
        metadata:
          name: web
          namespace: shop
          managedFields:
          - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:maxReplicas: {}, f:scaleTargetRef: {},
              f:targetCPUUtilizationPercentage: {}}}}
        spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 5, minReplicas: 1,
          targetCPUUtilizationPercentage: %d}
        """;
    ResourceDiff d = diff(hpa.formatted(""), live.formatted(80)); // the conversion's cpu metric when none is left
    assertTrue(d.isEmpty(), show(d));
    assertEquals(Map.of("default value", 1), hidden(d), show(d));
    ResourceDiff fifty = diff(hpa.formatted(""), live.formatted(50));
    assertEquals(List.of("replace /spec/targetCPUUtilizationPercentage"), changes(fifty), show(fifty)); // 50 -> 80
    String memory = "autoscaling.alpha.kubernetes.io/metrics: '[{\"type\":\"Resource\",\"resource\":"
        + "{\"name\":\"memory\",\"targetAverageUtilization\":70}}]'";
    ResourceDiff annotated = diff(hpa.formatted(memory), live.formatted(80));
    assertTrue(changes(annotated).contains("remove /spec/targetCPUUtilizationPercentage"), show(annotated)); // no cpu default
  }
}
