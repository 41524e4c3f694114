package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Git cache holds every file of the repository: it lives in the user's cache directory, 0700. */
class GitCacheTest {
  @TempDir Path tmp;

  @Test
  void theDefaultIsTheUsersCacheDirectoryNeverTheSharedTemporaryDirectory() {
    assertEquals(Path.of("/home/ann/.cache/gitops/git"), GitCache.userCacheDirectory(Map.of(), "/home/ann"));
    assertEquals(Path.of("/xdg/cache/gitops/git"),
        GitCache.userCacheDirectory(Map.of("XDG_CACHE_HOME", "/xdg/cache"), "/home/ann"));
    assertEquals(Path.of("/home/ann/.cache/gitops/git"),
        GitCache.userCacheDirectory(Map.of("XDG_CACHE_HOME", "relative/cache"), "/home/ann"),
        "a relative XDG_CACHE_HOME is ignored, as the XDG spec says");
  }

  @Test
  void directoriesTheCacheCreatesAreReadableByTheUserOnly() throws Exception {
    Path dir = tmp.resolve("cache").resolve("git");
    try (GitCache cache = new GitCache(dir, "https://git.example.com/deploy.git")) {
      cache.open();
    }
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.getParent())));
  }

  @Test
  void cachesOfOneDirectoryShareOneRepositoryUntilTheLastCloses() throws Exception {
    Path dir = tmp.resolve("shared");
    GitCache a = new GitCache(dir, "https://git.example.com/apps.git");
    GitCache b = new GitCache(dir, "https://git.example.com/apps.git");
    Repository first = a.open();

    assertSame(first, b.open(), "one repository (one pack index in memory) for both");
    try (GitCache other = new GitCache(dir, "https://git.example.com/other.git")) {
      assertNotSame(first, other.open(), "another remote, another repository");
    }
    a.close();
    a.close(); // harmless
    assertSame(first, b.open(), "still open for b");
    b.close();
    try (GitCache c = new GitCache(dir, "https://git.example.com/apps.git")) {
      assertNotSame(first, c.open(), "closed with the last cache; a new cache opens it afresh");
    }
  }
}
