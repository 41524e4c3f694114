package dev.gitops.k8s.render;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Test helpers: the Kustomize on this machine (or a skip naming it), snapshots from text. */
final class Tools {
  private Tools() {}

  /** The Kustomize on the PATH; skips the test, naming both tools, when there is none. */
  static Kustomize kustomize() {
    var k = Kustomize.onPath();
    assumeTrue(k.isPresent(), "neither kustomize nor kubectl is on the PATH: Kustomize tests skipped");
    return k.orElseThrow();
  }

  /** A snapshot of path/text pairs. */
  static Snapshot snapshot(String... pathsAndTexts) {
    Map<String, Content.Bytes> files = new TreeMap<>();
    for (int i = 0; i < pathsAndTexts.length; i += 2) {
      files.put(pathsAndTexts[i], new Content.Bytes(pathsAndTexts[i + 1].getBytes(StandardCharsets.UTF_8),
          FileMode.REGULAR));
    }
    return Snapshot.of(Revision.of("sha256:test"), files);
  }

  /** An executable shell script at {@code dir/name}. */
  static Path script(Path dir, String name, String body) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    p.toFile().setExecutable(true);
    return p;
  }
}
