package dev.gitops.testing.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitRepoTest {
  @TempDir Path tmp;

  @Test
  void commitsWhatIsWrittenAndWhatIsDeletedOnMain() throws Exception {
    try (GitRepo repo = GitRepo.init(tmp.resolve("a"))) {
      String first = repo.commit(Map.of("deploy/a.conf", "a\n", "deploy/b.conf", "b\n"));
      Map<String, String> change = new HashMap<>();
      change.put("deploy/a.conf", null);
      change.put("c.conf", "c\n");
      String second = repo.commit("second", change);

      assertNotEquals(first, second);
      assertEquals(second, repo.git().getRepository().resolve("refs/heads/main").name());
      assertEquals(Map.of("c.conf", "c\n", "deploy/b.conf", "b\n"), files(repo, second));
      assertEquals(Map.of("deploy/a.conf", "a\n", "deploy/b.conf", "b\n"), files(repo, first));
    }
  }

  @Test
  void theSameCommitsGiveTheSameIds() {
    try (GitRepo one = GitRepo.init(tmp.resolve("one")); GitRepo two = GitRepo.init(tmp.resolve("two"))) {
      assertEquals(one.write("x", "1").commit("c"), two.write("x", "1").commit("c"));
      assertEquals(one.write("x", "2").commit("c"), two.write("x", "2").commit("c"));
    }
  }

  @Test
  void tagsAndRewrites() throws Exception {
    try (GitRepo repo = GitRepo.init(tmp.resolve("r"))) {
      String first = repo.write("f", "1").commit("one");
      repo.tag("v1.0.0", true).tag("light", false);
      repo.write("f", "2").commit("two");
      repo.resetHard(first);

      assertEquals(first, repo.git().getRepository().resolve("HEAD").name());
      assertEquals("1", Files.readString(repo.dir().resolve("f")));
      Ref annotated = repo.git().getRepository().exactRef(Constants.R_TAGS + "v1.0.0");
      assertNotEquals(first, annotated.getObjectId().name(), "an annotated tag is a tag object");
      assertEquals(first, repo.git().getRepository().exactRef(Constants.R_TAGS + "light").getObjectId().name());
      assertTrue(repo.url().startsWith("file:/"), repo.url());
      repo.delete("f").delete("never-there");
      assertFalse(Files.exists(repo.dir().resolve("f")));
    }
  }

  private static Map<String, String> files(GitRepo repo, String commit) throws Exception {
    Map<String, String> out = new HashMap<>();
    var r = repo.git().getRepository();
    try (RevWalk walk = new RevWalk(r); TreeWalk tree = new TreeWalk(r)) {
      RevCommit c = walk.parseCommit(r.resolve(commit));
      tree.addTree(c.getTree());
      tree.setRecursive(true);
      while (tree.next()) {
        out.put(tree.getPathString(), new String(r.open(tree.getObjectId(0)).getBytes()));
      }
    }
    return out;
  }
}
