package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fields that take one of a fixed set of words ({@link EnumRules}): a word the server does not
 * take is refused at its line, as the server refuses it; objects as servers return them (every
 * default filled in) and the real-world fixtures are not; and every field the table names is one
 * of its kind's schema in the Kubernetes 1.35 OpenAPI documents.
 */
class EnumRulesTest {
  @Test
  void aWordTheServerDoesNotTakeIsRefusedAtItsLine() {
    assertEquals(List.of("app.yaml:12: apps/Deployment/shop/web: spec.template.spec.containers[0].imagePullPolicy:"
        + " \"always\" is not one of Always, IfNotPresent, Never: the API server refuses the object",
        "app.yaml:15: apps/Deployment/shop/web: spec.template.spec.containers[0].ports[0].protocol: \"tcp\" is"
            + " not one of SCTP, TCP, UDP: the API server refuses the object",
        "app.yaml:17: apps/Deployment/shop/web: spec.template.spec.tolerations[0].effect: \"NoSchedul\" is not"
            + " one of NoExecute, NoSchedule, PreferNoSchedule: the API server refuses the object"),
        Fixtures.loadProblems("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.27
                    imagePullPolicy: always
                    ports:
                    - containerPort: 80
                      protocol: tcp
                  tolerations:
                  - {key: dedicated, operator: Equal, value: web, effect: NoSchedul}
            """));
  }

  @Test
  void anEmptyWordTheServersDefaultingFillsIsTaken() {
    assertEquals(2, new ManifestLoader().load(dev.gitops.source.LoaderContract.snapshot("app.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          selector: {matchLabels: {app: web}}
          strategy: {type: ""}
          template:
            metadata: {labels: {app: web}}
            spec:
              dnsPolicy: ""
              containers:
              - name: web
                image: nginx:1.27
                imagePullPolicy: ""
                terminationMessagePolicy: ""
                ports: [{containerPort: 80}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          type: ""
          sessionAffinity: ""
          selector: {app: web}
          ports: [{port: 80}]
        """)).resources().size());
    assertEquals(List.of("app.yaml:4: networking.k8s.io/NetworkPolicy/shop/web: spec.ingress[0].ports[0].protocol:"
        + " \"\" is not one of SCTP, TCP, UDP: the API server refuses the object"), Fixtures.loadProblems("""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: web, namespace: shop}
        spec: {podSelector: {}, ingress: [{ports: [{port: 80, protocol: ""}]}]}
        """));
  }

  @Test
  void serviceKindsAndHorizontalAutoscalersAreRefusedTheSameWay() {
    List<String> service = Fixtures.loadProblems("""
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          type: clusterIP
          selector: {app: web}
          ports: [{port: 80}]
        """);
    assertEquals(List.of("app.yaml:5: Service/shop/web: spec.type: \"clusterIP\" is not one of ClusterIP,"
        + " ExternalName, LoadBalancer, NodePort: the API server refuses the object"), service);
    List<String> hpa = Fixtures.loadProblems("""
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web, namespace: shop}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          maxReplicas: 4
          metrics:
          - type: Resource
            resource: {name: cpu, target: {type: Percentage, averageUtilization: 70}}
        """);
    assertEquals(1, hpa.size(), hpa.toString());
    assertTrue(hpa.get(0).startsWith("app.yaml:9: autoscaling/HorizontalPodAutoscaler/shop/web:"
        + " spec.metrics[0].resource.target.type: \"Percentage\" is not one of AverageValue, Utilization, Value"),
        hpa.get(0));
  }

  @Test
  void selectorOperatorsAreTheSelectorsOwn() {
    List<String> problems = Fixtures.loadProblems("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          selector:
            matchLabels: {app: web}
            matchExpressions: [{key: tier, operator: in, values: [front]}]
          template:
            metadata: {labels: {app: web, tier: front}}
            spec:
              containers: [{name: web, image: nginx:1.27}]
              affinity:
                nodeAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    nodeSelectorTerms:
                    - matchExpressions:
                      - {key: cores, operator: Gt, values: ["8"]}
                      - {key: zone, operator: Equals, values: [a]}
                podAntiAffinity:
                  preferredDuringSchedulingIgnoredDuringExecution:
                  - weight: 100
                    podAffinityTerm:
                      topologyKey: kubernetes.io/hostname
                      labelSelector:
                        matchExpressions: [{key: app, operator: Gt, values: [web]}]
        """);
    assertEquals(List.of("app.yaml:7: apps/Deployment/shop/web: spec.selector.matchExpressions[0].operator: \"in\""
        + " is not one of DoesNotExist, Exists, In, NotIn: the API server refuses the object",
        "app.yaml:18: apps/Deployment/shop/web: spec.template.spec.affinity.nodeAffinity"
            + ".requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].operator:"
            + " \"Equals\" is not one of DoesNotExist, Exists, Gt, In, Lt, NotIn: the API server refuses the object",
        "app.yaml:25: apps/Deployment/shop/web: spec.template.spec.affinity.podAntiAffinity"
            + ".preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchExpressions[0]"
            + ".operator: \"Gt\" is not one of DoesNotExist, Exists, In, NotIn: the API server refuses the object"),
        problems.stream().filter(p -> p.contains("operator")).toList());
  }

  @Test
  void aRequirementsValuesAreWhatItsOperatorTakes() {
    assertEquals(List.of("app.yaml:8: policy/PodDisruptionBudget/shop/web: spec.selector.matchExpressions[0].values:"
        + " none, where operator In needs at least one: the API server refuses the object",
        "app.yaml:9: policy/PodDisruptionBudget/shop/web: spec.selector.matchExpressions[1].values: 1, where"
            + " operator Exists takes none: the API server refuses the object"),
        Fixtures.loadProblems("""
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: web, namespace: shop}
            spec:
              maxUnavailable: 1
              selector:
                matchExpressions:
                - {key: tier, operator: In}
                - {key: app, operator: Exists, values: [web]}
                - {key: track, operator: NotIn, values: [canary]}
            """));
    List<String> node = Fixtures.loadProblems("""
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: shop}
        spec:
          containers: [{name: web, image: nginx:1.27}]
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                - matchExpressions:
                  - {key: cores, operator: Gt, values: ["eight"]}
                  - {key: memory-gib, operator: Lt, values: ["64"]}
        """);
    assertEquals(List.of("app.yaml:11: Pod/shop/web: spec.affinity.nodeAffinity.requiredDuringSchedulingIgnored"
        + "DuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: \"eight\", where operator Gt takes"
        + " one integer: the API server refuses the object"), node);
  }

  @Test
  void objectsAsServersReturnThemAreNotRefused() {
    List<String> wrong = new ArrayList<>();
    for (ServerObjects.Pair pair : ServerObjects.all()) {
      for (JsonNode node : List.of(pair.manifest(), pair.live())) {
        String group = KindInfo.groupOf(node.path("apiVersion").asText());
        List<DecodedValues.Refusal> refused = new ArrayList<>();
        EnumRules.check(group, node.path("kind").asText(), node, refused);
        refused.forEach(r -> wrong.add(pair.file() + ": " + r.message()));
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void everyFieldTheTableNamesIsInItsKindsSchema() {
    Map<String, JsonNode> schemas = OpenApiDocuments.schemas();
    List<String> missing = new ArrayList<>();
    int checked = 0;
    for (String key : List.of("/Pod", "/Service", "/PersistentVolumeClaim", "/PersistentVolume", "apps/Deployment",
        "apps/StatefulSet", "apps/DaemonSet", "apps/ReplicaSet", "batch/Job", "batch/CronJob",
        "storage.k8s.io/StorageClass", "networking.k8s.io/Ingress", "networking.k8s.io/NetworkPolicy",
        "policy/PodDisruptionBudget", "autoscaling/HorizontalPodAutoscaler", "rbac.authorization.k8s.io/RoleBinding",
        "rbac.authorization.k8s.io/ClusterRoleBinding", "discovery.k8s.io/EndpointSlice")) {
      String group = key.substring(0, key.indexOf('/'));
      for (EnumRules.Rule rule : EnumRules.rules(group, key.substring(key.indexOf('/') + 1))) {
        checked++;
        KindInfo info = BuiltinKinds.find(group, key.substring(key.indexOf('/') + 1)).orElseThrow();
        JsonNode schema = OpenApiDocuments.kind(schemas, group, info.kind(), info.version());
        List<JsonNode> fields = resolve(schemas, schema, Pointers.segments(rule.pointer()), 0);
        if (fields.isEmpty() || fields.stream().anyMatch(f -> !"string".equals(f.path("type").asText()))) {
          missing.add(key + " " + rule.pointer());
        }
      }
    }
    assertTrue(checked > 60, "rules checked: " + checked);
    assertEquals(List.of(), missing, "fields not in the schema, or not text");
  }

  /** The schemas {@code path} from index {@code i} reaches in {@code schema}, {@code *} any element or member. */
  private static List<JsonNode> resolve(Map<String, JsonNode> schemas, JsonNode schema, List<String> path, int i) {
    JsonNode s = OpenApiDocuments.deref(schemas, schema);
    if (i == path.size()) {
      return List.of(s);
    }
    String segment = path.get(i);
    List<JsonNode> out = new ArrayList<>();
    if (segment.equals("*") && s.has("items")) {
      out.addAll(resolve(schemas, s.path("items"), path, i + 1));
    } else if (segment.equals("*")) {
      s.path("properties").forEach(p -> out.addAll(resolve(schemas, p, path, i + 1)));
    } else if (s.path("properties").has(segment)) {
      out.addAll(resolve(schemas, s.path("properties").path(segment), path, i + 1));
    }
    return out;
  }
}
