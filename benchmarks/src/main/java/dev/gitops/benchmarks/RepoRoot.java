package dev.gitops.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the checkout's root and the shared Kubernetes fixtures beside it.
 *
 * <p>The fixtures live in {@code shared/fixtures/k8s}, a sibling of the repository (or inside it);
 * they are read in place at run time and never copied into the project. Stateless.
 */
public final class RepoRoot {
  private RepoRoot() {
  }

  /**
   * Walks up from {@code start} to the first directory that has {@code shared/fixtures/k8s}.
   *
   * @param start where to begin, e.g. the repository root or {@code user.dir}
   * @return the fixture directory, or empty when there is none above {@code start}
   */
  public static Optional<Path> k8sFixtures(Path start) {
    for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared/fixtures/k8s");
      if (Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Like {@link #k8sFixtures(Path)} from {@code user.dir}.
   *
   * @return the fixture directory, or empty when absent
   */
  public static Optional<Path> k8sFixtures() {
    return k8sFixtures(Path.of(System.getProperty("user.dir")));
  }
}
