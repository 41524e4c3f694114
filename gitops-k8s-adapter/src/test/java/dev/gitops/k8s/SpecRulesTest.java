package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gitops.model.DesiredState;
import dev.gitops.source.LoaderContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SpecRules} and the resource rule of {@link PodRules} through {@link ManifestLoader}: specs
 * whose fields disagree as the API server refuses (422 at the write of their wave; the mock takes
 * them) are problems at their own line, and what the server takes loads.
 */
class SpecRulesTest {
  @Test
  void specsWhoseFieldsDisagreeAreProblemsAtTheirLine() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          selector:
            matchLabels: {app: web, tier: front}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web
                image: nginx
                resources:
                  requests: {cpu: "1", memory: 512Mi}
                  limits: {cpu: 1500m, memory: 0.25Gi}
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: shop}
        spec:
          template:
            metadata: {labels: {app: agent}}
            spec: {containers: [{name: agent, image: busybox}]}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, namespace: shop}
        spec:
          rules:
          - host: shop.example.com
            http:
              paths:
              - path: /
                backend: {service: {name: web, port: {number: 80}}}
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: web, namespace: shop}
        spec: {minAvailable: 1, maxUnavailable: 1, selector: {matchLabels: {app: web}}}
        """);
    assertEquals(List.of(
        "app.yaml:6: apps/Deployment/shop/web: spec.selector does not select the labels of spec.template.metadata.labels",
        "app.yaml:14: apps/Deployment/shop/web: spec.template.spec.containers[0].resources.requests.memory: 512Mi is"
            + " more than its limit 0.25Gi",
        "app.yaml:21: apps/DaemonSet/shop/agent: spec.selector is missing",
        "app.yaml:33: networking.k8s.io/Ingress/shop/web: spec.rules[0].http.paths[0]: pathType is required in"
            + " networking.k8s.io/v1 (Prefix, Exact or ImplementationSpecific)",
        "app.yaml:39: policy/PodDisruptionBudget/shop/web: spec: minAvailable and maxUnavailable are both set"),
        found.stream().map(p -> p.substring(0, p.indexOf(p.contains(" (\"selector") ? " (\"selector"
            : p.contains(": apps/v1") ? ": apps/v1" : p.contains("; a Pod") ? "; a Pod" : p.contains(": the API")
            ? ": the API" : "\u0000"))).toList());
  }

  @Test
  void amountsOfPodsAreNumbersOrPercentagesAndARolloutKeepsAPod() {
    assertEquals(List.of("app.yaml:9: apps/Deployment/shop/web: spec.strategy.rollingUpdate.maxSurge: \"1\" is neither"
        + " a number nor a percentage (write a number unquoted, or digits and %, as \"25%\"): the API server refuses"
        + " the object",
        "app.yaml:19: apps/Deployment/shop/batch: spec.strategy.rollingUpdate.maxUnavailable: 0 where maxSurge is 0"
            + " too, so a rollout could never replace a pod: the API server refuses the object",
        "app.yaml:29: apps/Deployment/shop/db: spec.strategy.rollingUpdate: given where spec.strategy.type is"
            + " Recreate, which takes none: the API server refuses the object",
        "app.yaml:36: policy/PodDisruptionBudget/shop/web: spec.minAvailable: \"120%\" is more than 100%: the API"
            + " server refuses the object"),
        Fixtures.loadProblems(deployment("web", "{type: RollingUpdate, rollingUpdate: {maxSurge: \"1\", maxUnavailable: 25%}}")
            + "---\n" + deployment("batch", "{rollingUpdate: {maxSurge: 0, maxUnavailable: 0%}}")
            + "---\n" + deployment("db", "{type: Recreate, rollingUpdate: {maxSurge: 1}}") + """
            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: web, namespace: shop}
            spec:
              selector: {matchLabels: {app: web}}
              minAvailable: 120%
            """));
    DesiredState d = new ManifestLoader().load(LoaderContract.snapshot("app.yaml",
        deployment("web", "{rollingUpdate: {maxSurge: 200%, maxUnavailable: 0}}")
            + "---\n" + deployment("db", "{type: Recreate}") + """
            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: web, namespace: shop}
            spec: {selector: {matchLabels: {app: web}}, maxUnavailable: 100%}
            """));
    assertEquals(3, d.resources().size(), "a surge may pass 100%, a Recreate strategy alone is fine");
  }

  @Test
  void aDaemonSetsRolloutSurgesOrTakesPodsDownNotBoth() {
    String daemonSet = """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: NAME, namespace: shop}
        spec:
          selector: {matchLabels: {app: agent}}
          updateStrategy: STRATEGY
          template:
            metadata: {labels: {app: agent}}
            spec: {containers: [{name: agent, image: busybox}]}
        """;
    java.util.function.BiFunction<String, String, String> ds = (name, strategy) ->
        daemonSet.replace("NAME", name).replace("STRATEGY", strategy);
    List<String> found = Fixtures.loadProblems(String.join("---\n",
        ds.apply("surge", "{rollingUpdate: {maxSurge: 1}}"),
        ds.apply("both", "{type: RollingUpdate, rollingUpdate: {maxSurge: 10%, maxUnavailable: 2}}"),
        ds.apply("none", "{rollingUpdate: {maxUnavailable: 0%}}"),
        ds.apply("surge-ok", "{rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}"),
        ds.apply("down-ok", "{rollingUpdate: {maxUnavailable: 25%, maxSurge: 0}}"),
        ds.apply("defaults", "{type: RollingUpdate}"),
        ds.apply("on-delete", "{type: OnDelete, rollingUpdate: {maxSurge: 1}}")));
    String down = ": a DaemonSet's rollout surges or takes pods down, not both (set maxUnavailable: 0 to surge)"
        + ": the API server refuses the object";
    assertEquals(List.of(
        "app.yaml:6: apps/DaemonSet/shop/surge: spec.updateStrategy.rollingUpdate.maxSurge: set where maxUnavailable"
            + " is 1 (left out)" + down,
        "app.yaml:16: apps/DaemonSet/shop/both: spec.updateStrategy.rollingUpdate.maxSurge: set where maxUnavailable"
            + " is not 0" + down,
        "app.yaml:26: apps/DaemonSet/shop/none: spec.updateStrategy.rollingUpdate.maxUnavailable: 0 where maxSurge is"
            + " 0 (left out), so a rollout could never replace a pod: the API server refuses the object"), found);
  }

  @Test
  void boundsThatTieTwoFieldsHold() {
    assertEquals(List.of("app.yaml:6: autoscaling/HorizontalPodAutoscaler/shop/web: spec.minReplicas: 5 is more than"
        + " maxReplicas 3: the API server refuses the object",
        "app.yaml:17: apps/Deployment/shop/web: spec.progressDeadlineSeconds: 600 (left out) is not more than"
            + " minReadySeconds 600: the API server refuses the object"),
        Fixtures.loadProblems("""
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: web, namespace: shop}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
              minReplicas: 5
              maxReplicas: 3
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: app, image: nginx:1.27}]}
              minReadySeconds: 600
            """));
    DesiredState d = new ManifestLoader().load(LoaderContract.snapshot("app.yaml", """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web, namespace: shop}
        spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 3, maxReplicas: 3}
        """ + "---\n" + deployment("web", "{type: RollingUpdate}").replace("  strategy:",
        "  minReadySeconds: 600\n  progressDeadlineSeconds: 900\n  strategy:")));
    assertEquals(2, d.resources().size(), "equal bounds and a deadline past the ready time load");
  }

  @Test
  void aServicesFieldsFitItsType() {
    assertEquals(List.of("app.yaml:6: Service/shop/web: spec.ports[0].nodePort: given where the Service's type is"
        + " ClusterIP (left out), which takes none: the API server refuses the object",
        "app.yaml:7: Service/shop/web: spec.externalTrafficPolicy: given where the Service's type is ClusterIP; only a"
            + " NodePort or LoadBalancer Service, or one with externalIPs, takes one: the API server refuses the object",
        "app.yaml:8: Service/shop/web: spec.loadBalancerSourceRanges: given where the Service's type is ClusterIP;"
            + " only a LoadBalancer Service takes it: the API server refuses the object",
        "app.yaml:13: Service/shop/db: spec.clusterIP: None (headless) where the Service's type is NodePort, which"
            + " needs a cluster IP: the API server refuses the object",
        "app.yaml:18: Service/shop/search: spec.externalName: left out where the Service's type is ExternalName,"
            + " which names the host it stands for: the API server refuses the object"),
        Fixtures.loadProblems("""
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              selector: {app: web}
              ports: [{port: 80, nodePort: 30080}]
              externalTrafficPolicy: Local
              loadBalancerSourceRanges: [10.0.0.0/8]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: db, namespace: shop}
            spec: {type: NodePort, clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: search, namespace: shop}
            spec: {type: ExternalName}
            """));
    DesiredState d = new ManifestLoader().load(LoaderContract.snapshot("app.yaml", """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          type: LoadBalancer
          selector: {app: web}
          ports: [{port: 80, nodePort: 30080}]
          externalTrafficPolicy: Local
          loadBalancerSourceRanges: [10.0.0.0/8]
          allocateLoadBalancerNodePorts: false
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: search, namespace: shop}
        spec: {type: ExternalName, externalName: search.example.com}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: db, namespace: shop}
        spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: edge, namespace: shop}
        spec: {externalIPs: [192.0.2.10], externalTrafficPolicy: Local, selector: {app: edge}, ports: [{port: 443}]}
        """));
    assertEquals(4, d.resources().size(), "each field where its type takes it");
  }

  @Test
  void anIngressRuleNamesItsHostAsADnsName() {
    assertEquals(List.of("app.yaml:7: networking.k8s.io/Ingress/shop/web: spec.rules[1].host: \"Shop.example.com\" is"
        + " not a DNS name (a lowercase RFC 1123 subdomain, or *. and one, at most 253 characters): the API server"
        + " refuses the object",
        "app.yaml:8: networking.k8s.io/Ingress/shop/web: spec.rules[2].host: \"10.0.0.1\" is an IP address where a"
            + " rule takes a DNS name: the API server refuses the object",
        "app.yaml:9: networking.k8s.io/Ingress/shop/web: spec.rules[3].host: \"shop.example.com:8443\" is not a DNS"
            + " name (a lowercase RFC 1123 subdomain, or *. and one, at most 253 characters): the API server refuses"
            + " the object",
        "app.yaml:10: networking.k8s.io/Ingress/shop/web: spec.rules[4].host: \"api.*.example.com\" is not a DNS name"
            + " (a lowercase RFC 1123 subdomain, or *. and one, at most 253 characters): the API server refuses the"
            + " object"),
        Fixtures.loadProblems("""
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: web, namespace: shop}
            spec:
              rules:
              - host: "*.shop.example.com"
              - host: Shop.example.com
              - host: 10.0.0.1
              - host: shop.example.com:8443
              - host: api.*.example.com
              - host: shop.example.com
            """));
  }

  /** A Deployment {@code name} with rollout {@code strategy} (flow YAML), 9 lines. */
  private static String deployment(String name, String strategy) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %s, namespace: shop}
        spec:
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec: {containers: [{name: app, image: nginx:1.27}]}
          strategy: %s
        """.formatted(name, name, name, strategy);
  }

  @Test
  void whatTheServerTakesLoads() {
    DesiredState d = new ManifestLoader().load(LoaderContract.snapshot("app.yaml", """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: shop}
        spec:
          serviceName: db
          selector:
            matchLabels: {app: db}
            matchExpressions:
            - {key: tier, operator: In, values: [data, cache]}
            - {key: canary, operator: DoesNotExist}
            - {key: app, operator: Exists}
            - {key: zone, operator: NotIn, values: [b]}
          template:
            metadata: {labels: {app: db, tier: data, zone: a}}
            spec:
              containers:
              - name: db
                image: postgres
                resources:
                  requests: {cpu: 500m, memory: 1Gi, nvidia.com/gpu: 1}
                  limits: {cpu: "0.5", memory: 1024Mi, nvidia.com/gpu: "1"}
        ---
        apiVersion: v1
        kind: ReplicationController
        metadata: {name: legacy, namespace: shop}
        spec:
          template:
            metadata: {labels: {app: legacy}}
            spec: {containers: [{name: legacy, image: busybox}]}
        """));
    assertEquals(2, d.resources().size());
  }
}
