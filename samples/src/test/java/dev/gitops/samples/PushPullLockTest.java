package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.Outcome;
import dev.gitops.reconcile.AgentStatus;
import dev.gitops.reconcile.PullAgent;
import dev.gitops.reconcile.PushDeployer;
import dev.gitops.reconcile.ReconcileListener;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.GitSource;
import dev.gitops.ssh.FileTreeLoader;
import dev.gitops.ssh.FilesTarget;
import dev.gitops.testing.git.GitRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 7, end to end on a local directory: a push deploy and a pull agent on one target
 * at once. The push holds the target's lock through its apply; the agent's run meanwhile writes
 * nothing and waits, and converges once the push is done — the target never holds files of two
 * revisions when either has finished.
 */
class PushPullLockTest {
  private static final int FILES = 200;
  @TempDir Path tmp;

  @Test
  void pushAndPullAtOnceNeverMixRevisions() throws Exception {
    Path site = Files.createDirectories(tmp.resolve("site"));
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try (GitRepo repo = GitRepo.init(tmp.resolve("repo")); FilesTarget target = FilesTarget.local(site)) {
      for (int i = 0; i < FILES; i++) {
        repo.write(String.format("site/f%03d.txt", i), "A\n");
      }
      String a = repo.commit("A");
      for (int i = 0; i < FILES; i++) {
        repo.write(String.format("site/f%03d.txt", i), "B\n");
      }
      repo.commit("B");

      CountDownLatch midApply = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      ReconcileListener blocking = new ReconcileListener() {
        @Override
        public void applied(Outcome outcome) {
          midApply.countDown();
          await(release);
        }
      };
      CompletableFuture<ReconcileResult> push = CompletableFuture.supplyAsync(
          () -> PushDeployer.of(reconciler(repo, "web", a, target, blocking, "push")).deploy(a));
      assertTrue(midApply.await(2, TimeUnit.MINUTES), "the push started applying");

      PullAgent agent = PullAgent.builder(reconciler(repo, "web", "main", target, ReconcileListener.NONE,
          "pull")).interval(Duration.ofHours(1)).jitter(0).scheduler(scheduler).build().start();
      runsSoFar(scheduler);
      AgentStatus waiting = agent.status();
      assertEquals("Locked", waiting.condition(AgentStatus.Condition.Type.READY).reason(), waiting::toString);
      assertEquals(0, contents(site).getOrDefault("B\n", 0L), "the agent wrote nothing under the push's lock");

      release.countDown();
      assertTrue(push.get(2, TimeUnit.MINUTES).isSuccess());
      assertEquals(Map.of("A\n", (long) FILES), contents(site), "the push finished alone: revision A only");

      agent.triggerNow();
      runsSoFar(scheduler);
      assertTrue(agent.status().is(AgentStatus.Condition.Type.READY), agent.status()::toString);
      assertEquals(Map.of("B\n", (long) FILES), contents(site), "then the agent: revision B only");
      agent.stop();
    } finally {
      scheduler.shutdownNow();
    }
  }

  private static Reconciler reconciler(GitRepo repo, String name, String ref, FilesTarget target,
                                       ReconcileListener listener, String cache) {
    GitSource source = GitSource.builder(repo.dir().toString()).ref(ref).path("site")
        .cache(repo.dir().resolveSibling("cache-" + cache)).build();
    return Reconciler.builder().name(name).source(source).loader(FileTreeLoader.root()).target(target)
        .listener(listener).build();
  }

  /** Waits until every run the agent scheduled to start by now has ended (one thread, FIFO). */
  private static void runsSoFar(ScheduledExecutorService scheduler) throws Exception {
    scheduler.schedule(() -> { }, 0, TimeUnit.NANOSECONDS).get(2, TimeUnit.MINUTES);
  }

  /** How many files hold each content. */
  private static Map<String, Long> contents(Path site) throws Exception {
    try (Stream<Path> files = Files.list(site)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".txt"))
          .map(PushPullLockTest::read).collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(2, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
