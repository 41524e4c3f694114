package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.FileMode;
import dev.gitops.model.Observed;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which CRD a custom resource is judged by ({@link CustomChecks}): the one Git holds, else the
 * cluster's as the target read it, at the version its {@code apiVersion} names, or none; what the
 * server would prune is warned of once, naming file and line.
 */
class CustomChecksTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String CRD = Fixtures.crd("example.dev", "Widget", "widgets", """
      spec:
        type: object
        properties:
          port: {type: %s}
          template: {type: object, properties: {metadata: {type: object}}}
      """);
  private static final String WIDGET = """
      apiVersion: example.dev/%s
      kind: Widget
      metadata: {name: w, namespace: shop}
      spec:
        port: "8080"
        template:
          metadata:
            labels: {app: w}
      """;

  private static DesiredState load(String... files) {
    Map<String, Content.Bytes> map = new java.util.TreeMap<>();
    for (int i = 0; i < files.length; i++) {
      map.put("f" + i + ".yaml", Content.bytes(files[i].getBytes(StandardCharsets.UTF_8), FileMode.REGULAR));
    }
    return new ManifestLoader().load(Snapshot.of(Revision.of("0".repeat(40)), map));
  }

  private static KubernetesSchema cluster(String portType) throws Exception {
    return KubernetesSchema.builtin().learn(YAML.readTree(CRD.formatted(portType)));
  }

  private static List<String> refused(CustomChecks checks, DesiredState desired, ActualState actual,
                                      KubernetesSchema target) {
    return checks.check(desired, actual, target.learn(desired), target).refused().stream().map(Problem::toString).toList();
  }

  @Test
  void theCrdInGitIsTheOneJudgedByElseTheClusters() throws Exception {
    CustomChecks checks = new CustomChecks(true);
    String refusal = "f1.yaml:1: example.dev/Widget/shop/w: spec.port: is text, where its CRD's schema says integer:"
        + " the API server refuses the object";
    assertEquals(List.of(refusal.replace("f1.yaml", "f0.yaml")),
        refused(checks, load(WIDGET.formatted("v1")), ActualState.empty(), cluster("integer")), "the cluster's CRD");
    assertEquals(List.of(), refused(checks, load(CRD.formatted("string"), WIDGET.formatted("v1")), ActualState.empty(),
        cluster("integer")), "Git's CRD, which the apply writes first, takes text");
    assertEquals(List.of(refusal), refused(checks, load(CRD.formatted("integer"), WIDGET.formatted("v1")),
        ActualState.empty(), cluster("string")));
    assertEquals(List.of(), refused(checks, load(WIDGET.formatted("v1")), ActualState.empty(), KubernetesSchema.builtin()),
        "no CRD known: the server judges");
    assertEquals(List.of(), refused(checks, load(CRD.formatted("integer"), WIDGET.formatted("v2")), ActualState.empty(),
        cluster("integer")), "a version the CRD does not serve: the server answers");
  }

  @Test
  void aPruneIsWarnedOfOnceWithFileAndLine() throws Exception {
    CustomChecks checks = new CustomChecks(false);
    DesiredState desired = load(CRD.formatted("string"), WIDGET.formatted("v1"));
    KubernetesSchema schema = cluster("string");
    CustomChecks.Verdict first = checks.check(desired, ActualState.empty(), schema.learn(desired), schema);
    assertEquals(List.of("f1.yaml:1: example.dev/Widget/shop/w: spec.template.metadata.labels: the API server drops"
        + " this field: its CRD's schema does not declare it (nor x-kubernetes-preserve-unknown-fields there), so the"
        + " stored object never has it"), first.warned().stream().map(Problem::toString).toList());
    assertEquals(List.of(), first.refused());
    assertEquals(List.of(), checks.check(desired, ActualState.empty(), schema.learn(desired), schema).warned(),
        "once");
  }

  /**
   * The field a warning names is the repository's own keys: a key holding a line break or an escape
   * forged a log line or drove the terminal of whoever read the log. Escaped now, as names are.
   */
  @Test
  void aWarnedFieldNamesTheRepositorysKeysEscaped() throws Exception {
    CustomChecks checks = new CustomChecks(false);
    DesiredState desired = load(CRD.formatted("string"), WIDGET.formatted("v1").replace("labels: {app: w}",
        "\"evil\\n[WARN] forged\\e[2J\\u202e\": {app: w}"));
    KubernetesSchema schema = cluster("string");
    String logged = DropsCluster.logged(() -> checks.check(desired, ActualState.empty(), schema.learn(desired), schema));
    org.junit.jupiter.api.Assertions.assertTrue(logged.contains(
        "spec.template.metadata.evil\\n[WARN] forged\\x1b[2J\\u202e: the API server drops"), logged);
    for (String raw : new String[] {"\n[WARN] forged", "\u001b", "\u202e"}) {
      org.junit.jupiter.api.Assertions.assertFalse(logged.contains(raw), dev.gitops.model.ResourceId.escape(logged));
    }
  }

  @Test
  void theLiveObjectsSameValueIsRatcheted() throws Exception {
    DesiredState desired = load(WIDGET.formatted("v1"));
    Resource w = desired.resources().iterator().next();
    JsonNode live = ((Content.Tree) w.content()).node();
    ActualState actual = ActualState.of(List.of(Observed.of(Resource.of(w.id(), Content.tree(live)), "web")));
    assertEquals(List.of(), refused(new CustomChecks(true), desired, actual, cluster("integer")));
  }
}
