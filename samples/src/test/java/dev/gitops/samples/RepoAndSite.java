package dev.gitops.samples;

import dev.gitops.testing.git.GitRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** For command-line tests: an empty Git repository and the {@code dir:} site it deploys to, new for every test. */
abstract class RepoAndSite {
  @TempDir Path tmp;
  @AutoClose GitRepo repo;
  Path site;

  @BeforeEach
  void repositoryAndSite() throws Exception {
    repo = GitRepo.init(tmp.resolve("repo"));
    site = Files.createDirectories(tmp.resolve("site"));
  }

  /** {@return a named pipe (mkfifo) called {@code name} in the test's folder} */
  Path fifo(String name) throws Exception {
    Path path = tmp.resolve(name);
    org.junit.jupiter.api.Assertions.assertEquals(0, new ProcessBuilder("mkfifo", path.toString()).inheritIO().start()
        .waitFor(), "mkfifo");
    return path;
  }

  /**
   * Waits until a handler of {@code child} writes to the named pipe {@code entered}, or {@code child} ends.
   *
   * @return true when the handler wrote (it runs now), false when the child ended first
   */
  static boolean handlerEntered(Path entered, Process child) {
    java.util.concurrent.CompletableFuture<byte[]> handler = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return Files.readAllBytes(entered);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    java.util.concurrent.CompletableFuture.anyOf(handler, child.onExit()).join();
    return handler.isDone();
  }

  /** {@return {@code first}, then the repository's {@code site} path deployed to the site, owned by {@code web}} */
  String[] args(String... first) {
    return Cli.join(first, "--repo", repo.dir().toString(), "--path", "site", "--target", "dir:" + site, "--owner", "web");
  }
}
