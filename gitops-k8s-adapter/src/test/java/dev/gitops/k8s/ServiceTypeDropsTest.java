package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.model.ResourceId;
import org.junit.jupiter.api.Test;

/**
 * The fields the Service strategy's {@code dropTypeDependentFields} wipes, by transition (the corpus
 * pairs 300 to 304 show the plans): the type and policy after the write, what Git gives, and what
 * is no Service.
 */
class ServiceTypeDropsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ResourceId SERVICE = ResourceId.of("Service", "shop", "web");
  private static final String NODE_PORT = "{'metadata':{},'spec':{'type':'NodePort','externalTrafficPolicy':'Cluster',"
      + "'clusterIP':'10.96.0.7','clusterIPs':['10.96.0.7'],'ipFamilies':['IPv4'],'ipFamilyPolicy':'SingleStack',"
      + "'ports':[{'port':80,'protocol':'TCP','nodePort':31380},{'port':53,'protocol':'UDP','nodePort':31053}]}}";
  private static final String PORTS = "'ports':[{'port':80},{'port':53,'protocol':'UDP'}]";

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text.replace('\'', '"'));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static JsonNode drops(String live, String desired, String applied) {
    return ServiceTypeDrops.drops(SERVICE, json(live), json(desired), applied == null ? null : json(applied));
  }

  @Test
  void aTypeLeftOutThatAnotherManagerCoOwnsStaysAndNothingIsDropped() {
    String live = NODE_PORT.replace("'metadata':{}", "'metadata':{'managedFields':[{'manager':'kubectl-edit',"
        + "'operation':'Update','fieldsV1':{'f:spec':{'f:type':{}}}}]}");
    assertNull(drops(live, "{'spec':{" + PORTS + "}}", "{'spec':{'type':true}}"));
    assertEquals(json("{'spec':{'ports':[{'port':80,'protocol':'TCP','nodePort':true},"
            + "{'port':53,'protocol':'UDP','nodePort':true}],'externalTrafficPolicy':true}}"),
        drops(NODE_PORT, "{'spec':{" + PORTS + "}}", "{'spec':{'type':true}}"));
  }

  @Test
  void aTypeLeftOutThatGitopsNeverAppliedStays() {
    assertNull(drops(NODE_PORT, "{'spec':{" + PORTS + "}}", "{'spec':{}}"));
  }

  @Test
  void toExternalNameTheClusterAddressesAndFamiliesGoToo() {
    JsonNode d = drops(NODE_PORT, "{'spec':{'type':'ExternalName','externalName':'db.example.com'," + PORTS + "}}", null);
    assertEquals(json("{'clusterIP':true,'clusterIPs':true,'ipFamilies':true,'ipFamilyPolicy':true,"
        + "'ports':[{'port':80,'protocol':'TCP','nodePort':true},{'port':53,'protocol':'UDP','nodePort':true}],"
        + "'externalTrafficPolicy':true}"), d.get("spec"));
  }

  @Test
  void aNetNewNodePortKeepsEveryNodePortAndAPortGitDropsIsNotAsked() {
    JsonNode asked = drops(NODE_PORT, "{'spec':{'type':'ClusterIP','ports':[{'port':80,'nodePort':30000}]}}", null);
    assertEquals(json("{'spec':{'externalTrafficPolicy':true}}"), asked);
    JsonNode one = drops(NODE_PORT, "{'spec':{'type':'ClusterIP','ports':[{'port':53,'protocol':'UDP'}]}}", null);
    assertEquals(json("[{'port':53,'protocol':'UDP','nodePort':true}]"), one.path("spec").get("ports"));
  }

  @Test
  void aClusterIpServiceLosingItsExternalIpsLosesItsPolicy() {
    String live = "{'spec':{'type':'ClusterIP','externalIPs':['198.51.100.4'],'externalTrafficPolicy':'Cluster'}}";
    assertEquals(json("{'spec':{'externalTrafficPolicy':true}}"),
        drops(live, "{'spec':{}}", "{'spec':{'externalIPs':true}}"));
    assertNull(drops(live, "{'spec':{'externalIPs':['198.51.100.4']}}", "{'spec':{'externalIPs':true}}"));
  }

  @Test
  void aLocalLoadBalancerTurningClusterPolicyReleasesOnlyItsHealthCheckPort() {
    String live = "{'spec':{'type':'LoadBalancer','externalTrafficPolicy':'Local','healthCheckNodePort':32118,"
        + "'allocateLoadBalancerNodePorts':true,'ports':[{'port':443,'protocol':'TCP','nodePort':30443}]}}";
    assertEquals(json("{'spec':{'healthCheckNodePort':true}}"),
        drops(live, "{'spec':{'type':'LoadBalancer','externalTrafficPolicy':'Cluster'}}", null));
    assertNull(drops(live, "{'spec':{'type':'LoadBalancer','externalTrafficPolicy':'Local'}}", null));
  }

  @Test
  void onlyServicesAndNoLastAppliedWithoutDrops() {
    assertNull(ServiceTypeDrops.drops(ResourceId.of("ConfigMap", "shop", "web"), json(NODE_PORT),
        json("{'spec':{'type':'ClusterIP'}}"), null));
    JsonNode applied = json("{'spec':{'type':true}}");
    assertEquals(applied, ServiceTypeDrops.removable(null, applied));
  }
}
