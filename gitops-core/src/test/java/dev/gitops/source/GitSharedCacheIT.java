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

/** Sources sharing one cache directory: two threads, and many paths of one repository. */
class GitSharedCacheIT {
  @TempDir Path tmp;

  @Test
  void sourcesOfManyPathsOfOneRepositoryReadItsRootTreeOncePerRevision() throws Exception {
    Path cache = tmp.resolve("cache");
    int apps = 40;
    try (GitRepo repo = GitRepo.init(tmp.resolve("remote"))) {
      for (int i = 0; i < apps; i++) {
        repo.write("app-" + i + "/app.yaml", "app: " + i + "\n");
      }
      repo.commit("apps");
      List<GitSource> sources = new ArrayList<>();
      try (GitCache shared = new GitCache(cache, RemoteUrl.parse(repo.dir().toString(), false).url())) {
        for (int i = 0; i < apps; i++) {
          sources.add(GitSource.builder(repo.dir().toString()).path("app-" + i).cache(cache).build());
        }
        for (int i = 0; i < apps; i++) {
          Snapshot s = sources.get(i).fetch(sources.get(i).latest());
          assertEquals("app: " + i + "\n", s.text("app.yaml"), "each source reads its own folder");
        }
        assertEquals(1, shared.trees().reads(), "the root tree, read once for " + apps + " sources");
        repo.write("app-0/app.yaml", "app: changed\n");
        repo.commit("one app changed");
        for (GitSource source : sources) {
          source.fetch(source.latest());
        }
        assertEquals(2, shared.trees().reads(), "and once more for the new revision");
      } finally {
        sources.forEach(GitSource::close);
      }
    }
  }

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
