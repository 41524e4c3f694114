package dev.gitops.testing.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * A real Git repository with a working tree in a test's directory, committed to with JGit: what a
 * {@code GitSource} under test reads from. Commits are reproducible: author and committer are fixed,
 * and the n-th commit is dated n seconds after 2026-01-01T00:00:00Z, so the same commits give the
 * same ids.
 *
 * <pre>{@code
 * try (GitRepo repo = GitRepo.init(tempDir.resolve("repo"))) {
 *   String first = repo.commit(Map.of("deploy/web.yaml", "kind: ConfigMap\n..."));
 *   Reconciler web = Reconciler.builder().source(GitSource.of(repo.url(), "main"))...;
 *   repo.write("deploy/web.yaml", "...").delete("deploy/old.yaml").commit("second");
 * }
 * }</pre>
 *
 * <p>JGit's own failures are rethrown unchecked: {@link UncheckedIOException} for I/O,
 * {@link IllegalStateException} (cause kept) for the rest. Not thread-safe.
 */
public final class GitRepo implements AutoCloseable {
  private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
  private final Path dir;
  private final Git git;
  private int commits;

  private GitRepo(Path dir, Git git) {
    this.dir = dir;
    this.git = git;
  }

  /**
   * A new repository with branch {@code main} checked out and no commit.
   *
   * @param dir the working tree (created if missing)
   * @return the repository; close it when done
   */
  public static GitRepo init(Path dir) {
    try {
      return new GitRepo(dir, Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call());
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The repository's {@code file://} URL.
   *
   * @return e.g. {@code file:///tmp/junit123/repo/}
   */
  public String url() {
    return dir.toUri().toString();
  }

  /**
   * The working tree; as a string, the repository's location as a user would type it.
   *
   * @return the directory given to {@link #init}
   */
  public Path dir() {
    return dir;
  }

  /**
   * JGit's porcelain on this repository, for what this class does not offer (branches, merges).
   *
   * @return the open repository; closed by {@link #close()}
   */
  public Git git() {
    return git;
  }

  /**
   * Writes a file into the working tree (parent directories created); commit it with
   * {@link #commit(String)}.
   *
   * @param path a path relative to the working tree, with {@code /} separators
   * @param text the content, written as UTF-8
   * @return this repository
   */
  public GitRepo write(String path, String text) {
    try {
      Path file = dir.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Deletes a file from the working tree if present; commit with {@link #commit(String)}.
   *
   * @param path a path relative to the working tree
   * @return this repository
   */
  public GitRepo delete(String path) {
    try {
      Files.deleteIfExists(dir.resolve(path));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stages every change in the working tree (new, changed and deleted files) and commits it.
   *
   * @param message the commit message
   * @return the new commit's id (40 hex digits)
   */
  public String commit(String message) {
    try {
      git.add().addFilepattern(".").call();
      git.add().addFilepattern(".").setUpdate(true).call();
      PersonIdent who = new PersonIdent("Test Author", "author@example.com", EPOCH.plusSeconds(++commits),
          ZoneOffset.UTC);
      return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call().getName();
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes {@code files} (a null content deletes the file) and commits everything.
   *
   * @param message the commit message
   * @param files paths relative to the working tree and their UTF-8 content, or null to delete
   * @return the new commit's id
   */
  public String commit(String message, Map<String, String> files) {
    files.forEach((path, text) -> {
      if (text == null) {
        delete(path);
      } else {
        write(path, text);
      }
    });
    return commit(message);
  }

  /**
   * Writes {@code files} and commits them with the message {@code commit <n>}.
   *
   * @param files paths relative to the working tree and their UTF-8 content, or null to delete
   * @return the new commit's id
   */
  public String commit(Map<String, String> files) {
    return commit("commit " + (commits + 1), files);
  }

  /**
   * Tags the current commit.
   *
   * @param name the tag's name, e.g. {@code v1.2.0}
   * @param annotated an annotated tag (with a tagger and message) rather than a lightweight one
   * @return this repository
   */
  public GitRepo tag(String name, boolean annotated) {
    try {
      if (annotated) {
        PersonIdent who = new PersonIdent("Test Author", "author@example.com", EPOCH.plusSeconds(commits),
            ZoneOffset.UTC);
        git.tag().setName(name).setAnnotated(true).setMessage("release " + name).setTagger(who)
            .setSigned(false).call();
      } else {
        git.tag().setName(name).setAnnotated(false).setSigned(false).call();
      }
      return this;
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Moves the current branch and working tree back to {@code commit}, dropping what came after (a
   * history rewrite, as a force push makes).
   *
   * @param commit a commit id
   * @return this repository
   */
  public GitRepo resetHard(String commit) {
    try {
      git.reset().setMode(ResetCommand.ResetType.HARD).setRef(commit).call();
      return this;
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Closes JGit's handle on the repository; the files stay. */
  @Override
  public void close() {
    git.close();
  }

  @Override
  public String toString() {
    return "GitRepo[" + dir + "]";
  }
}
