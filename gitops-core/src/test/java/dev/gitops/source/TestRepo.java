package dev.gitops.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/** A real Git repository with a working tree, made with JGit, that tests commit to. */
final class TestRepo implements AutoCloseable {
  private static final PersonIdent ME = new PersonIdent("Test Author", "author@example.com");
  private final Git git;
  private final Path dir;

  private TestRepo(Git git, Path dir) {
    this.git = git;
    this.dir = dir;
  }

  static TestRepo create(Path dir) throws GitAPIException {
    return new TestRepo(Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call(), dir);
  }

  /** The repository as a plain local path (what a user would type). */
  String url() {
    return dir.toString();
  }

  Git git() {
    return git;
  }

  Path dir() {
    return dir;
  }

  /** Writes the files (a null value deletes the file), stages everything and commits. */
  RevCommit commit(String message, Map<String, String> files) throws IOException, GitAPIException {
    for (Map.Entry<String, String> e : files.entrySet()) {
      Path p = dir.resolve(e.getKey());
      if (e.getValue() == null) {
        Files.deleteIfExists(p);
      } else {
        Files.createDirectories(p.getParent());
        Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
      }
    }
    git.add().addFilepattern(".").call();
    git.add().setUpdate(true).addFilepattern(".").call();
    return git.commit().setMessage(message).setAuthor(ME).setCommitter(ME).setSign(false).call();
  }

  void tag(String name, boolean annotated) throws GitAPIException {
    if (annotated) {
      git.tag().setName(name).setAnnotated(true).setMessage("release " + name).setTagger(ME).setSigned(false).call();
    } else {
      git.tag().setName(name).setAnnotated(false).setSigned(false).call();
    }
  }

  /** Moves the current branch back to {@code commit}, dropping what came after (a rewrite). */
  void resetHard(RevCommit commit) throws GitAPIException {
    git.reset().setMode(ResetCommand.ResetType.HARD).setRef(commit.name()).call();
  }

  @Override
  public void close() {
    git.close();
  }
}
