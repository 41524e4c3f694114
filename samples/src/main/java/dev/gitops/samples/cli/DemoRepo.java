package dev.gitops.samples.cli;

import dev.gitops.GitOpsException;
import dev.gitops.testing.git.GitRepo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo's Git repository (gitops-testing's {@link GitRepo}: reproducible commits, never signed), made
 * from the example content shipped in the samples jar ({@code demo/v1}, {@code demo/v2}, {@code demo/k8s}).
 */
final class DemoRepo implements AutoCloseable {
  private final GitRepo repo;

  private DemoRepo(GitRepo repo) {
    this.repo = repo;
  }

  /** A new repository in {@code dir} with branch {@code main}. */
  static DemoRepo create(Path dir) {
    return new DemoRepo(GitRepo.init(dir));
  }

  /** Replaces {@code site/} with the shipped {@code version} (and adds {@code k8s/}), commits, returns the id. */
  String commit(String version, String message) {
    Path dir = repo.dir();
    try {
      deleteTree(dir.resolve("site"));
      for (String path : index()) {
        String target = path.startsWith(version + "/") ? path.substring(version.length() + 1)
            : path.startsWith("k8s/") ? path : null;
        if (target != null) {
          Path file = dir.resolve(target);
          Files.createDirectories(file.getParent());
          try (InputStream in = resource(path)) {
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          }
          file.toFile().setExecutable(target.endsWith(".sh"));
        }
      }
    } catch (IOException e) {
      throw new GitOpsException("cannot write the demo repository: " + e.getMessage(), e);
    }
    return repo.commit(message);
  }

  private static List<String> index() throws IOException {
    try (InputStream in = resource("files.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
  }

  private static InputStream resource(String path) throws IOException {
    InputStream in = DemoRepo.class.getResourceAsStream("/demo/" + path);
    if (in == null) {
      throw new IOException("the samples jar lacks demo/" + path);
    }
    return in;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Override
  public void close() {
    repo.close();
  }
}
