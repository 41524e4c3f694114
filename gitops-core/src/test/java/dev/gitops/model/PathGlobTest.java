package dev.gitops.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PathGlobTest {
  @Test
  void starStaysWithinOneSegment() {
    assertTrue(PathGlob.of("nginx/*.conf").matches("nginx/web.conf"));
    assertFalse(PathGlob.of("nginx/*.conf").matches("nginx/sites/web.conf"));
  }

  @Test
  void doubleStarCrossesSegments() {
    assertTrue(PathGlob.of("nginx/**").matches("nginx/sites/enabled/web.conf"));
    assertTrue(PathGlob.of("**/web.conf").matches("a/b/web.conf"));
    assertTrue(PathGlob.of("**/web.conf").matches("web.conf"));
    assertTrue(PathGlob.of("a/**/b").matches("a/b"));
    assertTrue(PathGlob.of("a/**/b").matches("a/x/y/b"));
    assertFalse(PathGlob.of("nginx/**").matches("nginx2/x"));
  }

  @Test
  void questionMarkIsOneCharacterButSlash() {
    assertTrue(PathGlob.of("app?.conf").matches("app1.conf"));
    assertFalse(PathGlob.of("app?.conf").matches("app12.conf"));
    assertFalse(PathGlob.of("a?b").matches("a/b"));
  }

  @Test
  void globWithoutSlashMatchesAtAnyDepth() {
    assertTrue(PathGlob.of("*.conf").matches("etc/nginx/nginx.conf"));
    assertTrue(PathGlob.of("*.conf").matches("nginx.conf"));
    assertFalse(PathGlob.of("*.conf").matches("nginx.conf.bak"));
  }

  @Test
  void leadingSlashAnchorsAtTheRoot() {
    assertTrue(PathGlob.of("/app.conf").matches("app.conf"));
    assertFalse(PathGlob.of("/app.conf").matches("etc/app.conf"));
  }

  @Test
  void aMatchedDirectoryMatchesEverythingBeneath() {
    assertTrue(PathGlob.of("nginx").matches("nginx/conf.d/a.conf"));
    assertTrue(PathGlob.of("etc/nginx/").matches("etc/nginx/nginx.conf"));
    assertFalse(PathGlob.of("etc/nginx/").matches("etc/nginx.conf"));
  }

  @Test
  void characterClassesAndLiteralDots() {
    assertTrue(PathGlob.of("app[0-9].conf").matches("app7.conf"));
    assertFalse(PathGlob.of("app[!0-9].conf").matches("app7.conf"));
    assertTrue(PathGlob.of("app[!0-9].conf").matches("appx.conf"));
    assertFalse(PathGlob.of("a.conf").matches("abconf"));
    assertTrue(PathGlob.of("a+(b).conf").matches("a+(b).conf"));
  }

  @Test
  void aTrailingSlashMatchesDirectoriesOnlyAtAnyDepth() {
    assertTrue(PathGlob.of("docs/").matches("docs/guide.md"));
    assertTrue(PathGlob.of("docs/").matches("sub/docs/guide.md"));
    assertFalse(PathGlob.of("docs/").matches("docs"), "a file named docs is no directory");
    assertFalse(PathGlob.of("docs/").matches("docs.md"));
  }

  @Test
  void aLaterNegationTakesBackWhatAnEarlierLineMatchedButNotUnderAMatchedDirectory() {
    assertFalse(PathGlob.of("*.tmp", "!keep.tmp").matches("keep.tmp"));
    assertTrue(PathGlob.of("*.tmp", "!keep.tmp").matches("x.tmp"));
    assertTrue(PathGlob.of("!keep.tmp", "*.tmp").matches("keep.tmp"), "the last matching line decides");
    assertTrue(PathGlob.of("docs/", "!docs/keep.md").matches("docs/keep.md"), "git never looks into docs/");
    assertFalse(PathGlob.of("docs/**", "!docs/keep.md").matches("docs/keep.md"));
  }

  @Test
  void commentsAndBlankLinesAreSkippedAndEscapesMatchLiterally() {
    PathGlob g = PathGlob.of("# generated files", "", "\\#notes", "\\!important");
    assertTrue(g.matches("#notes"));
    assertTrue(g.matches("!important"));
    assertFalse(g.matches("# generated files"));
    assertFalse(PathGlob.of("# only a comment").hasPatterns());
    assertFalse(PathGlob.of("/").hasPatterns());
  }

  @Test
  void aLineThatIsNoGlobIsRejectedAndGlobsCompareByLines() {
    assertThrows(IllegalArgumentException.class, () -> PathGlob.of("!"));
    assertThrows(IllegalArgumentException.class, () -> PathGlob.of("a\nb"));
    assertTrue(PathGlob.of("a", "!b").equals(PathGlob.of(java.util.List.of("a", "!b"))));
    assertTrue(PathGlob.of("a", "!b").toString().equals("a, !b"));
  }

  @Test
  void linesAndPathsCompareAsUtf8BytesAsGitDoes() {
    assertFalse(PathGlob.of("?.md").matches("\u00e9.md"), "\u00e9 is two bytes in UTF-8");
    assertTrue(PathGlob.of("??.md").matches("\u00e9.md"));
    assertTrue(PathGlob.of("caf\u00e9/").matches("docs/caf\u00e9/menu.md"));
    assertFalse(PathGlob.of("CAF\u00c9").matches("caf\u00e9"), "case counts");
  }
}
