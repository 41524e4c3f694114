package dev.gitops.k8s.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Resource;
import dev.gitops.source.DirectorySource;
import dev.gitops.source.YamlReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The loader renders a kustomization as Kustomize alone renders it (the oracle: the real Kustomize
 * run on the same folder), though it adds origin annotations to it: Kustomize reads a kustomization
 * as YAML 1.1, so {@code 0o10} is 8, a plain {@code y} a boolean and {@code on:} no string key.
 */
class KustomizeAloneIT {
  private static final String DEPLOY = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        selector:
          matchLabels: {app: web}
        template:
          metadata:
            labels: {app: web}
          spec:
            containers:
            - name: c
              image: nginx
        """;

  @TempDir Path repo;

  @TestFactory
  Stream<DynamicTest> rendersWhatKustomizeAloneRenders() {
    return Stream.of(
        "resources: [deploy.yaml]\nreplicas:\n- name: web\n  count: 0o10\n",
        "resources: [deploy.yaml]\nnamespace: y\n",
        "resources: [deploy.yaml]\ncommonAnnotations:\n  on: v1\n",
        "resources: [deploy.yaml]\nimages:\n- name: nginx\n  newTag: n\n",
        "resources: [deploy.yaml]\nlabels:\n- pairs:\n    tier: 'on'\n    release: \"1.10\"\n",
        "resources: [deploy.yaml]\nconfigMapGenerator:\n- name: cm\n  literals: [a=yes, b=on, c=1.10]\n",
        "{\"resources\": [\"deploy.yaml\"], \"commonLabels\": {\"a\": \"yes\"}}",
        "{}",
        "{\"resources\": [\"deploy.yaml\"],\n \"namespace\": \"y\"}",
        "  resources:\n  - deploy.yaml\n  namePrefix: p-\n",
        "resources:\n- deploy.yaml\nbuildMetadata:\n- transformerAnnotations\n",
        "resources:\n- deploy.yaml\nbuildMetadata: [transformerAnnotations]\n",
        "resources:\n- deploy.yaml\nbuildMetadata: []\n",
        "resources:\n- deploy.yaml\ncommonAnnotations:\n  note: |+\n    kept",
        "# leading comment\n---\nresources:\n- deploy.yaml\n...\n")
        .map(k -> DynamicTest.dynamicTest(k.replace("\n", "\\n"), () -> rendersAsAlone(k)));
  }

  private void rendersAsAlone(String kustomization) throws Exception {
    Files.writeString(repo.resolve("kustomization.yaml"), kustomization);
    Files.writeString(repo.resolve("deploy.yaml"), DEPLOY);
    Kustomize kustomize = Tools.kustomize();
    Process p = new ProcessBuilder(kustomize.build(repo)).redirectErrorStream(false).start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    KustomizeLoader loader = KustomizeLoader.of().withTool(kustomize).withTimeout(Duration.ofMinutes(10));
    DirectorySource source = DirectorySource.of(repo);
    if (p.waitFor() != 0) {
      InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
          () -> loader.load(source.fetch(source.latest())));
      String alone = err.substring(err.indexOf("err=\"") + 5, err.lastIndexOf('"')).replace("\\\"", "\"");
      alone = alone.substring(alone.lastIndexOf(": ") + 2); // its object dump holds our entry
      assertTrue(e.problems().get(0).message().endsWith(alone), e.problems() + " vs " + alone);
      return;
    }
    DesiredState state = loader.load(source.fetch(source.latest()));
    TreeSet<String> ours = new TreeSet<>();
    for (Resource r : state.resources()) {
      ours.add(((Content.Tree) r.content()).node().toString());
      if (r.id().kind().equals("Deployment")) {
        assertEquals("deploy.yaml", r.origin().file(), "the origin annotation was added");
      }
    }
    TreeSet<String> theirs = new TreeSet<>();
    for (RenderedDocs.Doc d : RenderedDocs.split(out)) {
      ObjectNode tree = (ObjectNode) YamlReader.yaml11().read("out", d.data(), new ArrayList<>()).get(0).tree();
      if (!tree.path("metadata").has("namespace")) {
        ((ObjectNode) tree.get("metadata")).put("namespace", "default"); // as the loader defaults it
      }
      theirs.add(tree.toString());
    }
    assertEquals(theirs, ours);
  }

  @org.junit.jupiter.api.Test
  void aKustomizationThatAsksForOriginsOrCannotTakeThemIsLeftAsWritten() {
    for (String k : new String[] {"buildMetadata: [originAnnotations]\n", "buildMetadata: {}\n", "- a\n", "a: [\n"}) {
      assertNull(Kustomizations.withOriginAnnotations(
          dev.gitops.source.LoaderContract.snapshot("kustomization.yaml", k), "kustomization.yaml"), k);
    }
  }
}
