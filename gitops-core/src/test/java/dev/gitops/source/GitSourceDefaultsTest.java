package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defaults of a Git source: timeouts round up and are never 0 (JGit reads 0 as none); the cache is the user's. */
class GitSourceDefaultsTest {
  @TempDir Path cache;

  private int seconds(Duration timeout) {
    try (GitSource source = GitSource.builder("https://git.example.com/deploy.git").cache(cache)
        .timeout(timeout).build()) {
      return source.timeoutSeconds();
    }
  }

  @Test
  void aTimeoutBelowOneSecondIsOneSecondNeverNone() {
    assertEquals(1, seconds(Duration.ofMillis(500)));
    assertEquals(1, seconds(Duration.ofNanos(1)));
    assertEquals(2, seconds(Duration.ofMillis(1_001)));
    assertEquals(60, seconds(Duration.ofSeconds(60)));
  }

  @Test
  void theCacheDefaultsToTheUsersCacheDirectory() {
    try (GitSource source = GitSource.builder("https://git.example.com/deploy.git").build()) {
      Path dir = source.cacheDirectory();
      assertTrue(dir.startsWith(dev.gitops.internal.git.GitCache.userCacheDirectory()), dir.toString());
      assertFalse(dir.startsWith(Path.of(System.getProperty("java.io.tmpdir"))), dir.toString());
    }
  }

  @Test
  void aZeroOrNegativeTimeoutIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> seconds(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> seconds(Duration.ofSeconds(-1)));
  }
}
