package dev.gitops.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The printed form of a name ({@link ResourceId#escape}) shows every character that prints nothing or
 * could pass for another: the oracle is the {@code Default_Ignorable_Code_Point} set of Unicode 16's
 * {@code DerivedCoreProperties.txt} quoted below and the general categories that print nothing,
 * never the rule under test.
 */
class PrintedNamesTest {
  /** {@code DerivedCoreProperties.txt} (Unicode 16.0.0), its {@code Default_Ignorable_Code_Point} lines. */
  private static final String[] DEFAULT_IGNORABLE = {
      "00AD", "034F", "061C", "115F..1160", "17B4..17B5", "180B..180D", "180E", "180F", "200B..200F",
      "202A..202E", "2060..2064", "2065", "2066..206F", "3164", "FE00..FE0F", "FEFF", "FFA0", "FFF0..FFF8",
      "1BCA0..1BCA3", "1D173..1D17A", "E0000", "E0001", "E0002..E001F", "E0020..E007F", "E0080..E00FF",
      "E0100..E01EF", "E01F0..E0FFF"};
  /** {@link #DEFAULT_IGNORABLE} as pairs of first and last code point. */
  private static final int[] RANGES = Arrays.stream(DEFAULT_IGNORABLE).map(r -> r.contains("..") ? r : r + ".." + r)
      .flatMap(r -> Arrays.stream(r.split("\\.\\."))).mapToInt(h -> Integer.parseInt(h, 16)).toArray();

  @Test
  void aZeroWidthJoinerInAFileNameDoesNotPrintLikeTheNameWithoutIt() {
    ResourceId hidden = ResourceId.file("conf/a\u200db.yaml");
    assertEquals("File//conf/a\\u200db.yaml", hidden.toString());
    assertNotEquals(ResourceId.file("conf/ab.yaml").toString(), hidden.toString());
    assertEquals(hidden, ResourceId.parse(hidden.toString()));
  }

  @Test
  void everyDefaultIgnorableCharacterPrintsEscaped() {
    for (int c : ignorables()) {
      String name = "a" + Character.toString(c) + "b";
      String printed = ResourceId.escape(name);
      assertTrue(printed.codePoints().noneMatch(PrintedNamesTest::invisible), () -> String.format("U+%04X", c));
      assertEquals(name, ResourceId.unescape(printed), () -> String.format("U+%04X", c));
    }
  }

  @Test
  void charactersBeyondTheBmpPrintAsTheirUtf16Escapes() {
    assertEquals("tag\\udb40\\udc01\\udb40\\udc61", ResourceId.escape("tag\udb40\udc01\udb40\udc61"));
    assertEquals("vs\\udb40\\udd00", ResourceId.escape("vs\udb40\udd00"), "U+E0100, variation selector 17");
    assertEquals("pua\\udb80\\udc00", ResourceId.escape("pua\udb80\udc00"), "U+F0000, private use");
    assertEquals("emoji \ud83d\ude00 stays", ResourceId.escape("emoji \ud83d\ude00 stays"));
  }

  @Test
  void spacesThatLookLikeASpaceAndFillersPrintEscaped() {
    assertEquals("a\\u00a0b", ResourceId.escape("a\u00a0b"), "no-break space");
    assertEquals("a\\u3000b\\u2007c", ResourceId.escape("a\u3000b\u2007c"));
    assertEquals("\\u3164\\u115f\\u1160\\u00ad\\u034f", ResourceId.escape("\u3164\u115f\u1160\u00ad\u034f"));
    assertEquals("plain name-1.yaml", ResourceId.escape("plain name-1.yaml"), "ASCII space stays");
  }

  @Test
  void aHandlerPrintsItsNameEscaped() {
    Handler h = new Handler("reload\u200b\n", "true", List.of("nginx/**"), new Origin("h\u2066.yaml", 2));
    assertEquals("Handler reload\\u200b\\n (h\\u2066.yaml:2)", h.toString());
    assertEquals("Handler//reload\\u200b\\n", h.id().toString());
    String message = assertThrows(IllegalArgumentException.class,
        () -> new Handler("a\u202e", "true", List.of(), null)).getMessage();
    assertTrue(message.contains("a\\u202e"), message);
  }

  @Test
  void aBadWaveAnnotationIsQuotedEscapedInItsProblem() {
    Resource r = Fixtures.configMap("x", Map.of(), Map.of(Resource.WAVE, "1\u202e\nb.yaml:1: forged"));
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> DesiredState.of(List.of(r)));
    assertEquals("deploy/x.yaml:1: ConfigMap/default/x: gitops.dev/wave must be an integer, not"
        + " '1\\u202e\\nb.yaml:1: forged'", e.getMessage());
  }

  /**
   * Every loader's, renderer's and parser's problem prints safely whoever made its message: the
   * message is kept escaped (a backslash as it is: names the caller escaped are not escaped twice).
   */
  @Test
  void aProblemKeepsItsMessageEscapedWhoeverMadeIt() {
    Problem p = new Problem("deploy/a\n.yaml", 3, null, "bad\t'web\n[WARN] forged\u001b[2J\u202e' near 'x\\n'");
    assertEquals("bad\\t'web\\n[WARN] forged\\x1b[2J\\u202e' near 'x\\n'", p.message());
    assertEquals("deploy/a\\n.yaml:3: " + p.message(), p.toString());
    assertEquals(p, new Problem("deploy/a\n.yaml", 3, null, p.message()), "escaped once");
  }

  @Test
  void printableNonAsciiTextStaysAsItIs() {
    for (String text : List.of("caf\u00e9", "\u65e5\u672c", "\u0645\u0644\u0641", "\u00e9\u0301", "\u2603")) {
      assertEquals(text, ResourceId.escape(text));
    }
  }

  @Test
  void anyTextPrintsOnlyVisibleCharactersAndReadsBack() {
    qt().withExamples(5000).forAll(texts()).checkAssert(text -> {
      String printed = ResourceId.escape(text);
      assertTrue(printed.codePoints().noneMatch(PrintedNamesTest::invisible), printed);
      assertEquals(text, ResourceId.unescape(printed));
    });
  }

  @Test
  void twoDifferentNamesNeverPrintTheSame() {
    qt().withExamples(5000).forAll(texts(), texts())  // no assuming(): equal pairs come first, and QuickTheories gives up
        .checkAssert((a, b) -> assertEquals(a.equals(b), ResourceId.escape(a).equals(ResourceId.escape(b)), a + " " + b));
    // the pairs that matter: a name, and the same name with one more character that prints nothing
    List<Integer> ignorable = ignorables();
    qt().withExamples(5000).forAll(texts(), integers().between(0, 8), Generate.pick(ignorable))
        .checkAssert((a, at, c) -> {
          int i = a.offsetByCodePoints(0, Math.min(at, a.codePointCount(0, a.length())));
          String b = a.substring(0, i) + Character.toString(c) + a.substring(i);
          assertNotEquals(ResourceId.escape(a), ResourceId.escape(b), b);
        });
  }

  @Test
  void theOracleKnowsWhatItChecks() {
    assertTrue(invisible(0x200d));
    assertTrue(invisible(0xe0001));
    assertTrue(invisible(0x2029));
    assertFalse(invisible('a'));
    assertFalse(invisible(0x1f600));
  }

  /** Prints nothing, moves text, or passes for a space: what a printed name must not contain. */
  private static boolean invisible(int c) {
    int type = Character.getType(c);
    return ignorable(c) || type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
        || type == Character.PRIVATE_USE || type == Character.SURROGATE || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR || type == Character.SPACE_SEPARATOR && c != ' ';
  }

  private static boolean ignorable(int c) {
    for (int i = 0; i < RANGES.length; i += 2) {
      if (c >= RANGES[i] && c <= RANGES[i + 1]) {
        return true;
      }
    }
    return false;
  }

  private static List<Integer> ignorables() {
    List<Integer> all = new ArrayList<>();
    IntStream.rangeClosed(0, Character.MAX_CODE_POINT).filter(PrintedNamesTest::ignorable).forEach(all::add);
    return all;
  }

  /** Text mixing ASCII, backslash escapes, ignorables, controls, lone surrogates and any code point. */
  private static Gen<String> texts() {
    List<Integer> ignorable = ignorables();
    Gen<Integer> interesting = Generate.pick(List.of((int) '\\', (int) 'u', (int) 'x', (int) '0', (int) '2', (int) 'a',
        (int) 'd', (int) ' ', (int) '\n', 0x85, 0xd800, 0xdc00, 0xdbff, 0xdfff, 0x2028, 0x202e, 0x2066, 0xe000, 0x3000,
        0xfffe, 0x1f600));
    Gen<Integer> codePoint = Generate.pick(ignorable).mix(interesting, 50)
        .mix(integers().between(0, Character.MAX_CODE_POINT), 40);
    return lists().of(codePoint).ofSizeBetween(0, 8).map(cs -> {
      StringBuilder b = new StringBuilder();
      cs.forEach(b::appendCodePoint);
      return b.toString();
    });
  }
}
