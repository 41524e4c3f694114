package dev.gitops.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.ResourceId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Unified diffs of texts whose every line changed stay in proportion to the texts: Myers' search
 * takes time growing with lines times edits, and ran for minutes on a rewritten 1 MiB ConfigMap.
 */
class LargeDiffsTest {
  private static final ResourceId FILE = ResourceId.file("etc/app.conf");
  /** Far above what the bounded diff takes (under a second), far below what Myers took (minutes). */
  private static final Duration BOUND = Duration.ofSeconds(60);

  private static Content.Bytes text(int lines, IntFunction<String> line) {
    String text = IntStream.range(0, lines).mapToObj(line).collect(Collectors.joining("\n", "", "\n"));
    return Content.bytes(text.getBytes(StandardCharsets.UTF_8), FileMode.REGULAR);
  }

  private static String unified(Content.Bytes actual, Content.Bytes desired) {
    DiffOptions o = DiffOptions.defaults();
    return assertTimeoutPreemptively(BOUND,
        () -> DiffRenderer.unified(FILE, actual, desired, new Differ(o).diff(FILE, actual, desired, null), o));
  }

  private static long count(String diff, char sign) {
    return diff.lines().filter(l -> !l.isEmpty() && l.charAt(0) == sign && !l.startsWith("--- ")
        && !l.startsWith("+++ ")).count();
  }

  @Test
  void aTextWhoseEveryLineChangedIsShownRemovedThenAddedBetweenItsCommonHeadAndTail() {
    int n = 85_000; // a ConfigMap's 1 MiB of short lines
    String diff = unified(text(n, i -> i == 0 ? "head" : i == n - 1 ? "tail" : "line " + i),
        text(n, i -> i == 0 ? "head" : i == n - 1 ? "tail" : "LINE " + i));
    List<String> lines = diff.lines().toList();
    assertEquals(Unified.WHOLE, lines.get(2), diff.substring(0, 300));
    assertEquals("@@ -1,85000 +1,85000 @@", lines.get(3));
    assertEquals(" head", lines.get(4));
    assertEquals("-line 1", lines.get(5));
    assertEquals("+LINE 1", lines.get(5 + n - 2));
    assertEquals(" tail", lines.get(lines.size() - 1));
    assertEquals(n - 2, count(diff, '-'));
    assertEquals(n - 2, count(diff, '+'));
  }

  @Test
  void linesInAnotherOrderAreShownWholeToo() {
    int n = 40_000;
    String diff = unified(text(n, i -> "line " + i), text(n, i -> "line " + (n - 1 - i)));
    assertTrue(diff.contains(Unified.WHOLE + "\n@@ -1,40000 +1,40000 @@\n"), diff.substring(0, 300));
  }

  @Test
  void aFewChangesInALargeTextStillGetTheShortestDiff() {
    int n = 85_000;
    String diff = unified(text(n, i -> "line " + i), text(n, i -> i == 10 || i == 80_000 ? "changed " + i : "line " + i));
    assertFalse(diff.contains(Unified.WHOLE), diff);
    assertEquals(2, count(diff, '-'));
    assertEquals(2, count(diff, '+'));
    assertTrue(diff.contains("@@ -8,7 +8,7 @@\n line 7\n line 8\n line 9\n-line 10\n+changed 10\n"), diff);
  }

  @Test
  void aTextAddedOrRemovedWholeIsOneChange() {
    int n = 85_000;
    Content.Bytes empty = Content.bytes(new byte[0], FileMode.REGULAR);
    String added = unified(empty, text(n, i -> "line " + i));
    assertEquals(n, count(added, '+'));
    String removed = unified(text(n, i -> "line " + i), empty);
    assertEquals(n, count(removed, '-'));
  }
}
