package dev.gitops.k8s.render;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helpers: the Kustomize on this machine (or a skip naming it), shell scripts. */
final class Tools {
  private Tools() {}

  /** The Kustomize on the PATH; skips the test, naming both tools, when there is none. */
  static Kustomize kustomize() {
    var k = Kustomize.onPath();
    assumeTrue(k.isPresent(), "neither kustomize nor kubectl is on the PATH: Kustomize tests skipped");
    return k.orElseThrow();
  }

  /** An executable shell script at {@code dir/name}. */
  static Path script(Path dir, String name, String body) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    p.toFile().setExecutable(true);
    return p;
  }
}
