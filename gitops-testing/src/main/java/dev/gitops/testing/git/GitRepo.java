package dev.gitops.testing.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * A real Git repository with a working tree in a test's directory, committed to with JGit: what a
 * {@code GitSource} under test reads from. Commits are reproducible: author and committer are fixed,
 * and the n-th commit is dated n seconds after 2026-01-01T00:00:00Z, so the same commits give the
 * same ids.
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
   * {@return a new repository with branch {@code main} checked out and no commit; close it when done}
   *
   * @param dir the working tree (created if missing)
   */
  public static GitRepo init(Path dir) {
    return new GitRepo(dir, call(() -> Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()));
  }

  /** {@return the repository's {@code file://} URL, e.g. {@code file:///tmp/junit123/repo/}} */
  public String url() {
    return dir.toUri().toString();
  }

  /** {@return the working tree given to {@link #init}: as a string, the location a user would type} */
  public Path dir() {
    return dir;
  }

  /** {@return JGit's porcelain on this repository, for what this class does not offer; closed by {@link #close()}} */
  public Git git() {
    return git;
  }

  /**
   * {@return this repository, with {@code text} written to {@code path} in the working tree (parents
   * created); commit it with {@link #commit(String)}}
   *
   * @param path a path relative to the working tree, with {@code /} separators
   * @param text the content, written as UTF-8; null deletes the file if present
   */
  public GitRepo write(String path, String text) {
    try {
      Path file = dir.resolve(path);
      if (text == null) {
        Files.deleteIfExists(file);
      } else {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@return this repository, {@code path} deleted from the working tree if present}
   *
   * @param path a path relative to the working tree
   */
  public GitRepo delete(String path) {
    return write(path, null);
  }

  /**
   * {@return the id of a new commit of every change in the working tree (new, changed, deleted files)}
   *
   * @param message the commit message
   */
  public String commit(String message) {
    call(git.add().addFilepattern("."));
    PersonIdent who = author(++commits);
    return call(git.commit().setAll(true).setMessage(message).setAuthor(who).setCommitter(who).setSign(false))
        .getName();
  }

  /**
   * {@return the id of a new commit of {@code files}, written as {@link #write} does, and every other change}
   *
   * @param message the commit message
   * @param files paths relative to the working tree and their UTF-8 content, or null to delete
   */
  public String commit(String message, Map<String, String> files) {
    files.forEach(this::write);
    return commit(message);
  }

  /**
   * {@return the id of a new commit {@code commit <n>} of {@code files}, as {@link #commit(String, Map)}}
   *
   * @param files paths relative to the working tree and their UTF-8 content, or null to delete
   */
  public String commit(Map<String, String> files) {
    return commit("commit " + (commits + 1), files);
  }

  /**
   * {@return this repository, its current commit tagged {@code name}}
   *
   * @param name the tag's name, e.g. {@code v1.2.0}
   * @param annotated an annotated tag (with a tagger and message) rather than a lightweight one
   */
  public GitRepo tag(String name, boolean annotated) {
    call(git.tag().setName(name).setAnnotated(annotated).setMessage(annotated ? "release " + name : null)
        .setTagger(annotated ? author(commits) : null).setSigned(false));
    return this;
  }

  /**
   * {@return this repository, its branch and working tree moved back to {@code commit} (a history
   * rewrite, as a force push makes)}
   *
   * @param commit a commit id
   */
  public GitRepo resetHard(String commit) {
    call(git.reset().setMode(ResetCommand.ResetType.HARD).setRef(commit));
    return this;
  }

  private static <T> T call(Callable<T> command) {
    try {
      return command.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) { // JGit's GitAPIException: its commands are Callables
      throw new IllegalStateException(e);
    }
  }

  private static PersonIdent author(int seconds) {
    return new PersonIdent("Test Author", "author@example.com", EPOCH.plusSeconds(seconds), ZoneOffset.UTC);
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
