package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gitops.source.LoaderContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link NetworkRules} through {@link ManifestLoader}: Services, Ingresses and NetworkPolicies the
 * API server refuses (422 at the write of their wave; the mock takes them) are problems at their
 * own line, and their neighbours the server takes load.
 */
class NetworkRulesTest {
  private static final String REFUSED = ": the API server refuses the object";

  @Test
  void aServiceWithoutPortsIsAProblemUnlessHeadlessOrExternalName() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          selector: {app: web}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: shop}
        spec:
          type: NodePort
          ports: []
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: db, namespace: shop}
        spec:
          clusterIP: None
          selector: {app: db}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: cache, namespace: shop}
        spec:
          clusterIPs: [None]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: mail, namespace: shop}
        spec: {type: ExternalName, externalName: mail.example.com}
        """);
    String why = "spec.ports: none given where the Service is neither headless (clusterIP: None) nor of type"
        + " ExternalName, so it forwards at least one port" + REFUSED;
    assertEquals(List.of("app.yaml:5: Service/shop/web: " + why, "app.yaml:12: Service/shop/api: " + why), found);
  }

  @Test
  void aClientIpAffinityTimeoutOutOfRangeIsAProblemAtItsLine() {
    String service = """
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: shop}
        spec:
          sessionAffinity: %s
          sessionAffinityConfig:
            clientIP: {timeoutSeconds: %s}
          ports: [{port: 80}]
        """;
    List<String> found = Fixtures.loadProblems(String.join("---\n", service.formatted("zero", "ClientIP", "0"),
        service.formatted("long", "ClientIP", "86401"), service.formatted("day", "ClientIP", "86400"),
        service.formatted("one", "ClientIP", "1"), service.formatted("none", "None", "0"),
        service.formatted("unset", "ClientIP", "null")));
    String why = "spec.sessionAffinityConfig.clientIP.timeoutSeconds: %s is not 1 to 86400 seconds (leave it out"
        + " for the default, 10800)" + REFUSED;
    assertEquals(List.of("app.yaml:7: Service/shop/zero: " + why.formatted("0"),
        "app.yaml:16: Service/shop/long: " + why.formatted("86401")), found);
  }

  @Test
  void anIngressWithoutRoutesOrWithAHalfNamedBackendIsAProblemAtItsLine() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: none, namespace: shop}
        spec:
          ingressClassName: nginx
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, namespace: shop}
        spec:
          defaultBackend:
            service: {name: web, port: {name: http, number: 80}}
            resource: {kind: StorageBucket, name: static}
          rules:
          - host: shop.example.com
            http:
              paths:
              - path: /
                pathType: Prefix
                backend:
                  service:
                    name: web
              - path: /api
                pathType: Prefix
                backend:
                  service: {port: {number: 0}}
              - path: /static
                pathType: Prefix
                backend:
                  resource: {apiGroup: k8s.example.com, kind: StorageBucket}
              - path: /old
                pathType: Exact
              - path: /new
          - host: api.example.com
            http: {}
          - host: "*.example.com"
            http: {}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: both, namespace: shop}
        spec:
          defaultBackend:
            service: {name: web, port: {name: http, number: 80}}
        """);
    String web = "app.yaml:%d: networking.k8s.io/Ingress/shop/web: ";
    assertEquals(List.of(
        "app.yaml:5: networking.k8s.io/Ingress/shop/none: spec: neither rules nor defaultBackend given; an Ingress"
            + " routes by at least one of them" + REFUSED,
        web.formatted(12) + "spec.defaultBackend: names both a service and a resource; a backend is one of them"
            + REFUSED,
        web.formatted(22) + "spec.rules[0].http.paths[0].backend.service.port: names neither a name nor a number"
            + " (0 is none)" + REFUSED,
        web.formatted(26) + "spec.rules[0].http.paths[1].backend.service.name: left out" + REFUSED,
        web.formatted(26) + "spec.rules[0].http.paths[1].backend.service.port: names neither a name nor a number"
            + " (0 is none)" + REFUSED,
        web.formatted(30) + "spec.rules[0].http.paths[2].backend.resource.name: left out" + REFUSED,
        web.formatted(31) + "spec.rules[0].http.paths[3].backend: names neither a service nor a resource" + REFUSED,
        web.formatted(33) + "spec.rules[0].http.paths[4]: pathType is required in networking.k8s.io/v1 (Prefix,"
            + " Exact or ImplementationSpecific)" + REFUSED,
        web.formatted(35) + "spec.rules[1].http.paths: none given; an http rule routes at least one path" + REFUSED,
        "app.yaml:44: networking.k8s.io/Ingress/shop/both: spec.defaultBackend.service.port: names both a name and a"
            + " number; a port is one of them" + REFUSED), found);
  }

  @Test
  void networkPolicyPortRangesPeersAndCidrsTheServerRefusesAreProblemsAtTheirLine() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: web, namespace: shop}
        spec:
          podSelector: {}
          ingress:
          - ports:
            - {port: 8080, endPort: 8000}
            - {port: http, endPort: 8000}
            - {endPort: 8000}
            from:
            - {}
            - podSelector: {}
              ipBlock: {cidr: 10.0.0.0/8}
            - ipBlock: {cidr: 10.0.0.0}
          egress:
          - to:
            - ipBlock:
                cidr: 10.0.0.0/16
                except: [10.1.0.0/24, 10.0.0.0/16, 10.0.0.0/33, 10.0.256.0/24, 10.0.a.0/24]
            - ipBlock: {cidr: ""}
        """);
    String at = "app.yaml:%d: networking.k8s.io/NetworkPolicy/shop/web: ";
    assertEquals(List.of(
        at.formatted(8) + "spec.ingress[0].ports[0].endPort: 8000 is below port 8080" + REFUSED,
        at.formatted(9) + "spec.ingress[0].ports[1].endPort: 8000 where port is the name \"http\"; a range starts"
            + " at a port number" + REFUSED,
        at.formatted(10) + "spec.ingress[0].ports[2].endPort: 8000 where port is left out; a range starts at a port"
            + " number" + REFUSED,
        at.formatted(12) + "spec.ingress[0].from[0]: names no peer (a podSelector, a namespaceSelector or an ipBlock)"
            + REFUSED,
        at.formatted(14) + "spec.ingress[0].from[1].ipBlock: given beside a selector; an ipBlock is a peer alone"
            + REFUSED,
        at.formatted(15) + "spec.ingress[0].from[2].ipBlock.cidr: \"10.0.0.0\" is not a CIDR (an address, /, and a"
            + " prefix length, as 10.0.0.0/8)" + REFUSED,
        at.formatted(20) + "spec.egress[0].to[0].ipBlock.except[0]: \"10.1.0.0/24\" does not lie strictly inside"
            + " cidr \"10.0.0.0/16\"" + REFUSED,
        at.formatted(20) + "spec.egress[0].to[0].ipBlock.except[1]: \"10.0.0.0/16\" does not lie strictly inside"
            + " cidr \"10.0.0.0/16\"" + REFUSED,
        at.formatted(20) + "spec.egress[0].to[0].ipBlock.except[2]: \"10.0.0.0/33\" is not a CIDR (an address, /,"
            + " and a prefix length, as 10.0.0.0/8)" + REFUSED,
        at.formatted(20) + "spec.egress[0].to[0].ipBlock.except[3]: \"10.0.256.0/24\" is not a CIDR (an address, /,"
            + " and a prefix length, as 10.0.0.0/8)" + REFUSED,
        at.formatted(20) + "spec.egress[0].to[0].ipBlock.except[4]: \"10.0.a.0/24\" is not a CIDR (an address, /,"
            + " and a prefix length, as 10.0.0.0/8)" + REFUSED,
        at.formatted(21) + "spec.egress[0].to[1].ipBlock.cidr: left out" + REFUSED), found);
  }

  @Test
  void theNeighboursTheServerTakesLoad() {
    new ManifestLoader().load(LoaderContract.snapshot("app.yaml", """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: fallback, namespace: shop}
        spec:
          defaultBackend:
            service: {name: web, port: {number: 80}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, namespace: shop}
        spec:
          rules:
          - host: shop.example.com
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
              - path: /static
                pathType: ImplementationSpecific
                backend:
                  resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: static}
          - host: admin.example.com
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: web, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: web}}
          ingress:
          - ports:
            - {port: 8000, endPort: 8000}
            - {port: 9000, endPort: 9100}
            - {port: http}
            from:
            - podSelector: {}
              namespaceSelector: {matchLabels: {team: shop}}
            - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16, 10.2.0.0/16]}
            - ipBlock: {cidr: "2001:db8::/32", except: ["2001:db8:1::/48"]}
        """));
  }

  /**
   * Text that older servers' lenient parser takes and newer, stricter ones may refuse (leading zeros,
   * host bits set), and IPv6 forms, which this does not judge: left to the server.
   */
  @Test
  void cidrsSomeServersTakeAreLeftToTheServer() {
    new ManifestLoader().load(LoaderContract.snapshot("app.yaml", """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: web, namespace: shop}
        spec:
          podSelector: {}
          egress:
          - to:
            - ipBlock: {cidr: 010.0.0.1/08, except: [10.0.0.0/09, 10.002.0.0/16]}
            - ipBlock: {cidr: 10.0.0.0/8, except: ["::ffff:10.1.0.0/112"]}
            - ipBlock: {cidr: "2001:db8::/32", except: ["::ffff:10.1.0.0/112", "2001:db8::zz/64"]}
        """));
  }
}
