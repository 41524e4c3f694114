package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import dev.gitops.testing.git.GitRepo;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GitSource#prepare}: the first resolve of the ref and the fetch of its revision, done ahead on a
 * thread of their own, are taken by the caller's own calls instead of done again; anything else, and a
 * failure ahead, is the caller's call's to do and report.
 */
class GitSourcePrepareIT {
  @TempDir Path tmp;

  private GitSource source(GitRepo repo) {
    return GitSource.builder(repo.dir().toString()).cache(tmp.resolve("cache")).build();
  }

  @Test
  void theCallersResolveAndFetchTakeWhatWasPreparedAndTheNextOnesAskAgain() throws Exception {
    try (GitRepo repo = GitRepo.init(tmp.resolve("remote"))) {
      repo.commit("one", Map.of("a.conf", "a = 1\n"));
      try (GitSource source = source(repo)) {
        source.prepare("main");
        Revision revision = source.resolve("main");
        Snapshot files = source.fetch(revision);
        assertEquals("a = 1\n", files.text("a.conf"));
        assertEquals(1, source.stats().polls(), "one ref advertisement: the one made ahead");

        repo.commit("two", Map.of("a.conf", "a = 2\n"));
        Revision next = source.resolve("main");
        assertEquals(2, source.stats().polls(), "taken once: the next resolve asks the remote");
        assertEquals("a = 2\n", source.fetch(next).text("a.conf"));
      }
    }
  }

  @Test
  void anotherRefIsResolvedByTheCallerAndAFailureAheadIsTheCallersToReport() throws Exception {
    try (GitRepo repo = GitRepo.init(tmp.resolve("remote"))) {
      repo.commit("one", Map.of("a.conf", "a = 1\n"));
      try (GitSource source = source(repo)) {
        source.prepare("main");
        long until = System.nanoTime() + 30_000_000_000L; // a safety net: the read ahead takes milliseconds
        while (source.stats().polls() == 0 && System.nanoTime() < until) {
          Thread.sleep(5); // the ref advertisement made ahead, so that the count below is not a race
        }
        assertEquals("a = 1\n", source.fetch(source.resolve("HEAD")).text("a.conf"));
        assertEquals(2, source.stats().polls(), "HEAD was not what was prepared: asked again");
      }
      try (GitSource source = source(repo)) {
        source.prepare("no-such-branch");
        SourceException e = assertThrows(SourceException.class, () -> source.resolve("no-such-branch"));
        assertTrue(e.getMessage().contains("no-such-branch"), e.getMessage());
        assertEquals(2, source.stats().polls(), "the caller's own call, after the one that failed ahead");
      }
    }
  }

  @Test
  void closingWhilePreparingWaitsForItAndLeavesTheCacheReadable() throws Exception {
    try (GitRepo repo = GitRepo.init(tmp.resolve("remote"))) {
      repo.commit("one", Map.of("a.conf", "a = 1\n"));
      try (GitSource source = source(repo)) {
        source.prepare("main");
      }
      try (GitSource source = source(repo)) {
        assertEquals("a = 1\n", source.fetch(source.latest()).text("a.conf"));
      }
    }
  }
}
