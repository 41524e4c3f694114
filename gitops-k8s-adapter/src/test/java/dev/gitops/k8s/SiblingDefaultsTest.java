package dev.gitops.k8s;

import static dev.gitops.k8s.SchemaDiffs.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ResourceId;
import org.junit.jupiter.api.Test;

class SiblingDefaultsTest {
  private static final ResourceId SERVICE = new ResourceId("", "Service", "shop", "web");
  private static final ResourceId POD = new ResourceId("", "Pod", "shop", "web");
  private static final ResourceId HPA = new ResourceId("autoscaling", "HorizontalPodAutoscaler", "shop", "web");
  private static final ResourceId POLICY = new ResourceId("networking.k8s.io", "NetworkPolicy", "shop", "web");

  @Test
  void aServicesAffinityConfigGoesUnlessTheAffinityIsClientIp() {
    String config = ", sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}}}";
    for (String none : new String[] {"{spec: {sessionAffinity: None", "{spec: {sessionAffinity: \"\"",
        "{spec: {sessionAffinity: null", "{spec: {type: ClusterIP"}) {
      ObjectNode service = yaml(none + config);
      String before = service.toString();
      assertEquals(yaml(none + "}}").get("spec"), SiblingDefaults.spec(SERVICE, service), none);
      assertEquals(before, service.toString(), "the input is left as it was");
    }
    assertNull(SiblingDefaults.spec(SERVICE, yaml("{spec: {sessionAffinity: ClientIP" + config)));
    assertNull(SiblingDefaults.spec(SERVICE, yaml("{spec: {sessionAffinity: true" + config)), "a field set");
  }

  @Test
  void aServicePortsZeroOrEmptyTargetPortIsItsPort() {
    ObjectNode service = yaml("{spec: {ports: [{port: 80, targetPort: 0}, {port: 81, targetPort: \"\"},"
        + " {port: 82, targetPort: http}, {port: 83}]}}");
    assertEquals(yaml("{ports: [{port: 80, targetPort: 80}, {port: 81, targetPort: 81},"
        + " {port: 82, targetPort: http}, {port: 83}]}"), SiblingDefaults.spec(SERVICE, service));
    assertNull(SiblingDefaults.spec(SERVICE, yaml("{spec: {ports: [{port: 80, targetPort: 8080}]}}")));
  }

  @Test
  void anEmptyPolicyTypesIsIngressAndEgressWhenThereAreEgressRules() {
    assertEquals(yaml("{policyTypes: [Ingress]}"), SiblingDefaults.spec(POLICY, yaml("{spec: {policyTypes: []}}")));
    assertEquals(yaml("{policyTypes: [Ingress, Egress], egress: [{}]}"),
        SiblingDefaults.spec(POLICY, yaml("{spec: {policyTypes: [], egress: [{}]}}")));
    assertNull(SiblingDefaults.spec(POLICY, yaml("{spec: {egress: [{}]}}")), "absent: the server's, not drift");
    assertNull(SiblingDefaults.spec(POLICY, yaml("{spec: {policyTypes: [Egress]}}")));
    assertNull(SiblingDefaults.spec(new ResourceId("example.com", "NetworkPolicy", "shop", "web"),
        yaml("{spec: {policyTypes: []}}")), "another group's kind");
  }

  @Test
  void aNamespacesFinalizersAreLeftOutAsNoApplyChangesThem() {
    ResourceId namespace = new ResourceId("", "Namespace", "", "shop");
    ObjectNode empty = yaml("{spec: {finalizers: []}}");
    String before = empty.toString();
    assertEquals(yaml("{}"), SiblingDefaults.spec(namespace, empty)); // created as [kubernetes]
    assertEquals(before, empty.toString(), "the input is left as it was");
    assertEquals(yaml("{}"), SiblingDefaults.spec(namespace, yaml("{spec: {finalizers: [example.com/drain]}}")));
    assertNull(SiblingDefaults.spec(namespace, yaml("{spec: {}}")));
    assertNull(SiblingDefaults.spec(new ResourceId("example.com", "Namespace", "shop", "web"),
        yaml("{spec: {finalizers: []}}")), "another group's kind");
  }

  @Test
  void aServicesEmptyClusterIpsAndIpFamiliesAreLeftOut() {
    assertEquals(yaml("{type: ClusterIP}"),
        SiblingDefaults.spec(SERVICE, yaml("{spec: {clusterIPs: [], ipFamilies: [], type: ClusterIP}}")));
    assertNull(SiblingDefaults.spec(SERVICE, yaml("{spec: {clusterIPs: [10.96.0.7], ipFamilies: [IPv4]}}")));
  }

  @Test
  void aHostNetworkPodsZeroHostPortIsItsContainerPort() {
    String ports = "ports: [{containerPort: 9100, hostPort: 0}, {containerPort: 9101}, {containerPort: 80, hostPort: 8080}]";
    ObjectNode pod = yaml("{spec: {hostNetwork: true, containers: [{name: a, " + ports + "}],"
        + " initContainers: [{name: b, ports: [{containerPort: 8081, hostPort: 0}]}]}}");
    String before = pod.toString();
    assertEquals(yaml("{hostNetwork: true, containers: [{name: a, ports: [{containerPort: 9100, hostPort: 9100},"
        + " {containerPort: 9101}, {containerPort: 80, hostPort: 8080}]}],"
        + " initContainers: [{name: b, ports: [{containerPort: 8081, hostPort: 8081}]}]}"),
        SiblingDefaults.spec(POD, pod));
    assertEquals(before, pod.toString(), "the input is left as it was");
    assertNull(SiblingDefaults.spec(POD, yaml("{spec: {containers: [{name: a, " + ports + "}]}}")), "no hostNetwork");
    assertNull(SiblingDefaults.spec(POD, yaml("{spec: {hostNetwork: false, containers: [{name: a, " + ports + "}]}}")));
    assertNull(SiblingDefaults.spec(new ResourceId("apps", "Deployment", "shop", "web"),
        yaml("{spec: {hostNetwork: true, containers: [{name: a, " + ports + "}]}}")), "not a Pod");
  }

  @Test
  void anAutoscalersEmptyMetricsIsTheCpuMetricAtEightyPercent() {
    assertEquals(yaml("{maxReplicas: 3, metrics: [{type: Resource, resource: {name: cpu,"
        + " target: {type: Utilization, averageUtilization: 80}}}]}"),
        SiblingDefaults.spec(HPA, yaml("{spec: {maxReplicas: 3, metrics: []}}")));
    assertNull(SiblingDefaults.spec(HPA, yaml("{spec: {maxReplicas: 3}}")), "absent: the server's, not drift");
    assertNull(SiblingDefaults.spec(HPA, yaml("{spec: {metrics: [{type: Pods}]}}")));
  }
}
