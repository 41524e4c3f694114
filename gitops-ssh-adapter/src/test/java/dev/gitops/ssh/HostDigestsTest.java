package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostDigestsTest {
  private static final String SUM = "ab".repeat(32);

  /** The section as the script prints it, then the line that ends the answer, which must stay unread. */
  private static HostDigests.Answer parse(String stats, String sums) throws IOException {
    String text = "gitops-digests 2\n" + stats + "\0gitops-sums\0" + sums + "\ngitops-digests-end\ngitops-end 0\n";
    ByteArrayInputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    HostDigests.Answer answer = HostDigests.read(in);
    assertEquals("gitops-end 0", TreeRead.line(in), "the reader stays in step");
    return answer;
  }

  @Test
  void namesThatSpellTheMarkersAreReadAsNames() throws IOException {
    HostDigests.Answer a = parse("81a4 1 root root ./gitops-sums\0" + "81a4 2 root root ./x/gitops-digests-end\0",
        SUM + "  ./gitops-sums\n" + SUM + "  ./x/gitops-digests-end\n");
    assertEquals(2, a.stats().get("x/gitops-digests-end").size());
    assertEquals(1, a.stats().get("gitops-sums").size());
    assertEquals(Map.of("gitops-sums", "sha256:" + SUM, "x/gitops-digests-end", "sha256:" + SUM), a.sha256());
  }

  @Test
  void anEmptySectionProvesNothing() throws IOException {
    assertEquals(new HostDigests.Answer(Map.of(), Map.of()), parse("", ""));
    ByteArrayInputStream missingRoot = new ByteArrayInputStream(
        "gitops-digests 2\n\0gitops-sums\0\ngitops-digests-end\n".getBytes(StandardCharsets.US_ASCII));
    assertEquals(new HostDigests.Answer(Map.of(), Map.of()), HostDigests.read(missingRoot), "what a missing root prints");
  }

  @Test
  void statRecordsAndSumsAreReadByTheirExactNames() throws IOException {
    HostDigests.Answer a = parse("81a4 12 root wheel ./with space/ünï.conf\0a1ff 7 root root ./link\0",
        SUM + "  ./with space/ünï.conf\n");
    HostDigests.Stat file = a.stats().get("with space/ünï.conf");
    assertEquals(0100644, file.rawMode());
    assertEquals(12, file.size());
    assertTrue(file.plainFile());
    assertFalse(a.stats().get("link").plainFile(), "a symlink is never proven");
    assertEquals(Map.of("with space/ünï.conf", "sha256:" + SUM), a.sha256());
  }

  @Test
  void anUnknownOwnerOrGroupIsNeverProven() throws IOException {
    HostDigests.Answer a = parse("81a4 1 UNKNOWN root ./a\081a4 1 root UNKNOWN ./b\0", "");
    assertFalse(a.stats().get("a").plainFile());
    assertFalse(a.stats().get("b").plainFile());
  }

  /** A line of sha256sum's shape, or nearly: each code picks a hex digit (sometimes a wrong one), a separator or a name character. */
  private static String line(List<Integer> codes) {
    String hex = "0123456789abcdef";
    String wrongHex = "AFg/ ";
    String separators = " * x";
    String name = "a/é.\r\n\u0085\u2028\u2029 *";
    StringBuilder b = new StringBuilder();
    int digits = 63 + codes.get(0) % 3;
    for (int i = 0; i < digits; i++) {
      int c = codes.get((i + 1) % codes.size()) + i;
      b.append(c % 97 == 0 ? wrongHex.charAt(c % wrongHex.length()) : hex.charAt(c % hex.length()));
    }
    b.append(separators.charAt(codes.get(1 % codes.size()) % separators.length()));
    b.append(separators.charAt(codes.get(2 % codes.size()) % separators.length()));
    b.append(codes.get(3 % codes.size()) % 11 == 0 ? "x/" : "./");
    for (int c : codes.subList(Math.min(4, codes.size()), codes.size())) {
      b.append(c % 13 == 0 ? name.charAt(c % name.length()) : (char) ('a' + c % 26));
    }
    return b.toString();
  }

  @Test
  void aSumLineIsWhatTheRegularExpressionOfSha256sumsOutputMatches() {
    // the check it replaces: a name after ./ and the expression
    java.util.regex.Pattern oracle = java.util.regex.Pattern.compile("[0-9a-f]{64}[ *][ *]\\./.*");
    qt().withExamples(5000).forAll(lists().of(integers().between(0, 10_000)).ofSizeBetween(1, 12))
        .check(codes -> {
          String line = line(codes);
          return HostDigests.isSumLine(line) == (line.length() > 68 && oracle.matcher(line).matches());
        });
    assertTrue(HostDigests.isSumLine(SUM + "  ./a b.conf"));
    assertTrue(HostDigests.isSumLine(SUM + " *./x"));
    assertFalse(HostDigests.isSumLine(SUM + "  ./"), "no name");
    assertFalse(HostDigests.isSumLine(SUM.toUpperCase(java.util.Locale.ROOT) + "  ./a"));
    assertFalse(HostDigests.isSumLine(SUM + "  ./a\rb"));
  }

  @Test
  void aHostWithoutTheToolsProvesNothingAndAnOutOfStepAnswerFails() throws IOException {
    assertEquals(HostDigests.Answer.NONE, HostDigests.read(new ByteArrayInputStream("gitops-digests -\n".getBytes())));
    assertThrows(IOException.class, () -> HostDigests.read(new ByteArrayInputStream("gitops-end 0\n".getBytes())));
    assertThrows(IOException.class, () -> HostDigests.read(new ByteArrayInputStream("gitops-digests 9 0\nab".getBytes())),
        "the length-framed section of an older script");
    assertThrows(IOException.class, () -> HostDigests.read(new ByteArrayInputStream(
        "gitops-digests 2\n81a4 1 root root ./a\0\0gitops-sums\0".getBytes())), "cut before its end");
  }

  @Test
  void candidatesAreHeldFilesWithPlainNamesFromTheThreshold() {
    Content.Bytes half = Content.bytes(new byte[(int) HostDigests.FROM_BYTES / 2], FileMode.of(0644));
    Map<String, Content.Bytes> expected = Map.of("a", half, "b", half, "new\nline", half, "back\\slash", half);
    assertEquals(List.of("a", "b"), List.copyOf(HostDigests.candidates(List.of("a", "b", "new\nline", "back\\slash"),
        expected).keySet()));
    assertEquals(Map.of(), HostDigests.candidates(List.of("a", "new\nline"), expected), "below the threshold");
  }

  /**
   * The section read from the reader's buffered stream a buffer at a time, however the channel splits
   * it (a marker across two reads, a read that holds the section's end and what follows), leaves the
   * stream exactly after the section: the archive and the answer's last line are read next.
   */
  @Test
  void aSectionSplitAnyWayOverTheChannelLeavesTheStreamRightAfterIt() {
    StringBuilder stats = new StringBuilder();
    StringBuilder sums = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      stats.append("81a4 ").append(i).append(" root root ./d/f-").append(i).append(".conf\0");
      sums.append(SUM).append("  ./d/f-").append(i).append(".conf\n");
    }
    sums.setLength(sums.length() - 1);
    byte[] text = ("gitops-digests 2\n" + stats + "\0gitops-sums\0" + sums + "\ngitops-digests-end\n"
        + "x".repeat(20_000) + "\ngitops-end 0\n").getBytes(StandardCharsets.UTF_8);
    qt().withExamples(200).forAll(lists().of(integers().between(1, 9000)).ofSizeBetween(1, 40)).check(pieces -> {
      try (java.io.BufferedInputStream in = new java.io.BufferedInputStream(new Pieces(text, pieces), 4096)) {
        HostDigests.Answer a = HostDigests.read(in);
        return a.stats().size() == 300 && a.sha256().size() == 300 && a.stats().get("d/f-299.conf").size() == 299
            && new String(in.readAllBytes(), StandardCharsets.UTF_8).equals("x".repeat(20_000) + "\ngitops-end 0\n");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  /** A channel that hands out {@code bytes} in pieces of the given sizes, in turn. */
  private static final class Pieces extends java.io.InputStream {
    private final byte[] bytes;
    private final List<Integer> sizes;
    private int at;
    private int turn;

    Pieces(byte[] bytes, List<Integer> sizes) {
      this.bytes = bytes;
      this.sizes = sizes;
    }

    @Override
    public int read() {
      return at < bytes.length ? bytes[at++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (at >= bytes.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, sizes.get(turn++ % sizes.size())), bytes.length - at);
      System.arraycopy(bytes, at, b, off, n);
      at += n;
      return n;
    }

    @Override
    public int available() {
      return 0; // as a pipe between two pieces: a buffered read never waits for more than one
    }
  }
}
