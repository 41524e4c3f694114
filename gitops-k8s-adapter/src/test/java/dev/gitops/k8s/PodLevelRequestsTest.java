package dev.gitops.k8s;

import static dev.gitops.k8s.SchemaDiffs.changes;
import static dev.gitops.k8s.SchemaDiffs.diff;
import static dev.gitops.k8s.SchemaDiffs.only;
import static dev.gitops.k8s.SchemaDiffs.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.ResourceDiff;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pod-level requests {@code SetDefaults_Pod}'s {@code defaultPodRequests} fills in a bare Pod
 * (PodLevelResources, on by default from 1.34), read from {@code pkg/apis/core/v1/defaults.go} and
 * component-helpers' {@code AggregateContainerRequests}: the containers' aggregate for cpu and
 * memory, the pod's limit for a resource no container requests, nothing without pod-level limits.
 * Corpus pair 452 failed before (the owned requests' removal planned on every run).
 */
class PodLevelRequestsTest {
  private static ObjectNode filled(String spec) {
    ObjectNode s = SchemaDiffs.yaml(spec);
    PodLevelRequests.fill(s);
    return s;
  }

  @Test
  void theContainersAggregateIsTheSumAtLeastEachInitContainerWithTheSidecarsBeforeIt() {
    ObjectNode s = filled("""
        resources: {limits: {cpu: "4", memory: 2Gi}}
        initContainers:
        - {name: mesh, restartPolicy: Always, resources: {requests: {cpu: 100m, memory: 64Mi}}}
        - {name: migrate, resources: {requests: {cpu: "3", memory: 128Mi}}}
        containers:
        - {name: a, resources: {requests: {cpu: 500m, memory: 256Mi}}}
        - {name: b, resources: {requests: {cpu: 250m}}}
        """);
    // cpu: max(0.5 + 0.25 + 0.1 sidecar, 3 + 0.1) = 3.1; memory: max(256Mi + 64Mi, 128Mi + 64Mi) = 320Mi
    assertEquals("3100m", s.at("/resources/requests/cpu").asText()); // as the server prints it
    assertEquals("320Mi", s.at("/resources/requests/memory").asText());
  }

  @Test
  void aResourceNoContainerRequestsTakesThePodsLimitAndNothingHappensWithoutLimits() {
    ObjectNode s = filled("""
        resources: {limits: {cpu: "1", memory: 1Gi, hugepages-2Mi: 4Mi}, requests: {cpu: 200m}}
        containers: [{name: a, resources: {requests: {cpu: 500m}}}]
        """);
    assertEquals("200m", s.at("/resources/requests/cpu").asText()); // given: kept
    assertEquals("1Gi", s.at("/resources/requests/memory").asText());
    assertEquals("4Mi", s.at("/resources/requests/hugepages-2Mi").asText()); // supported, never aggregated
    ObjectNode none = filled("""
        resources: {requests: {cpu: 200m}}
        containers: [{name: a, resources: {requests: {memory: 64Mi}}}]
        """);
    assertEquals("{\"cpu\":\"200m\"}", none.at("/resources/requests").toString());
  }

  @Test
  void anOwnedRequestLeftOutAgainstAnotherLiveValueIsShownReplacedByTheAggregate() {
    String pod = """
        apiVersion: v1
        kind: Pod
        metadata: {name: batch, namespace: shop}
        spec:
          resources: {limits: {cpu: "1"}}
          containers: [{name: a, image: x:1, resources: {requests: {cpu: 250m}}}]
        """;
    String live = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: batch
          namespace: shop
          managedFields:
          - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:resources: {f:limits: {f:cpu: {}}, f:requests: {f:cpu: {}}},
              f:containers: {'k:{"name":"a"}': {.: {}, f:name: {}, f:image: {}, f:resources: {f:requests: {f:cpu: {}}}}}}}}
        spec:
          resources: {limits: {cpu: "1"}, requests: {cpu: %s}}
          containers: [{name: a, image: x:1, imagePullPolicy: IfNotPresent, resources: {requests: {cpu: 250m}}}]
        """;
    ResourceDiff same = diff(pod, live.formatted("0.25")); // the aggregate, in another form: the default
    assertTrue(same.isEmpty(), show(same));
    ResourceDiff other = diff(pod, live.formatted("600m")); // Git once said 600m: the server now stores 250m
    assertEquals(List.of("replace /spec/resources/requests/cpu"), changes(other), show(other)); // not a removal
    assertEquals("\"250m\"", only(other).after().toString(), show(other)); // the server's form, not 0.25
  }

  @Test
  void theDerivedValuesAreWrittenAsTheServerPrintsThemInTheFirstTermsFormat() {
    ObjectNode s = filled("""
        resources: {limits: {cpu: "2", memory: 4Gi, hugepages-2Mi: 2048Ki}}
        containers:
        - {name: a, resources: {requests: {cpu: "0.1", memory: 512Mi}}}
        - {name: b, resources: {requests: {cpu: 150m, memory: "536870912"}}}
        """);
    // Quantity.Add keeps the first term's format: 0.1 (decimal) + 150m is 250m; 512Mi (binary) + 536870912 is 1Gi
    assertEquals("250m", s.at("/resources/requests/cpu").asText());
    assertEquals("1Gi", s.at("/resources/requests/memory").asText());
    assertEquals("2Mi", s.at("/resources/requests/hugepages-2Mi").asText()); // the limit copied, printed canonically
    ObjectNode decimalFirst = filled("""
        resources: {limits: {memory: 4Gi}}
        containers:
        - {name: a, resources: {requests: {memory: "536870912"}}}
        - {name: b, resources: {requests: {memory: 512Mi}}}
        """);
    assertEquals("1073741824", decimalFirst.at("/resources/requests/memory").asText());
    ObjectNode limitOnly = filled("""
        resources: {limits: {cpu: "0.5", memory: 1024Mi}}
        containers: [{name: a}]
        """);
    assertEquals("{\"cpu\":\"500m\",\"memory\":\"1Gi\"}", limitOnly.at("/resources/requests").toString());
  }

  @Test
  void hugePageLimitsOfTheContainersBecomeThePodsLimitAndRequestBesidePodLevelResources() {
    // defaultHugePagePodLimits (1.34+): pod-level resources set (requests alone here), no pod-level
    // hugepages limit nor request: the pod's limit is the containers' aggregate limit (the sum 48Mi,
    // at least each init container's 40Mi), then defaultPodRequests copies it into the requests
    ObjectNode s = filled("""
        resources: {requests: {cpu: "1"}}
        initContainers:
        - {name: warm, resources: {limits: {hugepages-2Mi: 40Mi, memory: 128Mi}, requests: {hugepages-2Mi: 40Mi, memory: 128Mi}}}
        containers:
        - {name: a, resources: {limits: {hugepages-2Mi: 32Mi, memory: 64Mi}, requests: {hugepages-2Mi: 32Mi, memory: 64Mi}}}
        - {name: b, resources: {limits: {hugepages-2Mi: 16Mi, hugepages-1Gi: 1Gi, cpu: 500m}}}
        """);
    assertEquals("{\"hugepages-1Gi\":\"1Gi\",\"hugepages-2Mi\":\"48Mi\"}", s.at("/resources/limits").toString());
    assertEquals("48Mi", s.at("/resources/requests/hugepages-2Mi").asText()); // the limit, never the containers' 40Mi
    assertEquals("1Gi", s.at("/resources/requests/hugepages-1Gi").asText());
    assertEquals("1", s.at("/resources/requests/cpu").asText()); // given: kept
    assertEquals("128Mi", s.at("/resources/requests/memory").asText()); // the containers' aggregate request
  }

  @Test
  void noHugePageLimitIsDerivedBesideAPodLevelRequestOrLimitOfItOrWithoutPodLevelResources() {
    String containers = """
        containers: [{name: a, resources: {limits: {hugepages-2Mi: 32Mi, memory: 64Mi}}}]
        """;
    ObjectNode requested = filled("resources: {requests: {cpu: \"1\", hugepages-2Mi: 64Mi}}\n" + containers);
    assertTrue(requested.at("/resources/limits").isMissingNode(), requested.toString()); // a request: no limit derived
    ObjectNode limited = filled("resources: {limits: {hugepages-2Mi: 48Mi}}\n" + containers);
    assertEquals("{\"hugepages-2Mi\":\"48Mi\"}", limited.at("/resources/limits").toString());
    assertEquals("48Mi", limited.at("/resources/requests/hugepages-2Mi").asText());
    ObjectNode none = filled("resources: {}\n" + containers);
    assertEquals("{}", none.at("/resources").toString());
  }
}
