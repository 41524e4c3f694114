package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Snapshot;
import dev.gitops.testing.git.GitRepo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two sources, two threads, one cache directory. */
class GitSharedCacheIT {
  @TempDir Path tmp;

  @Test
  void twoSourcesSharingACacheUnderTwoThreadsAgreeAndLeaveItHealthy() throws Exception {
    Path cache = tmp.resolve("cache");
    try (GitRepo repo = GitRepo.init(tmp.resolve("remote"));
        GitSource one = GitSource.builder(repo.dir().toString()).cache(cache).build();
        GitSource two = GitSource.builder(repo.dir().toString()).cache(cache).build()) {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        for (int round = 0; round < 8; round++) {
          String head = repo.commit("round " + round, Map.of("app.yaml", "round: " + round + "\n",
              "round-" + round + ".yaml", "x: " + round + "\n"));
          CyclicBarrier start = new CyclicBarrier(2);
          List<Future<Snapshot>> results = new ArrayList<>();
          for (GitSource source : List.of(one, two)) {
            Callable<Snapshot> poll = () -> {
              start.await();
              return source.fetch(source.latest());
            };
            results.add(pool.submit(poll));
          }
          Snapshot a = results.get(0).get();
          Snapshot b = results.get(1).get();
          assertEquals(head, a.revision().id());
          assertEquals(head, b.revision().id());
          assertEquals(a.digest(), b.digest());
          assertEquals("round: " + round + "\n", a.text("app.yaml"));
          assertEquals(round + 2, a.files().size());
        }
      } finally {
        pool.shutdownNow();
      }
      long fetches = one.stats().fetches() + two.stats().fetches();
      assertEquals(8, fetches, "the cache lock lets one source fetch each new commit; the other finds it");
      assertEquals(0, one.stats().cacheRebuilds() + two.stats().cacheRebuilds());
      try (Repository cached = new FileRepositoryBuilder().setGitDir(one.cacheDirectory().toFile()).build()) {
        assertTrue(GitCache.isHealthy(cached), "cache is readable after concurrent fetches");
      }
    }
  }
}
