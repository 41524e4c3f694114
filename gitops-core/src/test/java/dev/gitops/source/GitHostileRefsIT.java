package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Revision;
import dev.gitops.testing.git.GitRepo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refs a contributor can push that name no commit, or a commit reached another way: a branch or tag
 * on a tree or a blob, a chain of annotated tags, a branch moved back.
 */
class GitHostileRefsIT {
  @TempDir Path tmp;
  @AutoClose private GitRepo repo;
  private String head;

  @BeforeEach
  void setUp() {
    repo = GitRepo.init(tmp.resolve("remote"));
    head = repo.commit("a", Map.of("app.yaml", "a: 1\n"));
  }

  private GitSource source(String ref) {
    return GitSource.builder(repo.dir().toString()).ref(ref).cache(tmp.resolve("cache")).build();
  }

  private void setRef(String name, AnyObjectId id) throws Exception {
    RefUpdate update = repo.git().getRepository().updateRef(name);
    update.setNewObjectId(id);
    update.forceUpdate();
  }

  /** An annotated tag object of {@code target} (of {@code type}), named {@code name}. */
  private ObjectId tag(String name, AnyObjectId target, int type) throws Exception {
    Repository git = repo.git().getRepository();
    try (ObjectInserter in = git.newObjectInserter()) {
      TagBuilder tag = new TagBuilder();
      tag.setTag(name);
      tag.setObjectId(target, type);
      tag.setTagger(new PersonIdent("Tagger", "t@example.com"));
      tag.setMessage("tag " + name + "\n");
      ObjectId id = in.insert(tag);
      in.flush();
      return id;
    }
  }

  private RevCommit commit() throws Exception {
    try (RevWalk walk = new RevWalk(repo.git().getRepository())) {
      return walk.parseCommit(ObjectId.fromString(head));
    }
  }

  @Test
  void aBranchOnATreeIsRefusedNamingWhatItPointsAtWithoutRebuildingTheCache() throws Exception {
    setRef("refs/heads/tree", commit().getTree());
    try (GitSource source = source("tree")) {
      SourceException e = assertThrows(SourceException.class, source::latest);
      assertTrue(e.getMessage().endsWith("(ref tree): " + commit().getTree().name() + " is a tree, not a commit:"
          + " a ref to deploy names a commit, or an annotated tag of one"), e.getMessage());
      assertEquals(0, source.stats().cacheRebuilds(), "the cache is not to blame");
    }
  }

  @Test
  void aTagOnABlobAndAnAnnotatedTagOfATreeAreRefusedLikewise() throws Exception {
    ObjectId blob;
    try (ObjectInserter in = repo.git().getRepository().newObjectInserter()) {
      blob = in.insert(Constants.OBJ_BLOB, "not a commit\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
    }
    setRef("refs/tags/blob", blob);
    setRef("refs/tags/treetag", tag("treetag", commit().getTree(), Constants.OBJ_TREE));
    try (GitSource source = source("main")) {
      SourceException e = assertThrows(SourceException.class, () -> source.resolve("blob"));
      assertTrue(e.getMessage().endsWith(blob.name() + " is a blob, not a commit: a ref to deploy names a commit,"
          + " or an annotated tag of one"), e.getMessage());
      e = assertThrows(SourceException.class, () -> source.resolve("treetag"));
      assertTrue(e.getMessage().contains("is a tag of a tree, not a commit"), e.getMessage());
      e = assertThrows(SourceException.class, () -> source.resolve(commit().getTree().name()));
      assertTrue(e.getMessage().contains("is a tree, not a commit"), "a tree id given as the ref: " + e.getMessage());
      assertEquals(0, source.stats().cacheRebuilds());
      assertEquals(head, source.latest().id(), "the source still reads its branch");
    }
  }

  @Test
  void aChainOfAnnotatedTagsIsPeeledToItsCommit() throws Exception {
    ObjectId inner = tag("v1", commit(), Constants.OBJ_COMMIT);
    setRef("refs/tags/v1-signed-off", tag("v1-signed-off", inner, Constants.OBJ_TAG));
    try (GitSource source = source("v1-signed-off")) {
      Revision r = source.latest();
      assertEquals(head, r.id());
      assertEquals("a: 1\n", source.fetch(r).text("app.yaml"));
    }
  }

  @Test
  void aBranchMovedBackToAnOlderCommitIsFollowedLikeAnyMove() throws Exception {
    String second = repo.commit("b", Map.of("app.yaml", "a: 2\n"));
    try (GitSource source = source("main")) {
      assertEquals(second, source.latest().id());
      repo.resetHard(head); // a force push of an older commit: no new objects to fetch
      Revision back = source.latest();
      assertEquals(head, back.id());
      assertEquals("a: 1\n", source.fetch(back).text("app.yaml"));
    }
  }
}
