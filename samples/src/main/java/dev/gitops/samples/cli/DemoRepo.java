package dev.gitops.samples.cli;

import dev.gitops.GitOpsException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * The demo's Git repository, made from the example content shipped in the samples jar
 * ({@code demo/v1}, {@code demo/v2}, {@code demo/k8s}).
 */
final class DemoRepo implements AutoCloseable {
  private static final PersonIdent AUTHOR = new PersonIdent("gitops demo", "demo@gitops.dev");
  private final Path dir;
  private final Git git;

  private DemoRepo(Path dir, Git git) {
    this.dir = dir;
    this.git = git;
  }

  /** A new repository in {@code dir} with branch {@code main}. */
  static DemoRepo create(Path dir) {
    try {
      return new DemoRepo(dir, Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call());
    } catch (GitAPIException e) {
      throw new GitOpsException("cannot create the demo repository in " + dir + ": " + e.getMessage(), e);
    }
  }

  Path dir() {
    return dir;
  }

  /** Replaces {@code site/} with the shipped {@code version} (and adds {@code k8s/}), commits, returns the id. */
  String commit(String version, String message) {
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
      git.add().addFilepattern(".").call();
      git.add().addFilepattern(".").setUpdate(true).call();
      RevCommit c = git.commit().setMessage(message).setAuthor(AUTHOR).setCommitter(AUTHOR).call();
      return c.getName();
    } catch (IOException | GitAPIException e) {
      throw new GitOpsException("cannot commit to the demo repository: " + e.getMessage(), e);
    }
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
    git.close();
  }
}
