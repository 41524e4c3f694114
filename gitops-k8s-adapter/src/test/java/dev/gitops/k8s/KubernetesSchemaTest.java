package dev.gitops.k8s;

import static dev.gitops.k8s.SchemaDiffs.changes;
import static dev.gitops.k8s.SchemaDiffs.diff;
import static dev.gitops.k8s.SchemaDiffs.hidden;
import static dev.gitops.k8s.SchemaDiffs.show;
import static dev.gitops.k8s.SchemaDiffs.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.ResourceId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Kubernetes diff with the built-in schema: lists, quantities, integers, zero values. */
class KubernetesSchemaTest {
  /** A Deployment with a container's cpu and memory limits and an emptyDir's size limit. */
  private static final String RESOURCES = "{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: shop},"
      + " spec: {template: {spec: {containers: [{name: web, resources: {limits: {cpu: %s, memory: %s}}}],"
      + " volumes: [{name: scratch, emptyDir: {sizeLimit: %s}}]}}}}";

  @Test
  void configMapDataIsTextWhateverItsKeysAreCalled() {
    ResourceDiff d = diff("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: app, namespace: shop}
        data: {port: "08080", replicas: "3", memory: 1Gi}
        """, """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: app, namespace: shop}
        data: {port: "8080", replicas: "03", memory: 1024Mi}
        """);
    assertEquals(List.of("replace /data/memory", "replace /data/port", "replace /data/replicas"),
        changes(d), show(d));
  }

  @Test
  void quantitiesCompareByValueWhereverTheSchemaHasOne() {
    String live = RESOURCES.formatted("\"1\"", "1Gi", "1Gi");
    ResourceDiff same = diff(RESOURCES.formatted("1000m", "1024Mi", "1024Mi"), live);
    assertTrue(same.isEmpty(), show(same));
    assertEquals(Map.of("quantity", 3), hidden(same));
    ResourceDiff bigger = diff("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          template:
            spec:
              volumes:
              - name: scratch
                emptyDir: {sizeLimit: 2Gi}
        """, live);
    assertEquals(List.of("replace /spec/template/spec/volumes/0/emptyDir/sizeLimit"), changes(bigger));
  }

  @Test
  void aQuantityIsTheValueTheServerStoresRoundedUpToThePrecisionItKeepsThere() {
    ResourceDiff milli = diff(RESOURCES.formatted("0.1m", "1.5", "100u"), RESOURCES.formatted("1m", "1500m", "100u"));
    assertTrue(milli.isEmpty(), show(milli)); // a resource list's value: rounded up to the milli
    ResourceDiff sizeLimit = diff(RESOURCES.formatted("1m", "1", "0.1m"), RESOURCES.formatted("1m", "1", "1m"));
    assertEquals(List.of("replace /spec/template/spec/volumes/0/emptyDir/sizeLimit"), changes(sizeLimit));
    ResourceDiff changed = diff(RESOURCES.formatted("1.5m", "1", "1"), RESOURCES.formatted("3m", "1", "1"));
    assertEquals(List.of("replace /spec/template/spec/containers/0/resources/limits/cpu"), changes(changed));
    String quota = "{apiVersion: v1, kind: ResourceQuota, metadata: {name: q, namespace: shop},"
        + " spec: {hard: {requests.cpu: %s}}}";
    assertTrue(diff(quota.formatted("0.0001"), quota.formatted("1m")).isEmpty());
    String runtimeClass = "{apiVersion: node.k8s.io/v1, kind: RuntimeClass, metadata: {name: kata},"
        + " handler: kata, overhead: {podFixed: {cpu: %s}}}"; // node/v1 has no defaulting
    assertEquals(List.of("replace /overhead/podFixed/cpu"),
        changes(diff(runtimeClass.formatted("0.1m"), runtimeClass.formatted("1m"))));
  }

  @Test
  void bytesCompareAsTheBytesGoDecodesLineBreaksIgnored() {
    String secret = """
        apiVersion: v1
        kind: Secret
        metadata: {name: tls, namespace: shop}
        data: {tls.crt: %s}
        """;
    String live = secret.formatted("aGVsbG8sIHdvcmxkIQ==");
    ResourceDiff wrapped = diff(secret.formatted("\"aGVsbG8s\\nIHdvcmxk\\r\\nIQ==\\n\""), live);
    assertTrue(wrapped.isEmpty(), show(wrapped));
    assertEquals(Map.of("base64 text", 1), hidden(wrapped));
    ResourceDiff other = diff(secret.formatted("\"aGVsbG8s\\nIHdvcmxkPw==\\n\""), live);
    assertEquals(List.of("replace /data/tls.crt"), changes(other), show(other));
    String configMap = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: logo, namespace: shop}
        binaryData: {logo.png: %s}
        """;
    ResourceDiff binary = diff(configMap.formatted("\"iVBO\\nRw0K\\n\""), configMap.formatted("iVBORw0K"));
    assertTrue(binary.isEmpty(), show(binary));
  }

  @Test
  void anAutoscalersAverageValueIsAQuantity() {
    String hpa = """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web, namespace: shop}
        spec:
          maxReplicas: 5
          metrics:
          - type: Pods
            pods:
              metric: {name: requests}
              target: {type: AverageValue, averageValue: %s}
        """;
    ResourceDiff d = diff(hpa.formatted("0.5"), hpa.formatted("500m"));
    assertTrue(d.isEmpty(), show(d));
    assertEquals(Map.of("quantity", 1), hidden(d));
    ResourceDiff nano = diff(hpa.formatted("0.0357142857"), hpa.formatted("35714286n"));
    assertTrue(nano.isEmpty(), show(nano)); // any quantity: rounded up to the nano as the server parses it
  }

  @Test
  void keyedListsMatchByKeyWhateverTheOrderAndPortsDefaultToTcp() {
    ResourceDiff d = diff("""
        apiVersion: v1
        kind: Service
        metadata: {name: dns, namespace: shop}
        spec:
          ports:
          - {name: udp, port: 53, protocol: UDP}
          - {name: tcp, port: 53}
        """, """
        apiVersion: v1
        kind: Service
        metadata: {name: dns, namespace: shop}
        spec:
          ports:
          - {name: tcp, port: 53, protocol: TCP, targetPort: 53}
          - {name: udp, port: 53, protocol: UDP, targetPort: 53}
        """);
    assertTrue(d.isEmpty(), show(d));
  }

  @Test
  void finalizersAreASetAndOthersFinalizersAreNotDrift() {
    ResourceDiff d = diff("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: app, namespace: shop, finalizers: [a.example/x]}
        """, """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: app, namespace: shop, finalizers: [b.example/y, a.example/x]}
        """);
    assertTrue(d.isEmpty(), show(d));
    assertEquals(Map.of("server-appended entry", 1), hidden(d));
  }

  @Test
  void anAtomicListIsComparedWhole() {
    String deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          template:
            spec:
              containers:
              - {name: web, args: %s}
        """;
    ResourceDiff d = diff(deployment.formatted("[a, b]"), deployment.formatted("[b, a, c]"));
    assertEquals(List.of("replace /spec/template/spec/containers/0/args/0",
        "replace /spec/template/spec/containers/0/args/1",
        "remove /spec/template/spec/containers/0/args/2"), changes(d));
  }

  @Test
  void aClusterRolesEmptyRulesEqualTheNullTheServerReturns() {
    ResourceDiff d = diff("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: reader}
        rules: []
        """, """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: reader}
        rules: null
        """);
    assertTrue(d.isEmpty(), show(d));
    assertEquals(Map.of("zero value", 1), hidden(d));
  }

  @Test
  void schemasOfCustomResourceDefinitionsKeyTheirListsAndKnowTheirQuantities() {
    KubernetesSchema schema = crd("Pool", "pools", """
                  spec:
                    type: object
                    properties:
                      members:
                        type: array
                        x-kubernetes-list-type: map
                        x-kubernetes-list-map-keys: [host]
                        items:
                          type: object
                          properties:
                            host: {type: string}
                            weight: {type: integer}
                      size:
                        x-kubernetes-int-or-string: true
                        anyOf: [{type: integer}, {type: string}]
                        pattern: ^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$
                      args: {type: array, items: {type: string}}
        """);
    ResourceDiff d = SchemaDiffs.diff(KubernetesDiff.options(schema), yaml("""
        apiVersion: example.dev/v1
        kind: Pool
        metadata: {name: p, namespace: shop}
        spec:
          members: [{host: a, weight: 1}, {host: b, weight: 2}]
          size: 1Gi
          args: []
        """), yaml("""
        apiVersion: example.dev/v1
        kind: Pool
        metadata: {name: p, namespace: shop}
        spec:
          members: [{host: b, weight: 3}, {host: a, weight: 1}]
          size: 1024Mi
        """));
    assertEquals(List.of("add /spec/args", "replace /spec/members/0/weight"), changes(d), show(d));
    assertEquals(Map.of("quantity", 1), hidden(d), "custom resources keep their zero values");
  }

  @Test
  void aFieldACustomResourcesSchemaDoesNotDeclareIsPrunedUnlessItPreservesUnknownFields() {
    KubernetesSchema schema = crd("Cache", "caches", """
                  spec:
                    type: object
                    properties:
                      size: {type: string}
                      extra:
                        type: object
                        x-kubernetes-preserve-unknown-fields: true
                        properties:
                          a: {type: string}
        """);
    String cache = """
        apiVersion: example.dev/v1
        kind: Cache
        metadata: {name: c, namespace: shop}
        spec: {size: 1Gi, %s}
        """;
    ResourceDiff d = SchemaDiffs.diff(KubernetesDiff.options(schema),
        yaml(cache.formatted("sizeMB: 1024, extra: {a: x, b: y}")), yaml(cache.formatted("extra: {a: x}")));
    assertEquals(List.of("add /spec/extra/b"), changes(d), show(d));
    assertEquals(Map.of("pruned field", 1), hidden(d), show(d));
    ResourceDiff builtin = diff("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: app, namespace: shop}
        immutabel: true
        """, """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: app, namespace: shop}
        """);
    assertEquals(List.of("add /immutabel"), changes(builtin), "a built-in kind's table may be older than its server");
  }

  @Test
  void aKindLearntBetweenTwoAsksOfTheSameTreesIsAnsweredByItsNewSchema() {
    SchemaSources sources = new SchemaSources();
    KubernetesSchema schema = KubernetesSchema.learning(sources);
    ResourceId id = new ResourceId("example.dev", "Cache", "shop", "c");
    ObjectNode cache = yaml("{apiVersion: example.dev/v1, kind: Cache, metadata: {name: c, namespace: shop}, spec: {size: 1}}");
    assertNull(schema.root(id, cache, cache, null), "a kind not learnt yet");
    sources.learnCrd(yaml(Fixtures.crd("example.dev", "Cache", "caches", "spec: {type: object}")));
    // the same trees asked again (an agent's unchanged desired and cached live objects): not the answer remembered
    assertNotNull(schema.root(id, cache, cache, null), "the CRD learnt since");
  }

  /** The built-in schema plus a CRD of {@code kind} (example.dev/v1) whose root declares {@code properties}. */
  static KubernetesSchema crd(String kind, String plural, String properties) {
    return KubernetesSchema.builtin().learn(yaml(Fixtures.crd("example.dev", kind, plural, properties)));
  }
}
