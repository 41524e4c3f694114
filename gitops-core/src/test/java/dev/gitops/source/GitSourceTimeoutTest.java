package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JGit reads a timeout of 0 s as "none": the source's timeouts round up and are never 0. */
class GitSourceTimeoutTest {
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
  void aZeroOrNegativeTimeoutIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> seconds(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> seconds(Duration.ofSeconds(-1)));
  }
}
