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
      return source.config().timeoutSeconds();
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
      assertTrue(dir.startsWith(dev.gitops.source.GitCache.userCacheDirectory()), dir.toString());
      assertFalse(dir.startsWith(Path.of(System.getProperty("java.io.tmpdir"))), dir.toString());
    }
  }

  @Test
  void aZeroOrNegativeTimeoutIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> seconds(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> seconds(Duration.ofSeconds(-1)));
  }

  @Test
  void aWholeCallIsBoundedByFiveMinutesUnlessToldOtherwise() {
    try (GitSource source = GitSource.builder("https://git.example.com/deploy.git").cache(cache).build()) {
      assertEquals(Duration.ofMinutes(5), source.config().callTimeout());
    }
    try (GitSource source = GitSource.builder("https://git.example.com/deploy.git").cache(cache)
        .callTimeout(Duration.ofMillis(1_500)).build()) {
      assertEquals(Duration.ofMillis(1_500), source.config().callTimeout(), "not rounded: it is no JGit timeout");
    }
    assertThrows(IllegalArgumentException.class, () -> GitSource.builder("https://git.example.com/deploy.git")
        .callTimeout(Duration.ZERO));
    assertThrows(NullPointerException.class, () -> GitSource.builder("https://git.example.com/deploy.git")
        .callTimeout(null));
  }

  @Test
  void aMissingOrPublicKeyFileIsRefusedNamingTheFile() throws Exception {
    Path missing = cache.resolve("id_ed25519");
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> GitSource.builder("ssh://git@git.example.com/deploy.git").sshKey(missing, null).build());
    assertEquals("sshKey " + missing + ": no such readable file", none.getMessage());
    Path pub = java.nio.file.Files.writeString(cache.resolve("id_ed25519.pub"),
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOr8k2vCq0 ci@example\n");
    IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
        () -> GitSource.builder("ssh://git@git.example.com/deploy.git").sshKey(pub, null).build());
    assertEquals("sshKey " + pub + " is a public key; give the private key (" + missing + ")",
        wrong.getMessage());
  }
}
