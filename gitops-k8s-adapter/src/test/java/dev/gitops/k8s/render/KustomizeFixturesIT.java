package dev.gitops.k8s.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.k8s.ManifestLoader;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.model.Snapshot;
import dev.gitops.source.DirectorySource;
import dev.gitops.source.LoaderContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every kustomization in {@code ../shared/fixtures/k8s} loads to exactly the objects
 * {@code kubectl kustomize} (or {@code kustomize build}) prints for the same folder, run directly on
 * the fixture, parsed by the plain loader: the oracle shares neither the private copy, the origin
 * annotations nor their stripping. Folders Kustomize refuses fail with one problem naming the
 * kustomization file.
 */
class KustomizeFixturesIT {
  @TestFactory
  Stream<DynamicTest> everyFixtureKustomizationRendersAsKustomizeDoes() throws IOException {
    Kustomize kustomize = Tools.kustomize();
    Path fixtures = dev.gitops.k8s.Fixtures.k8s();
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> sets = Files.list(fixtures)) {
      for (Path set : sets.filter(Files::isDirectory).sorted().toList()) {
        try (Stream<Path> all = Files.walk(set)) {
          for (Path k : all.filter(p -> Kustomizations.NAMES.contains(p.getFileName().toString())).sorted().toList()) {
            String folder = set.relativize(k.getParent()).toString();
            tests.add(DynamicTest.dynamicTest(set.getFileName() + "/" + folder, () -> check(kustomize, set, folder)));
          }
        }
      }
    }
    assertFalse(tests.isEmpty(), "no kustomization found under " + fixtures);
    return tests.stream();
  }

  private static void check(Kustomize kustomize, Path set, String folder) throws IOException {
    Snapshot snapshot = snapshot(set);
    KustomizeLoader loader = KustomizeLoader.of().withTool(kustomize).withFolder(folder)
        .withTimeout(java.time.Duration.ofMinutes(10));
    Direct direct = Direct.run(kustomize, set.resolve(folder));
    if (direct.exit() != 0) {
      InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class, () -> loader.load(snapshot));
      assertEquals(1, e.problems().size(), e.getMessage());
      assertEquals(Kustomizations.in(snapshot, folder), e.problems().get(0).file(), e.getMessage());
      assertTrue(e.getMessage().contains(kustomize + " failed: "), e.getMessage());
      return;
    }
    DesiredState expected = new ManifestLoader().load(LoaderContract.snapshot("out.yaml", direct.stdout()));
    DesiredState actual = loader.load(snapshot);
    assertEquals(expected.byId().keySet(), actual.byId().keySet());
    for (Map.Entry<ResourceId, Resource> e : expected.byId().entrySet()) {
      Resource got = actual.get(e.getKey());
      assertEquals(((Content.Tree) e.getValue().content()).node(), ((Content.Tree) got.content()).node(),
          e.getKey().toString());
      assertOriginIsReal(snapshot, got);
    }
  }

  /** The origin names a file of the snapshot and a line in it, and the file declares the kind. */
  static void assertOriginIsReal(Snapshot snapshot, Resource r) {
    String text = snapshot.text(r.origin().file());
    assertNotNull(text, r.id() + " at " + r.origin() + ": not a file of the snapshot");
    int lines = text.split("\n", -1).length;
    assertTrue(r.origin().line() >= 1 && r.origin().line() <= lines, r.id() + " at " + r.origin());
    if (!Kustomizations.isKustomization(r.origin().file())) {
      assertTrue(text.contains("kind: " + r.id().kind()), r.id() + " at " + r.origin());
    }
  }

  private static Snapshot snapshot(Path set) {
    DirectorySource source = DirectorySource.of(set);
    return source.fetch(source.latest());
  }

  /** Kustomize run straight on the fixture folder, as a user would. */
  private record Direct(int exit, String stdout) {
    static Direct run(Kustomize k, Path dir) throws IOException {
      List<String> argv = new ArrayList<>(List.of(k.executable().toString()));
      argv.add(k.toString().startsWith("kubectl") ? "kustomize" : "build");
      argv.add(dir.toString());
      Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      try {
        return new Direct(p.waitFor(), out);
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
    }
  }
}
