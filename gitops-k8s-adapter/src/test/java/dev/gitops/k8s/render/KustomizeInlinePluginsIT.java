package dev.gitops.k8s.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import dev.gitops.model.Snapshot;
import dev.gitops.source.DirectorySource;
import dev.gitops.source.YamlReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kustomization's {@code generators}, {@code transformers} and {@code validators} entries may be a
 * built-in plug-in's configuration written in place: Kustomize reads an entry that parses as resources
 * as inline ({@code configureExternalGenerators} and {@code configureExternalTransformers} in
 * kustomize's {@code api/internal/target/kusttarget.go}), any other as a path. Each accepted form is
 * rendered by the real Kustomize alone first (the oracle), then by the loader, which must render the same.
 */
class KustomizeInlinePluginsIT {
  private static final String CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n";
  @TempDir Path repo;

  @TestFactory
  Stream<DynamicTest> builtInPluginsWrittenInPlaceRenderAsKustomizeAloneRendersThem() {
    return Stream.of("""
        resources: [cm.yaml]
        transformers:
        - |-
          apiVersion: builtin
          kind: PrefixSuffixTransformer
          metadata:
            name: ps
          prefix: pre-
          fieldSpecs:
          - path: metadata/name
        """, """
        resources: [cm.yaml]
        transformers:
        - |
          apiVersion: builtin
          kind: LabelTransformer
          metadata:
            name: l
          labels:
            team: shop
          fieldSpecs:
          - path: metadata/labels
            create: true
        """, """
        resources: [cm.yaml]
        transformers:
        - |-
          apiVersion: builtin
          kind: PatchTransformer
          metadata:
            name: p
          patch: |-
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: c
            data:
              patched: "yes"
        - |-
          apiVersion: builtin
          kind: PatchTransformer
          metadata:
            name: from-file
          path: patch.yaml
        """, """
        resources: [cm.yaml]
        generators:
        - "{apiVersion: builtin, kind: ConfigMapGenerator, metadata: {name: gen}, literals: [k=v]}"
        validators:
        - |-
          apiVersion: builtin
          kind: AnnotationsTransformer
          metadata: {name: noop}
          fieldSpecs: [{path: metadata/annotations}]
        """, """
        resources: [cm.yaml]
        Transformers:
        - |-
          apiVersion: builtin
          kind: LabelTransformer
          metadata: {name: l}
          labels: {x: "1"}
          fieldSpecs: [{path: metadata/labels, create: true}]
          ---
          apiVersion: builtin
          kind: AnnotationsTransformer
          metadata: {name: a}
          annotations: {docs: "https://example.com/runbook"}
          fieldSpecs: [{path: metadata/annotations, create: true}]
        """).map(k -> DynamicTest.dynamicTest(k.replace("\n", "\\n"), () -> rendersAsAlone(k)));
  }

  private void rendersAsAlone(String kustomization) throws Exception {
    Files.writeString(repo.resolve("kustomization.yaml"), kustomization);
    Files.writeString(repo.resolve("cm.yaml"), CM);
    Files.writeString(repo.resolve("patch.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
        + "data:\n  fromFile: \"yes\"\n");
    Kustomize kustomize = Tools.kustomize();
    Snapshot snapshot = snapshot();
    TreeSet<String> theirs = new TreeSet<>();
    try (Workspace ws = Workspace.of(snapshot)) {
      ToolRun.Result run = ToolRun.run(kustomize.toString(), kustomize.hint(), kustomize.build(ws.root()), ws.root(),
          Kustomize.environment(ws.home(), false), Duration.ofMinutes(5), 1 << 20);
      assertEquals(0, run.exit(), "the oracle: Kustomize alone renders it: " + run.stderr());
      for (RenderedDocs.Doc d : RenderedDocs.split(run.stdout())) {
        ObjectNode tree = (ObjectNode) YamlReader.yaml11().read("out", d.data(), new ArrayList<>()).get(0).tree();
        ((ObjectNode) tree.get("metadata")).put("namespace", "default"); // as the loader defaults it
        theirs.add(tree.toString());
      }
    }
    assertNotEquals(java.util.Set.of("{\"apiVersion\":\"v1\",\"data\":{\"a\":\"b\"},\"kind\":\"ConfigMap\","
        + "\"metadata\":{\"name\":\"c\",\"namespace\":\"default\"}}"), theirs, "the plug-ins changed nothing");
    DesiredState state = KustomizeLoader.of().withTool(kustomize).withTimeout(Duration.ofMinutes(5)).load(snapshot);
    TreeSet<String> ours = new TreeSet<>();
    for (Resource r : state.resources()) {
      ours.add(((Content.Tree) r.content()).node().toString());
    }
    assertEquals(theirs, ours);
  }

  @Test
  void whatAGeneratorWrittenInPlaceMakesPointsAtItsEntry() throws IOException {
    Files.writeString(repo.resolve("cm.yaml"), CM);
    Files.writeString(repo.resolve("kustomization.yaml"), """
        resources: [cm.yaml]
        generators:
        - |-
          apiVersion: builtin
          kind: SecretGenerator
          metadata:
            name: creds
          literals: [user=app]
        """);
    DesiredState state = KustomizeLoader.of().withTool(Tools.kustomize()).withTimeout(Duration.ofMinutes(5))
        .load(snapshot());
    Resource secret = state.resources().stream().filter(r -> r.id().kind().equals("Secret")).findFirst().orElseThrow();
    assertTrue(secret.id().name().startsWith("creds-"), secret.id().toString());
    assertEquals("kustomization.yaml:7", secret.origin().file() + ":" + secret.origin().line());
  }

  @Test
  void anExecPluginWrittenInPlaceIsRefusedAtItsLineAndNotRun() throws IOException {
    Path marker = repo.getParent().resolve(repo.getFileName() + "-plugin-ran");
    Files.writeString(repo.resolve("cm.yaml"), CM);
    Files.writeString(repo.resolve("kustomization.yaml"), """
        resources: [cm.yaml]
        transformers:
        - |-
          apiVersion: example.com/v1
          kind: Evil
          metadata:
            name: evil
            annotations:
              config.kubernetes.io/function: |
                exec:
                  path: ./evil.sh
        """);
    Tools.script(repo, "evil.sh", "touch " + marker + "\ncat");
    Kustomize kustomize = Tools.kustomize();
    try (Workspace ws = Workspace.of(snapshot())) {
      ToolRun.Result run = ToolRun.run(kustomize.toString(), kustomize.hint(), kustomize.build(ws.root()), ws.root(),
          Kustomize.environment(ws.home(), false), Duration.ofMinutes(5), 1 << 20);
      assertNotEquals(0, run.exit(), "the oracle: Kustomize alone refuses it");
      assertTrue(run.stderr().contains("external plugins disabled"), run.stderr());
    }
    KustomizeLoader loader = KustomizeLoader.of().withTool(kustomize).withTimeout(Duration.ofMinutes(5));
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class, () -> loader.load(snapshot()));
    Problem p = e.problems().get(0);
    assertEquals("kustomization.yaml:4: transformers[0]: example.com/v1 Evil is not a built-in plug-in"
        + " (apiVersion: builtin): exec and container (KRM function) plug-ins are refused", p.toString());
    assertEquals(0, loader.renders());
    assertFalse(Files.exists(marker), "the exec plug-in ran");
  }

  @Test
  void textThatIsNoResourceIsStillAPathAndRefusedWhenNotInTheRepository() throws IOException {
    Files.writeString(repo.resolve("cm.yaml"), CM);
    Files.writeString(repo.resolve("kustomization.yaml"),
        "resources: [cm.yaml]\ntransformers:\n- |-\n  apiVersion: builtin\n  kind: LabelTransformer\n");
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> KustomizeLoader.of().withTool(Tools.kustomize()).load(snapshot()));
    assertTrue(e.problems().get(0).message().startsWith("transformers entry 'apiVersion: builtin\\nkind: LabelTransformer'"
        + " is not a file or folder of the repository"), e.getMessage());
  }

  private Snapshot snapshot() {
    DirectorySource source = DirectorySource.of(repo);
    return source.fetch(source.latest());
  }
}
