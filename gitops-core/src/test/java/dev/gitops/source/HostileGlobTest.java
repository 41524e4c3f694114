package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.PathGlob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A glob a contributor writes ({@code .gitops.yaml}'s {@code files}, a source's include and exclude) is
 * matched in time bounded by pattern x path, never by backtracking: {@code *a*a*a*a*a*a*a*b} against a
 * name of 105 {@code a}s, which no {@code b} ends. JGit's gitignore rule, which matched globs before,
 * backtracks through every way the stars can split the name: 5.4 s with five stars (measured), far past
 * the bound with seven.
 */
class HostileGlobTest {
  private static final String HOSTILE = "*a*a*a*a*a*a*a*b";
  private static final String NAME = "a".repeat(105);
  private static final Duration BOUND = Duration.ofSeconds(5);

  @TempDir Path root;

  @Test
  void pathGlobMatchesAHostilePatternInBoundedTime() {
    PathGlob glob = PathGlob.of(HOSTILE);
    assertTimeoutPreemptively(BOUND, () -> {
      assertFalse(glob.matches(NAME));
      assertFalse(glob.matches("deep/" + NAME + "/" + NAME));
      assertTrue(glob.matches(NAME + "b"));
    });
  }

  @Test
  void aDirectorySourceSelectsThroughHostileIncludeAndExcludeInBoundedTime() throws Exception {
    Files.writeString(root.resolve(NAME), "x");
    Files.writeString(root.resolve(NAME + "b"), "y");
    DirectorySource include = DirectorySource.of(root, "", List.of(HOSTILE), List.of());
    DirectorySource exclude = DirectorySource.of(root, "", List.of(), List.of(HOSTILE));
    assertTimeoutPreemptively(BOUND, () -> {
      assertEquals(Set.of(NAME + "b"), include.fetch(include.latest()).files().keySet());
      assertEquals(Set.of(NAME), exclude.fetch(exclude.latest()).files().keySet());
    });
  }
}
