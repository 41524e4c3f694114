package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gitops.model.DesiredState;
import dev.gitops.source.LoaderContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RbacRules} through {@link ManifestLoader}: roles and bindings the API server refuses (422
 * at the write of their wave; the mock takes them) are problems at their line; what the server
 * takes, after its defaults, loads.
 */
class RbacRulesTest {
  private static final String REFUSED = ": the API server refuses the object";

  @Test
  void rulesWithoutVerbsOrResourcesAreProblemsAtTheirLine() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: reader, namespace: shop}
        rules:
        - apiGroups: [""]
          resources: [pods]
        - verbs: [get]
        - verbs: [get]
          nonResourceURLs: [/healthz]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: probe}
        rules:
        - verbs: [get]
          apiGroups: [""]
          nonResourceURLs: [/healthz]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: aggregate}
        aggregationRule: {}
        """);
    assertEquals(List.of(
        "app.yaml:5: rbac.authorization.k8s.io/Role/shop/reader: rules[0].verbs: none given; a rule names at least"
            + " one verb (\"*\" for all)" + REFUSED,
        "app.yaml:7: rbac.authorization.k8s.io/Role/shop/reader: rules[1].apiGroups: none given; a rule on resources"
            + " names at least one API group (\"\" for the core group)" + REFUSED,
        "app.yaml:7: rbac.authorization.k8s.io/Role/shop/reader: rules[1].resources: none given; a rule on resources"
            + " names at least one resource" + REFUSED,
        "app.yaml:9: rbac.authorization.k8s.io/Role/shop/reader: rules[2].nonResourceURLs: given in a Role; only a"
            + " ClusterRole's rules name non-resource URLs" + REFUSED,
        "app.yaml:17: rbac.authorization.k8s.io/ClusterRole//probe: rules[0].nonResourceURLs: given with apiGroups,"
            + " resources or resourceNames; a rule names either resources or non-resource URLs, so write two rules"
            + REFUSED,
        "app.yaml:22: rbac.authorization.k8s.io/ClusterRole//aggregate: aggregationRule.clusterRoleSelectors: none"
            + " given; an aggregated ClusterRole selects at least one label set" + REFUSED),
        found);
  }

  @Test
  void bindingsThatRefToNoRoleOrBindNoOneAreProblemsAtTheirLine() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: readers, namespace: shop}
        roleRef:
          apiGroup: rbac.authorization.k8s.io/v1
          kind: role
          name: reader
        subjects:
        - {kind: ServiceAccount, name: ci, apiGroup: rbac.authorization.k8s.io}
        - {kind: User, name: "", apiGroup: rbac.authorization.k8s.io}
        - {kind: Team, name: ops}
        - {name: ops}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: admins}
        roleRef: {kind: Role, name: a/b}
        subjects:
        - {kind: ServiceAccount, name: ci}
        - {kind: Group, name: ops, apiGroup: ""}
        - {kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io/v1}
        """);
    assertEquals(List.of(
        "app.yaml:5: rbac.authorization.k8s.io/RoleBinding/shop/readers: roleRef.apiGroup:"
            + " rbac.authorization.k8s.io/v1 where the API server takes rbac.authorization.k8s.io" + REFUSED,
        "app.yaml:6: rbac.authorization.k8s.io/RoleBinding/shop/readers: roleRef.kind: role where a RoleBinding"
            + " takes Role or ClusterRole" + REFUSED,
        "app.yaml:9: rbac.authorization.k8s.io/RoleBinding/shop/readers: subjects[0].apiGroup:"
            + " rbac.authorization.k8s.io where a ServiceAccount subject takes none (\"\")" + REFUSED,
        "app.yaml:10: rbac.authorization.k8s.io/RoleBinding/shop/readers: subjects[1].name: missing; a subject names"
            + " whom it binds" + REFUSED,
        "app.yaml:11: rbac.authorization.k8s.io/RoleBinding/shop/readers: subjects[2].kind: \"Team\" is not one of"
            + " Group, ServiceAccount, User" + REFUSED,
        "app.yaml:12: rbac.authorization.k8s.io/RoleBinding/shop/readers: subjects[3].kind: missing; a subject is a"
            + " ServiceAccount, User or Group" + REFUSED,
        "app.yaml:17: rbac.authorization.k8s.io/ClusterRoleBinding//admins: roleRef.kind: Role where a"
            + " ClusterRoleBinding takes ClusterRole" + REFUSED,
        "app.yaml:17: rbac.authorization.k8s.io/ClusterRoleBinding//admins: roleRef.name: a/b is not a role's name"
            + " (not '.' or '..', no '/' or '%')" + REFUSED,
        "app.yaml:19: rbac.authorization.k8s.io/ClusterRoleBinding//admins: subjects[0].namespace: missing; a"
            + " ClusterRoleBinding names its ServiceAccount's namespace" + REFUSED,
        "app.yaml:21: rbac.authorization.k8s.io/ClusterRoleBinding//admins: subjects[2].apiGroup:"
            + " rbac.authorization.k8s.io/v1 where a Group subject takes rbac.authorization.k8s.io" + REFUSED),
        found);
  }

  @Test
  void whatTheServerTakesAfterItsDefaultsLoads() {
    DesiredState d = new ManifestLoader().load(LoaderContract.snapshot("app.yaml", """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: reader, namespace: shop}
        rules:
        - {apiGroups: [""], resources: [pods, configmaps], resourceNames: [web], verbs: [get]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: nothing, namespace: shop}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: probe}
        rules:
        - {nonResourceURLs: [/healthz, /readyz], verbs: [get]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: monitoring}
        aggregationRule:
          clusterRoleSelectors:
          - matchLabels: {rbac.example.com/aggregate-to-monitoring: "true"}
        rules: []
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: readers, namespace: shop}
        roleRef: {kind: ClusterRole, name: view}
        subjects:
        - {kind: ServiceAccount, name: ci}
        - {kind: User, name: alice}
        - {kind: Group, name: ops, apiGroup: rbac.authorization.k8s.io}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: probes}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: probe}
        subjects:
        - {kind: ServiceAccount, name: prometheus, namespace: monitoring, apiGroup: ""}
        """));
    assertEquals(6, d.resources().size());
  }
}
