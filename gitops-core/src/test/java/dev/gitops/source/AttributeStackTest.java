package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The {@code filter} attribute as Git computes it from a commit's {@code .gitattributes}
 * ({@link AttributeStack}, {@link AttributeLines}): which line wins, macros, and how lines are read.
 * Every expectation was checked once against {@code git check-attr --cached} (Git 2.39).
 */
class AttributeStackTest {
  private static String filter(String path, String... folderAndText) {
    return filter(false, path, folderAndText);
  }

  /** The {@code filter} of {@code path}, as Git from 2.43 computes it when {@code newer}, else as Git 2.39. */
  private static String filter(boolean newer, String path, String... folderAndText) {
    AttributeStack stack = new AttributeStack("filter", newer);
    for (int i = 0; i < folderAndText.length; i += 2) {
      stack.add(folderAndText[i], folderAndText[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    String value = stack.value(path);
    return value.equals(AttributeLines.SET) ? "set" : value.equals(AttributeLines.UNSET) ? "unset"
        : value.equals(AttributeLines.UNSPECIFIED) ? "unspecified" : value;
  }

  @Test
  void theLaterLineAndTheLaterStateWin() {
    assertEquals("b", filter("x.y", "", "*.y filter=a\n*.y filter=b\n"));
    assertEquals("b", filter("x.y", "", "*.y filter=a filter=b\n"));
    assertEquals("a", filter("x.y", "", "*.y filter=a\n*.z filter=b\n"));
  }

  @Test
  void theNearerFolderWinsAndAnUnspecifiedStateHidesTheFarther() {
    String[] files = {"", "*.y filter=root\n", "d", "*.y filter=d\n", "d/e", "*.y !filter\n"};
    assertEquals("root", filter("x.y", files));
    assertEquals("d", filter("d/x.y", files));
    assertEquals("d", filter("d/f/x.y", files));
    assertEquals("unspecified", filter("d/e/x.y", files));
    assertEquals("unset", filter("x.y", "", "*.y -filter\n"));
    assertEquals("set", filter("x.y", "", "*.y filter\n"));
  }

  @Test
  void aMacroGivesItsStatesWhereItIsSetAndOnlyInTheRootsFile() {
    assertEquals("mac", filter("x.y", "", "[attr]m filter=mac\n*.y filter=early\n*.y m\n"));
    assertEquals("late", filter("x.y", "", "[attr]m filter=mac\n*.y m\n*.y filter=late\n"));
    assertEquals("deep", filter("x.y", "", "[attr]m2 m1\n[attr]m1 filter=deep\n*.y m2\n"));
    assertEquals("b", filter("x.y", "", "[attr]m filter=a\n[attr]m filter=b\n*.y m\n"), "the last definition");
    assertEquals("unset", filter("x.y", "", "[attr]m -filter\n*.y filter=a\n*.y m\n"));
    assertEquals("z", filter("x.y", "", "[attr]m filter=mac\n*.y filter=z -m\n"), "an unset macro gives nothing");
    assertEquals("z", filter("x.y", "", "[attr]m filter=mac\n*.y filter=z m=v\n"), "nor one given a value");
    assertEquals("mac", filter("x.y", "", "[attr]m filter=mac\n*.y filter=z m\n"));
    assertEquals("bin", filter("x.y", "", "[attr]binary filter=bin\n*.y binary\n"), "the built-in redefined");
    assertEquals("unspecified", filter("x.y", "", "*.y binary\n"), "the built-in binary: -diff -merge -text");
    assertEquals("unspecified", filter("d/x.y", "d", "[attr]m filter=mac\n*.y m\n"), "not in a folder's file");
  }

  @Test
  void linesAreReadAsGitReadsThemFromATree() {
    assertEquals("unspecified", filter("x.y", "", "*.y filter=a bad!name\n"), "an invalid name: the whole line");
    assertEquals("unspecified", filter("x.y", "", "!x.y filter=a\n"), "negative patterns are refused");
    assertEquals("a", filter("!x.y", "", "\\!x.y filter=a\n"));
    assertEquals("q", filter("a b.y", "", "\"a b.y\" filter=q\n"));
    assertEquals("q", filter("a\tb.y", "", "\"a\\tb.y\" filter=q\n"));
    assertEquals("a", filter("x.y", "", "  *.y\tfilter=a\r\n# *.y filter=b\n"));
    assertEquals("a", filter("x.y", "", "*.y filter=a\n*.y filter=b" + " ".repeat(2048) + "\n"), "a line of 2 KB");
    assertEquals("a", filter("x.y", "", "*.y filter=a\n\0*.y filter=b\n"), "nothing past a NUL");
    assertEquals("unspecified", filter("x.y", "", "\uFEFF*.y filter=a\n"), "a byte-order mark is the pattern's");
  }

  /**
   * Git from 2.43 skips a line or a macro naming a {@code builtin_*} attribute (attr.c
   * {@code attr_name_reserved}); Git 2.39 reads them (checked with {@code git check-attr}).
   */
  @Test
  void linesNamingABuiltinAttributeAreSkippedOnlyByTheNewerGit() {
    String[] unset = {"", "*.y filter=a\n*.y -filter builtin_objectmode\n"};
    assertEquals("unset", filter(false, "x.y", unset));
    assertEquals("a", filter(true, "x.y", unset));
    String[] set = {"", "*.y filter=a\n*.y !builtin_x filter=b\n"};
    assertEquals("b", filter(false, "x.y", set));
    assertEquals("a", filter(true, "x.y", set));
    String[] macro = {"", "[attr]m filter=a\n[attr]m filter=b builtin_=1\n[attr]builtin_m filter=c\n"
        + "*.y m\n*.z builtin_m\n"};
    assertEquals("b", filter(false, "x.y", macro), "the last definition");
    assertEquals("a", filter(true, "x.y", macro), "the last the newer reads");
    assertEquals("c", filter(false, "x.z", macro));
    assertEquals("unspecified", filter(true, "x.z", macro));
    assertEquals("unset", filter(true, "x.y", "", "*.y filter=a\n*.y -filter builtin\n"), "only builtin_ is reserved");
  }
}
