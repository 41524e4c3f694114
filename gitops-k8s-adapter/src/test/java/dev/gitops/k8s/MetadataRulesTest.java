package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.gitops.model.DesiredState;
import dev.gitops.source.LoaderContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link MetadataRules} through {@link ManifestLoader}: labels and annotations the API server
 * refuses (422 at the write of their wave; the mock takes them) are problems at their own line, and
 * what it takes loads.
 */
class MetadataRulesTest {
  @Test
  void labelsTheServerRefusesAreProblemsAtTheirLine() {
    String release = "checkout-service-production-eu-west-1-blue-green-canary-release-2";
    List<String> found = Fixtures.loadProblems("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
          labels:
            app.kubernetes.io/instance: %s
            "team name": payments
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels:
                app: web
                version: "-1.2"
              annotations:
                example.com/a/b: "x"
            spec:
              containers: [{name: web, image: nginx}]
        """.formatted(release));
    assertEquals(List.of(
        "app.yaml:7: apps/Deployment/shop/web: metadata.labels[\"app.kubernetes.io/instance\"]: the value \""
            + release + "\" (65 characters) is not a label value (empty, or 1 to 63 letters, digits, '-', '_' and"
            + " '.', beginning and ending with a letter or digit): the API server refuses the object",
        "app.yaml:8: apps/Deployment/shop/web: metadata.labels[\"team name\"]: the key \"team name\" is not a"
            + " qualified name (an optional prefix, a DNS subdomain of lowercase letters, digits, '-' and '.' at most"
            + " 253 long, and '/'; then 1 to 63 letters, digits, '-', '_' and '.', beginning and ending with a letter"
            + " or digit): the API server refuses the object",
        "app.yaml:15: apps/Deployment/shop/web: spec.template.metadata.labels[\"version\"]: the value \"-1.2\" is"
            + " not a label value",
        "app.yaml:17: apps/Deployment/shop/web: spec.template.metadata.annotations[\"example.com/a/b\"]: the key"
            + " \"example.com/a/b\" is not a qualified name"),
        found.stream().map(p -> p.startsWith("app.yaml:15") || p.startsWith("app.yaml:17")
            ? p.substring(0, p.indexOf(" (")) : p).toList());
  }

  @Test
  void whatTheServerTakesLoads() {
    DesiredState d = new ManifestLoader().load(LoaderContract.snapshot("app.yaml", """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: "system:aggregate-to-edit:extra"
          labels:
            rbac.authorization.k8s.io/aggregate-to-edit: "true"
            empty: ""
            Example.Key_1.v2: A-b_c.9
            %s: ok
          annotations:
            Example.COM/Upper-Prefix: "annotation keys are judged lowercased"
            kubectl.kubernetes.io/last-applied-configuration: "{}"
        rules: []
        """.formatted("x".repeat(63))));
    assertEquals(1, d.resources().size());
  }

  @Test
  void annotationsOverTheServersTotalAreAProblem() {
    String big = "a".repeat(256 * 1024 - 10);
    List<String> found = Fixtures.loadProblems("""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
          annotations:
            note: %s
            more: "0123456789"
        """.formatted(big));
    assertEquals(List.of("app.yaml:6: ConfigMap/default/settings: metadata.annotations: 262152 bytes in all, the API"
        + " server takes at most 262144 (256 KiB) and refuses the object; keep large values out of annotations"), found);
  }

  @Test
  void templatesAreFoundOnTheWayToThePodSpec() {
    assertEquals(List.of("/spec/template/metadata"), MetadataRules.templates("apps", "Deployment"));
    assertEquals(List.of("/spec/jobTemplate/metadata", "/spec/jobTemplate/spec/template/metadata"),
        MetadataRules.templates("batch", "CronJob"));
    assertEquals(List.of("/template/metadata"), MetadataRules.templates("", "PodTemplate"));
    assertEquals(List.of(), MetadataRules.templates("", "Pod")); // a Pod's metadata is its own
    assertEquals(List.of(), MetadataRules.templates("", "ConfigMap"));
  }

  @Test
  void theRulesMatchApimachinerysExamples() {
    for (String good : List.of("a", "A", "a.b_c-d", "example.com/name", "k8s.io/a", "x".repeat(63),
        "a.b/" + "y".repeat(63), "p".repeat(253) + "/b")) {
      assertNull(MetadataRules.qualifiedName(good), good);
    }
    for (String bad : List.of("", "/a", "a/", "-a", "a-", "a b", "Example.com/a", "a/b/c", "x".repeat(64),
        "a..b_/c", "a@b", "p".repeat(254) + "/b", "a/" + "y".repeat(64), "a/-b", "a_/b")) {
      assertEquals(true, MetadataRules.qualifiedName(bad) != null, bad);
    }
    assertNull(MetadataRules.labelValue(""));
    assertNull(MetadataRules.labelValue("v1.2.3_rc-1"));
    assertEquals(true, MetadataRules.labelValue("v1 ") != null);
    assertEquals(true, MetadataRules.labelValue("_v") != null);
    assertEquals(true, MetadataRules.labelValue("x".repeat(64)) != null);
  }
}
