package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Where a {@code .gitattributes} line applies ({@link AttributePattern}, {@link dev.gitops.internal.glob.Wildmatch},
 * {@link dev.gitops.internal.glob.WildmatchClass}): one case or more for each piece of Git's syntax, every expectation checked
 * once against {@code git check-attr --cached} (Git 2.39). {@link GitAttributesOracleIT} compares
 * generated patterns with Git.
 */
class AttributePatternTest {
  /** Pattern, path from the root, whether a line of the root's {@code .gitattributes} applies. */
  private static final Object[][] CASES = {
        {"*.yaml", "a.yaml", true},
        {"*.yaml", "d/a.yaml", true},
        {"*.yaml", "a.yml", false},
        {"a?c", "abc", true},
        {"a?c", "ac", false},
        {"d?e/x", "d/e/x", false},
        {"a*", "abc", true},
        {"d/*", "d/x", true},
        {"d/*", "d/x/y", false},
        {"*", "d/x", true},
        {"d*x", "d/x", false},
        {"[ab].y", "a.y", true},
        {"[ab].y", "c.y", false},
        {"[!ab].y", "c.y", true},
        {"[!ab].y", "a.y", false},
        {"[^ab].y", "c.y", true},
        {"[a-c].y", "b.y", true},
        {"[a-c].y", "d.y", false},
        {"[]a].y", "].y", true},
        {"[a-].y", "-.y", true},
        {"[\\]].y", "].y", true},
        {"[[:digit:]].y", "7.y", true},
        {"[[:digit:]].y", "x.y", false},
        {"[[:upper:]]*", "Readme", true},
        {"[[:upper:]]*", "readme", false},
        {"[[:bogus:]]", "b", false},
        {"[a", "[a", false},
        {"[a", "a", false},
        {"\\*.y", "*.y", true},
        {"\\*.y", "x.y", false},
        {"a\\", "a", false},
        {"**/x", "x", true},
        {"**/x", "d/e/x", true},
        {"d/**", "d/e/x", true},
        {"d/**", "d", false},
        {"d/**/x", "d/x", true},
        {"d/**/x", "d/e/f/x", true},
        {"d/**x", "d/e/x", false},
        {"d/**x", "d/ex", true},
        {"ab**/x", "ab/e/x", true},
        {"/x", "x", true},
        {"/x", "d/x", false},
        {"x", "d/x", true},
        {"d/x", "d/x", true},
        {"d/x", "e/d/x", false},
        {"X", "x", false},
        {"x/", "x", false},
        {"/d/", "d/x", false},
        {"d/?/x", "d/\u00e9/x", false},
        {"d/??/x", "d/\u00e9/x", true}
  };

  private static boolean matches(String pattern, String path, int base) {
    return AttributePattern.of(pattern.getBytes(StandardCharsets.UTF_8))
        .matches(path.getBytes(StandardCharsets.UTF_8), base);
  }

  @Test
  void eachPieceOfTheSyntaxMatchesAsGitMatchesIt() {
    for (Object[] c : CASES) {
      assertEquals(c[2], matches((String) c[0], (String) c[1], 0), () -> "'" + c[0] + "' on '" + c[1] + "'");
    }
  }

  /** A pattern with a slash is matched below its own folder; one without, against the file's name anywhere below. */
  @Test
  void aPatternInAFoldersFileIsMatchedBelowThatFolder() {
    assertTrue(matches("x/*.y", "d/x/a.y", 1));
    assertTrue(matches("/x/*.y", "d/x/a.y", 1));
    assertFalse(matches("d/x/*.y", "d/x/a.y", 1), "relative to d/, not to the root");
    assertTrue(matches("*.y", "d/e/x/a.y", 1));
    assertTrue(matches("**/a.y", "d/e/x/a.y", 3));
  }

  /**
   * Time is the pattern's length times the path's, whatever the stars: a pattern of 1,000 stars (as long
   * as Git reads a line) against a path of 4 KB answers at once, where a backtracking matcher would not
   * end; a path only one byte short of matching is the worst case.
   */
  @Test
  void manyStarsOnALongPathCostLittle() {
    String pattern = "*a".repeat(1000) + "*b";
    String path = "a".repeat(4095);
    assertFalse(matches(pattern, path, 0));
    assertTrue(matches(pattern, path + "b", 0));
    assertFalse(matches("**/" + "*a".repeat(1000) + "/b", "a/".repeat(2000) + "c", 0));
  }
}
