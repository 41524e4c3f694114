package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GlobsTest {
  @Test
  void includePatternsSelectFilesAndWholeDirectories() {
    Globs g = Globs.of(List.of("*.yaml", "/charts/"), List.of());
    assertTrue(g.selects("a.yaml"));
    assertTrue(g.selects("nested/deep/b.yaml"));
    assertTrue(g.selects("charts/Chart.txt"));
    assertFalse(g.selects("nested/charts/readme.md"));
    assertFalse(g.selects("README.md"));
  }

  @Test
  void excludePatternsWinAndNegationReIncludes() {
    Globs g = Globs.of(List.of(), List.of("secret/", "*.tmp", "!keep.tmp", "# a comment"));
    assertTrue(g.selects("app.yaml"));
    assertFalse(g.selects("secret/key.yaml"));
    assertFalse(g.selects("x/secret/key.yaml"));
    assertTrue(g.excludesDirectory("secret"));
    assertFalse(g.selects("scratch.tmp"));
    assertTrue(g.selects("keep.tmp"));
  }
}
