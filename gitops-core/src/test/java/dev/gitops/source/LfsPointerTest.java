package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What git-lfs 3.x takes for a pointer ({@code lfs/pointer.go}), rule by rule; {@code LfsPointerOracleIT}
 * checks the same and many generated variants against the real {@code git lfs pointer --check}.
 */
class LfsPointerTest {
  private static final String HEX = "cd72b5cef50f".repeat(5) + "cd72";
  private static final String POINTER = "version https://git-lfs.github.com/spec/v1\noid sha256:" + HEX + "\nsize 5000\n";
  private static final String EXT = "ext-0-foo sha256:" + "ab".repeat(32);

  private static Optional<LfsPointer> parse(String text) {
    return LfsPointer.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean pointer(String text) {
    return parse(text).isPresent();
  }

  @Test
  void theCanonicalFormNamesItsObjectAndSize() {
    LfsPointer p = parse(POINTER).orElseThrow();
    assertEquals("sha256:" + HEX, p.oid());
    assertEquals(5000, p.size());
    assertEquals("object sha256:cd72b5cef50f..., 5000 bytes", p.toString());
    assertEquals(p, parse(POINTER.replace("\n", "\r\n")).orElseThrow());
  }

  @Test
  void lineEndsAndWhiteSpaceAtEitherEndAreWhatGitLfsForgives() {
    assertTrue(pointer(POINTER.replace("\n", "\r\n")), "CRLF");
    assertTrue(pointer(POINTER.strip()), "no final newline");
    assertTrue(pointer("\n \t" + POINTER + "  \n\n\u000b\f"), "ASCII white space around it");
    assertTrue(pointer(POINTER + "\u00a0\u3000\u2028"), "Unicode white space (Go's bytes.TrimSpace)");
    assertTrue(pointer(POINTER.replace("\n", "\n\n")), "empty lines");
    assertTrue(pointer(POINTER.strip() + "   "), "trailing blanks on the last line are trimmed with the file");
    assertFalse(pointer(POINTER + "\u001c"), "not White_Space in Unicode, though Java's isWhitespace says so");
    assertFalse(pointer(POINTER.replace("\n", "\r\r\n")), "one carriage return is dropped, not two");
    assertFalse(pointer(POINTER.replace("\n", "\r")), "a lone carriage return ends no line");
    assertFalse(pointer(POINTER.replace(HEX, HEX + " ")), "a blank after the oid");
    assertFalse(pointer(POINTER.replace("oid ", "oid  ")), "two spaces after a key");
    assertFalse(pointer(POINTER.replace("size ", "size\t")), "a tab for the space");
  }

  @Test
  void keysComeInOrderExtensionsMayPrecedeTheFirstTwoAndNothingFollowsSize() {
    String version = "version https://git-lfs.github.com/spec/v1\n";
    String oid = "oid sha256:" + HEX + "\n";
    assertTrue(pointer(version + EXT + "\n" + oid + "size 5000\n"), "the specification's place");
    assertTrue(pointer(EXT + "\n" + version + oid + "size 5000\n"), "before version");
    assertTrue(pointer(version + oid + EXT + "\nsize 5000\n"), "between oid and size");
    assertTrue(pointer(version + "ext-1-x!y sha256:" + "ab".repeat(32) + "\n" + oid + "size 5000\n"), "extRE: a prefix");
    assertFalse(pointer(POINTER + EXT + "\n"), "after size");
    assertFalse(pointer(version + EXT + "\next-0-bar sha256:" + "ab".repeat(32) + "\n" + oid + "size 5000\n"),
        "two extensions of one priority");
    assertFalse(pointer(version + "ext-10-foo sha256:" + "ab".repeat(32) + "\n" + oid + "size 5000\n"), "one digit");
    assertFalse(pointer(version + EXT.toUpperCase().replace("EXT-0-FOO SHA256", "ext-0-foo sha256") + "\n" + oid
        + "size 5000\n"), "an extension's oid is lower-case hex too");
    assertFalse(pointer(oid + version + "size 5000\n"), "oid before version");
    assertFalse(pointer(version + oid), "no size");
    assertFalse(pointer(version + "size 5000\n"), "no oid");
    assertFalse(pointer(POINTER + "foo bar\n"), "another key");
    assertFalse(pointer(POINTER + "and a line of prose\n"), "prose after it");
  }

  @Test
  void versionOidAndSizeAreReadAsGitLfsReadsThem() {
    assertTrue(pointer(POINTER.replace("https://git-lfs.github.com/spec/v1", "https://hawser.github.com/spec/v1")));
    assertTrue(pointer(POINTER.replace("https://git-lfs.github.com/spec/v1", "http://git-media.io/v/2")));
    assertFalse(pointer(POINTER.replace("spec/v1", "spec/v2")));
    assertFalse(pointer(POINTER.replace("cd72", "CD72")), "upper-case hex");
    assertFalse(pointer(POINTER.replace(HEX, HEX.substring(1))), "63 digits");
    assertFalse(pointer(POINTER.replace("sha256:", "sha1:")));
    assertEquals(5000, parse(POINTER.replace("size 5000", "size +5000")).orElseThrow().size(), "strconv.ParseInt: a sign");
    assertEquals(5000, parse(POINTER.replace("size 5000", "size 005000")).orElseThrow().size(), "leading zeros");
    assertEquals(0, parse(POINTER.replace("size 5000", "size -0")).orElseThrow().size());
    assertEquals(Long.MAX_VALUE, parse(POINTER.replace("5000", "9223372036854775807")).orElseThrow().size());
    for (String size : new String[] {"-1", "9223372036854775808", "5_000", "0x10", "", "+", "5e3", "٥"}) {
      assertFalse(pointer(POINTER.replace("5000", size)), size);
    }
  }

  @Test
  void onlyTheFirst1024BytesCountAsGitLfsReadsNoMore() {
    String padded = POINTER + " ".repeat(LfsPointer.READ_LIMIT - POINTER.length());
    assertTrue(pointer(padded + "what follows is never read"), "a pointer, then blanks to byte 1,024");
    assertFalse(pointer(padded.substring(0, LfsPointer.READ_LIMIT - 1) + "x"), "the 1,024th byte is read");
    assertFalse(pointer(POINTER + "x".repeat(1100) + "\n"));
    assertFalse(pointer(""));
    assertFalse(pointer("version 1.2\n"));
  }
}
