package dev.gitops.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The Markdown plan's code spans and fences outlast every backtick run of what they hold. */
class PlanMarkdownCodeTest {
  @Test
  void aCodeSpanOutlastsEveryBacktickRunOfItsName() {
    assertEquals("`File//a.txt`", PlanMarkdown.code("File//a.txt"));
    assertEquals("```a``b```", PlanMarkdown.code("a``b"));
    assertEquals("`` `a ``", PlanMarkdown.code("`a"));
    assertEquals("`  a `", PlanMarkdown.code(" a"));
    assertEquals("````", PlanMarkdown.fence("+x\n ```\n-y"));
    assertEquals("``````", PlanMarkdown.fence(" `````"));
  }
}
