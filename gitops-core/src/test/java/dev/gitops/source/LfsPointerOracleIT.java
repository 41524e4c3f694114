package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LfsPointer} against the real {@code git lfs} as the oracle: {@code git lfs pointer --check
 * --file=F} runs the parser a checkout's smudge runs ({@code DecodePointer}, the first 1,024 bytes),
 * so a file it accepts is one a checkout with Git LFS replaces, and one it refuses is checked out as
 * committed. Named variants first, then generated ones (line ends, white space at the ends, key order,
 * extra keys and extension lines, oid and size forms, lengths around 1,024 bytes). Skipped where
 * {@code git lfs} is not installed.
 */
class LfsPointerOracleIT {
  private static final String HEX = "cd72b5cef50f".repeat(5) + "cd72";
  private static final String HEX2 = "ab".repeat(32);
  private static final String GIT_LFS = "https://git-lfs.github.com/spec/v1";
  private static final String[] VERSIONS = {GIT_LFS, "https://hawser.github.com/spec/v1", "http://git-media.io/v/2",
      "https://git-lfs.github.com/spec/v2", GIT_LFS + " ", "https://git-lfs.github.com/spec/v1\r"};
  private static final String[] OIDS = {"sha256:" + HEX, "sha256:" + HEX.toUpperCase(), "sha256:" + HEX.substring(1),
      "sha256:" + HEX + "0", "sha1:" + HEX, "SHA256:" + HEX, HEX, " sha256:" + HEX};
  private static final String[] SIZES = {"5000", "+5000", "-0", "007", "0", "-5", "", "9223372036854775807",
      "9223372036854775808", "5_000", "0x10", " 5000", "5000 ", "+", "5e3"};
  private static final String[] ENDS = {"\n", "\r\n", "\n\n", "\r\r\n", "\r\n\r\n", "\n \n", "\r", "\n\t\n"};
  private static final String[] EDGES = {"", " ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "\u0085", "\u2029",
      "\u001c", "\u000b", "\u200b", "\f\n "};
  private static final String[] EXTRAS = {"ext-0-foo sha256:" + HEX2, "ext-1-bar sha256:" + HEX2,
      "ext-0-baz sha256:" + HEX2, "ext-10-foo sha256:" + HEX2, "ext-2- sha256:" + HEX2, "ext-3-q sha256:"
      + HEX2.toUpperCase(), "ext-4-x!y sha256:" + HEX2, "foo bar", "x-note y", "version " + GIT_LFS,
      "oid sha256:" + HEX2, "size 12", "prose"};
  private static final int[] LENGTHS = {1000, 1022, 1023, 1024, 1025, 1100, 2048};
  private static final int[][] ORDERS = {{0, 1, 2}, {1, 0, 2}, {0, 2, 1}, {2, 1, 0}};

  @TempDir Path tmp;

  @BeforeEach
  void gitLfs() throws Exception {
    assumeTrue(run(List.of("git", "lfs", "version")) == 0, "git lfs not installed: skipping (apt-get install git-lfs)");
  }

  @Test
  void namedVariantsAreReadAsGitLfsReadsThem() throws Exception {
    String pointer = "version " + GIT_LFS + "\noid sha256:" + HEX + "\nsize 5000\n";
    String version = "version " + GIT_LFS + "\n";
    Map<String, String> variants = new LinkedHashMap<>();
    variants.put("canonical", pointer);
    variants.put("CRLF", pointer.replace("\n", "\r\n"));
    variants.put("no final newline", pointer.strip());
    variants.put("blanks around", " \n\t" + pointer + "  \n");
    variants.put("NBSP after", pointer + "\u00a0");
    variants.put("U+001C after", pointer + "\u001c");
    variants.put("extension before oid", version + "ext-0-foo sha256:" + HEX2 + "\noid sha256:" + HEX + "\nsize 5000\n");
    variants.put("extension first", "ext-0-foo sha256:" + HEX2 + "\n" + pointer);
    variants.put("extension after size", pointer + "ext-0-foo sha256:" + HEX2 + "\n");
    variants.put("upper-case oid", pointer.replace("cd72", "CD72"));
    variants.put("size +5000", pointer.replace("size 5000", "size +5000"));
    variants.put("size -0", pointer.replace("size 5000", "size -0"));
    variants.put("size 0", pointer.replace("size 5000", "size 0"));
    variants.put("extra key", pointer + "foo bar\n");
    variants.put("alpha version", pointer.replace(GIT_LFS, "http://git-media.io/v/2"));
    variants.put("1,024 bytes, blank-padded, then text", pad(pointer, LfsPointer.READ_LIMIT, ' ') + "tail");
    variants.put("1,024 bytes ending in text", pad(pointer, LfsPointer.READ_LIMIT - 1, ' ') + "x");
    variants.put("1,023 bytes", pad(pointer, LfsPointer.READ_LIMIT - 1, '\n'));
    for (Map.Entry<String, String> v : variants.entrySet()) {
      byte[] data = v.getValue().getBytes(StandardCharsets.UTF_8);
      assertEquals(gitLfsAccepts(data), LfsPointer.parse(data).isPresent(), v.getKey());
    }
  }

  /** 400 random variants; how many are pointers varies from run to run (35 in one), so each kind's floor is 15. */
  @Test
  void generatedVariantsAreReadAsGitLfsReadsThem() {
    AtomicInteger pointers = new AtomicInteger();
    AtomicInteger files = new AtomicInteger();
    qt().withExamples(400).withShrinkCycles(200).forAll(lists().of(integers().between(0, 9999)).ofSize(16))
        .checkAssert(choices -> {
          byte[] data = variant(choices).getBytes(StandardCharsets.UTF_8);
          boolean expected = gitLfsAccepts(data);
          (expected ? pointers : files).incrementAndGet();
          assertEquals(expected, LfsPointer.parse(data).isPresent(), () -> "git lfs " + (expected ? "accepts" : "refuses")
              + " " + escape(new String(data, StandardCharsets.UTF_8)));
        });
    assertTrue(pointers.get() >= 15 && files.get() >= 15, pointers + " pointers, " + files + " files: both kinds tried");
  }

  /** A pointer made of choices, each an index into a list of forms; the first form, the canonical, 3 times in 4. */
  private static String variant(List<Integer> c) {
    String[] core = {"version " + pick(c.get(0), VERSIONS), "oid " + pick(c.get(1), OIDS), "size " + pick(c.get(2), SIZES)};
    int[] order = c.get(3) % 4 == 0 ? ORDERS[c.get(3) / 4 % ORDERS.length] : ORDERS[0];
    List<String> lines = new ArrayList<>(List.of(core[order[0]], core[order[1]], core[order[2]]));
    for (int i = 0; i < c.get(4) % 3; i++) {
      lines.add(c.get(5 + i) % (lines.size() + 1), EXTRAS[c.get(7 + i) % EXTRAS.length]);
    }
    StringBuilder text = new StringBuilder(pick(c.get(9), EDGES));
    for (int i = 0; i < lines.size(); i++) {
      boolean last = i == lines.size() - 1;
      text.append(lines.get(i)).append(last && c.get(10) % 3 == 0 ? "" : pick(c.get(11 + Math.min(i, 2)), ENDS));
    }
    text.append(pick(c.get(14), EDGES));
    if (c.get(15) % 4 == 0) {
      int length = LENGTHS[c.get(15) / 4 % LENGTHS.length];
      return pad(text.toString(), length, c.get(15) % 8 == 0 ? ' ' : '\n') + (c.get(15) % 3 == 0 ? "x" : "");
    }
    return text.toString();
  }

  private static String pick(int choice, String[] forms) {
    return choice % 4 != 0 ? forms[0] : forms[choice / 4 % forms.length];
  }

  /** {@code text} and {@code fill} up to {@code length} UTF-8 bytes (unchanged when already as long). */
  private static String pad(String text, int length, char fill) {
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    return text + String.valueOf(fill).repeat(Math.max(0, length - bytes));
  }

  private boolean gitLfsAccepts(byte[] data) {
    try {
      Path file = Files.write(Files.createTempFile(tmp, "variant", ".bin"), data);
      int exit = run(List.of("git", "lfs", "pointer", "--check", "--file=" + file));
      Files.delete(file);
      if (exit > 1) {
        fail("git lfs pointer --check exited " + exit);
      }
      return exit == 0;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int run(List<String> argv) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      return -1; // no git
    }
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail(argv + " did not end");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return p.exitValue();
  }

  private static String escape(String text) {
    StringBuilder b = new StringBuilder("\"");
    text.codePoints().forEach(c -> b.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? Character.toString(c)
        : String.format("\\x{%x}", c)));
    return b.append('"').toString();
  }
}
