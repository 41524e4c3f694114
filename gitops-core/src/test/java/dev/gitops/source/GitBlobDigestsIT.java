package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.internal.Digests;
import dev.gitops.model.Snapshot;
import dev.gitops.testing.git.GitRepo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Git source's blob digests outlive its process: the next source over the same cache directory takes
 * a file's SHA-256 from them instead of hashing its bytes again, and a blob the read refuses is never kept.
 */
class GitBlobDigestsIT {
  @TempDir Path tmp;

  private static ObjectId blob(String text) {
    return new ObjectInserter.Formatter().idFor(Constants.OBJ_BLOB, text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theNextSourceOverTheCacheTakesEachFilesDigestFromWhatTheLastOneKept() throws Exception {
    Path cache = tmp.resolve("cache");
    try (GitRepo repo = GitRepo.init(tmp.resolve("remote"))) {
      repo.commit("two files", Map.of("a.conf", "a = 1\n", "b.conf", "b = 2\n"));
      Path file;
      try (GitSource first = GitSource.builder(repo.dir().toString()).cache(cache).build()) {
        Snapshot s = first.fetch(first.latest());
        assertEquals(Digests.ofBytes("a = 1\n".getBytes(StandardCharsets.UTF_8)), s.file("a.conf").sha256());
        file = first.cacheDirectory().resolve(GitCache.DIGESTS);
      }
      BlobDigests kept = new BlobDigests(file);
      assertEquals(Digests.ofBytes("b = 2\n".getBytes(StandardCharsets.UTF_8)), kept.get(blob("b = 2\n")),
          "written when the source closed, by blob id");
      // a digest the bytes do not have: only a source that takes it from the file, not from hashing, gives it
      String planted = "sha256:" + "0".repeat(64);
      kept.put(blob("a = 1\n"), planted);
      kept.save();

      Snapshot kept2;
      try (GitSource next = GitSource.builder(repo.dir().toString()).cache(cache).build()) {
        Snapshot s = next.fetch(next.latest());
        assertEquals(planted, s.file("a.conf").sha256(), "taken from the cache, not hashed again");
        // and the bytes, read only when needed, are checked against it: other bytes are never handed
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.text("a.conf"));
        assertTrue(e.getMessage().contains(planted), e.getMessage());
        assertEquals(Digests.ofBytes("b = 2\n".getBytes(StandardCharsets.UTF_8)), s.file("b.conf").sha256());
        kept2 = s;
      }
      assertTrue(kept2.file("b.conf").isOnDemand(), "a blob whose digest was kept is read when needed");
      assertEquals("b = 2\n", kept2.text("b.conf"), "read after its source closed, from the cache's objects");
    }
  }

  @Test
  void aGitLfsPointerTheReadRefusesLeavesNoDigest() throws Exception {
    Path cache = tmp.resolve("cache");
    String pointer = "version https://git-lfs.github.com/spec/v1\n"
        + "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n";
    try (GitRepo repo = GitRepo.init(tmp.resolve("remote"))) {
      repo.commit("a pointer", Map.of("big.bin", pointer, "app.conf", "x = 1\n"));
      Path file;
      try (GitSource source = GitSource.builder(repo.dir().toString()).cache(cache).build()) {
        assertThrows(SourceException.class, () -> source.fetch(source.latest()));
        file = source.cacheDirectory().resolve(GitCache.DIGESTS);
      }
      BlobDigests kept = new BlobDigests(file);
      assertNull(kept.get(blob(pointer)), "a pointer is never a checked blob");
      assertEquals(Digests.ofBytes("x = 1\n".getBytes(StandardCharsets.UTF_8)), kept.get(blob("x = 1\n")));
    }
  }
}
