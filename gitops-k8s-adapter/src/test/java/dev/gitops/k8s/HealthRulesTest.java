package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.model.ResourceId;
import dev.gitops.target.Health;
import org.junit.jupiter.api.Test;

class HealthRulesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ResourceId DEPLOY = new ResourceId("apps", "Deployment", "shop", "web");

  private static Health health(ResourceId id, String json) throws Exception {
    return HealthRules.of(id, JSON.readTree(json.replace('\'', '"')));
  }

  @Test
  void deploymentWaitsForObservedGenerationThenUpdatedThenAvailableReplicas() throws Exception {
    Health h = health(DEPLOY, "{'metadata':{'generation':2},'spec':{'replicas':3},'status':{'observedGeneration':1}}");
    assertEquals(Health.Status.PROGRESSING, h.status());
    assertTrue(h.message().contains("generation 2"), h.message());
    h = health(DEPLOY, "{'metadata':{'generation':2},'spec':{'replicas':3},'status':{'observedGeneration':2,"
        + "'updatedReplicas':3,'availableReplicas':1}}");
    assertEquals("waiting for available replicas: 1 of 3", h.message());
    h = health(DEPLOY, "{'metadata':{'generation':2},'spec':{'replicas':3},'status':{'observedGeneration':2,"
        + "'updatedReplicas':3,'availableReplicas':3}}");
    assertEquals(Health.HEALTHY, h);
  }

  @Test
  void stuckRolloutAndFailedJobAreDegraded() throws Exception {
    Health stuck = health(DEPLOY, "{'metadata':{'generation':1},'spec':{'replicas':1},'status':{"
        + "'observedGeneration':1,'conditions':[{'type':'Progressing','status':'False',"
        + "'reason':'ProgressDeadlineExceeded','message':'took too long'}]}}");
    assertEquals(Health.Status.DEGRADED, stuck.status());
    Health failed = health(new ResourceId("batch", "Job", "shop", "migrate"),
        "{'status':{'conditions':[{'type':'Failed','status':'True','message':'BackoffLimitExceeded'}]}}");
    assertEquals(Health.Status.DEGRADED, failed.status());
    assertTrue(failed.message().contains("BackoffLimitExceeded"));
  }

  @Test
  void crdNamespaceClaimAndLoadBalancerSayWhatTheyAwait() throws Exception {
    ResourceId crd = new ResourceId("apiextensions.k8s.io", "CustomResourceDefinition", "", "a.example.com");
    assertTrue(health(crd, "{}").message().contains("Established"));
    assertEquals(Health.HEALTHY, health(crd,
        "{'status':{'conditions':[{'type':'Established','status':'True'}]}}"));
    assertTrue(health(ResourceId.of("Namespace", "", "shop"), "{}").message().contains("active"));
    assertTrue(health(ResourceId.of("PersistentVolumeClaim", "shop", "data"),
        "{'status':{'phase':'Pending'}}").message().contains("bound"));
    ResourceId svc = ResourceId.of("Service", "shop", "web");
    assertEquals(Health.HEALTHY, health(svc, "{'spec':{'type':'ClusterIP'}}"));
    assertTrue(health(svc, "{'spec':{'type':'LoadBalancer'}}").message().contains("load balancer"));
  }

  @Test
  void readyConditionDecidesForOtherKindsAndAbsenceIsUnknown() throws Exception {
    ResourceId cert = new ResourceId("cert-manager.io", "Certificate", "shop", "tls");
    assertEquals(Health.HEALTHY, health(cert, "{'status':{'conditions':[{'type':'Ready','status':'True'}]}}"));
    assertEquals(Health.Status.PROGRESSING, health(cert,
        "{'status':{'conditions':[{'type':'Ready','status':'False','message':'issuing'}]}}").status());
    assertEquals(Health.Status.UNKNOWN, health(ResourceId.of("ConfigMap", "shop", "c"), "{}").status());
    JsonNode none = null;
    assertEquals(Health.Status.PROGRESSING, HealthRules.of(cert, none).status());
  }
}
