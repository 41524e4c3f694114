package dev.gitops.k8s.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Origin;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.model.Snapshot;
import dev.gitops.source.DirectorySource;
import dev.gitops.source.LoaderContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kustomize loader on a test overlay repository: origins, safety, errors, the render cache. */
class KustomizeLoaderIT {
  @TempDir Path repo;
  @TempDir Path bin;

  private Snapshot snapshot() {
    DirectorySource source = DirectorySource.of(repo);
    return source.fetch(source.latest());
  }

  private KustomizeLoader loader(String folder) {
    return KustomizeLoader.of().withTool(Tools.kustomize()).withFolder(folder).withTimeout(Duration.ofMinutes(10));
  }

  @Test
  void overlayResourcesPointAtTheirBaseFilesAndLinesWithoutTheOriginAnnotation() throws IOException {
    Overlay.write(repo, "blue", "hunter2");
    DesiredState state = loader("overlays/staging").load(snapshot());

    Resource deploy = state.get(new ResourceId("apps", "Deployment", "staging", "staging-web"));
    assertEquals(new Origin("base/deploy.yaml", 2), deploy.origin());
    assertEquals(2, ((Content.Tree) deploy.content()).node().at("/spec/replicas").asInt());
    assertTrue(((Content.Tree) deploy.content()).node().at("/metadata/annotations").isMissingNode(),
        deploy.content().toString());
    assertEquals(new Origin("base/service.yaml", 1),
        state.get(ResourceId.of("Service", "staging", "staging-web")).origin());
    assertEquals(new Origin("base/service.yaml", 11),
        state.get(ResourceId.of("ServiceAccount", "staging", "staging-web")).origin());
    Resource config = state.resources().stream().filter(r -> r.id().kind().equals("ConfigMap")).findFirst().orElseThrow();
    assertTrue(config.id().name().startsWith("staging-web-config-"), config.id().toString());
    assertEquals(new Origin("base/kustomization.yaml", 5), config.origin());
    Resource secret = state.resources().stream().filter(r -> r.id().kind().equals("Secret")).findFirst().orElseThrow();
    assertEquals(new Origin("base/kustomization.yaml", 9), secret.origin());
    for (Resource r : state.resources()) {
      KustomizeFixturesIT.assertOriginIsReal(snapshot(), r);
    }
  }

  @Test
  void remoteBaseIsRefusedBeforeKustomizeRunsNamingFileAndLine() throws IOException {
    Files.writeString(repo.resolve("kustomization.yaml"), """
        resources:
        - deploy.yaml
        - https://github.com/kubernetes-sigs/kustomize//examples/multibases?ref=v1.0.6
        """);
    Files.writeString(repo.resolve("deploy.yaml"), Overlay.DEPLOY);
    KustomizeLoader loader = KustomizeLoader.of().withTool(Kustomize.at(bin.resolve("kustomize-never-run")));
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class, () -> loader.load(snapshot()));
    Problem p = e.problems().get(0);
    assertEquals("kustomization.yaml", p.file());
    assertEquals(3, p.line());
    assertTrue(p.message().contains("remote bases and resources are refused"), p.toString());
    assertEquals(0, loader.renders());
  }

  @Test
  void baseOutsideTheRepositoryIsRefusedToo() throws IOException {
    Files.createDirectories(repo.resolve("app"));
    Files.writeString(repo.resolve("app/kustomization.yaml"), "resources:\n- ../../elsewhere\n");
    KustomizeLoader loader = KustomizeLoader.of().withTool(Kustomize.at(bin.resolve("kustomize-never-run")))
        .withFolder("app");
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class, () -> loader.load(snapshot()));
    assertEquals("app/kustomization.yaml:2", e.problems().get(0).file() + ":" + e.problems().get(0).line());
  }

  @Test
  void aRenderPastTheTimeoutIsStoppedAndNamed() throws IOException {
    Files.writeString(repo.resolve("kustomization.yaml"), "resources: []\n");
    Path slow = Tools.script(bin, "kustomize", "exec sleep 600");
    KustomizeLoader loader = KustomizeLoader.of().withTool(Kustomize.at(slow)).withTimeout(Duration.ofMillis(300));
    RenderException e = assertThrows(RenderException.class, () -> loader.load(snapshot()));
    assertTrue(e.getMessage().contains("kustomize did not finish within 300 ms"), e.getMessage());
  }

  @Test
  void kustomizesStderrIsQuotedEscaped() throws IOException {
    Files.writeString(repo.resolve("kustomization.yaml"), "resources: []\n");
    Path bad = Tools.script(bin, "kustomize", "printf 'Error: file \\033[2J\\033]0;owned\\007 not found\\n' >&2; exit 1");
    KustomizeLoader loader = KustomizeLoader.of().withTool(Kustomize.at(bad));
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class, () -> loader.load(snapshot()));
    assertEquals("kustomize failed: file \\x1b[2J\\x1b]0;owned\\x07 not found", e.problems().get(0).message());
  }

  @Test
  void missingToolIsNamedWithWhatToDo() throws IOException {
    Files.writeString(repo.resolve("kustomization.yaml"), "resources: []\n");
    KustomizeLoader loader = KustomizeLoader.of().withTool(Kustomize.at(bin.resolve("kubectl")));
    RenderException e = assertThrows(RenderException.class, () -> loader.load(snapshot()));
    assertTrue(e.getMessage().startsWith("kubectl kustomize could not be started (" + bin.resolve("kubectl")),
        e.getMessage());
    assertTrue(e.getMessage().contains("KustomizeLoader.withTool"), e.getMessage());
  }

  @Test
  void kustomizeErrorIsOneProblemNamingTheKustomizationAndKustomizesMessage() throws IOException {
    Files.writeString(repo.resolve("kustomization.yaml"), "resources:\n- missing.yaml\n");
    Files.writeString(repo.resolve("other.yaml"), "x: 1\n");
    KustomizeLoader loader = loader("").allowingRemote();
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class, () -> loader.load(snapshot()));
    assertEquals(1, e.problems().size(), e.getMessage());
    Problem p = e.problems().get(0);
    assertEquals("kustomization.yaml", p.file());
    assertTrue(p.message().contains("failed: ") && p.message().contains("missing.yaml"), p.message());
    assertFalse(p.message().contains("gitops-render-"), "the private copy's path leaked: " + p.message());
  }

  @Test
  void unchangedSnapshotIsNotRenderedAgain() throws IOException {
    Overlay.write(repo, "blue", "hunter2");
    KustomizeLoader loader = loader("overlays/production");
    DesiredState first = loader.load(snapshot());
    DesiredState again = loader.load(snapshot());
    assertEquals(1, loader.renders());
    assertEquals(first, again);
    Overlay.write(repo, "green", "hunter2");
    DesiredState changed = loader.load(snapshot());
    assertEquals(2, loader.renders());
    assertFalse(first.byId().keySet().equals(changed.byId().keySet()), "the generator's hash suffix changed");
  }

  @Test
  void folderWithoutKustomizationIsAProblem() throws IOException {
    Files.writeString(repo.resolve("deploy.yaml"), Overlay.DEPLOY);
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> KustomizeLoader.of().load(snapshot()));
    assertTrue(e.getMessage().contains("no kustomization.yaml"), e.getMessage());
  }

  @Test
  void execPluginIsNotRun() throws IOException {
    Path marker = bin.resolve("plugin-ran");
    Files.writeString(repo.resolve("kustomization.yaml"), "resources:\n- deploy.yaml\ntransformers:\n- fn.yaml\n");
    Files.writeString(repo.resolve("deploy.yaml"), Overlay.DEPLOY);
    Files.writeString(repo.resolve("fn.yaml"), """
        apiVersion: example.com/v1
        kind: Evil
        metadata:
          name: evil
          annotations:
            config.kubernetes.io/function: |
              exec:
                path: ./evil.sh
        """);
    Files.writeString(repo.resolve("evil.sh"), "#!/bin/sh\ntouch " + marker + "\ncat\n");
    repo.resolve("evil.sh").toFile().setExecutable(true);
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class, () -> loader("").load(snapshot()));
    assertEquals("kustomization.yaml", e.problems().get(0).file(), e.getMessage());
    assertFalse(Files.exists(marker), "the exec plug-in ran");
  }

  @Test
  void snapshotPathLeavingTheCopyIsRefused() {
    Snapshot bad = LoaderContract.snapshot("kustomization.yaml", "resources: []\n", "a/../../escape.yaml", "x: 1\n");
    RenderException e = assertThrows(RenderException.class,
        () -> KustomizeLoader.of().withTool(Kustomize.at(bin.resolve("kustomize-never-run"))).load(bad));
    assertTrue(e.getMessage().contains("refusing to render a snapshot with the path 'a/../../escape.yaml'"),
        e.getMessage());
    Snapshot shown = LoaderContract.snapshot("kustomization.yaml", "resources: []\n", "\u001b[2J/../../x.yaml", "x\n");
    RenderException escaped = assertThrows(RenderException.class,
        () -> KustomizeLoader.of().withTool(Kustomize.at(bin.resolve("kustomize-never-run"))).load(shown));
    assertTrue(escaped.getMessage().endsWith("with the path '\\x1b[2J/../../x.yaml'"), escaped.getMessage());
  }
}
