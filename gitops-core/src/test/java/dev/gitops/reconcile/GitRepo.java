package dev.gitops.reconcile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TimeZone;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/** A real local Git repository in a test's temporary directory, committed to with JGit. */
final class GitRepo implements AutoCloseable {
  private final Path dir;
  private final Git git;
  private int commits;

  private GitRepo(Path dir, Git git) {
    this.dir = dir;
    this.git = git;
  }

  /** A new repository with branch {@code main} and no commit. */
  static GitRepo init(Path dir) {
    try {
      return new GitRepo(dir, Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call());
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code file://} URL of the repository. */
  String url() {
    return dir.toUri().toString();
  }

  /**
   * Writes {@code files} (a null content deletes the file) and commits them all; returns the commit
   * id.
   */
  String commit(Map<String, String> files) {
    try {
      for (Map.Entry<String, String> f : files.entrySet()) {
        Path path = dir.resolve(f.getKey());
        if (f.getValue() == null) {
          Files.deleteIfExists(path);
        } else {
          Files.createDirectories(path.getParent());
          Files.writeString(path, f.getValue(), StandardCharsets.UTF_8);
        }
      }
      git.add().addFilepattern(".").call();
      git.add().addFilepattern(".").setUpdate(true).call();
      PersonIdent who = new PersonIdent("Test", "test@example.com",
          Instant.parse("2026-01-01T00:00:00Z").plusSeconds(++commits), TimeZone.getTimeZone("UTC").toZoneId());
      return git.commit().setMessage("commit " + commits).setAuthor(who).setCommitter(who)
          .setSign(false).call().getName();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    git.close();
  }
}
