package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gitops.model.Problem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A file over {@link YamlReader#MAX_CODE_POINTS} is refused before it is parsed, naming the limit. */
class YamlSizeTest {
  /** {@code lines} lines of {@code line}, as bytes. */
  private static byte[] repeat(String line, int lines) {
    byte[] one = line.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[one.length * lines];
    for (int i = 0; i < lines; i++) {
      System.arraycopy(one, 0, all, i * one.length, one.length);
    }
    return all;
  }

  private static List<Problem> problems(YamlReader reader, byte[] data) {
    List<Problem> problems = new ArrayList<>();
    assertEquals(List.of(), reader.read("big.yaml", data, problems), "no document of a refused file");
    return problems;
  }

  @Test
  void aHundredMebibyteManifestIsRefusedBeforeParsingNamingTheLimitAndTheLineItPasses() {
    byte[] data = repeat("k0000000: v\n", 100 * 1024 * 1024 / 12); // 100 MiB, one document of 8.7 M keys
    String expected = "[big.yaml:5592406: more than 67108864 characters (YamlReader.MAX_CODE_POINTS, 64 Mi): a"
        + " file this long is no manifest anyone reviews; split it into several files]";
    assertEquals(expected, problems(YamlReader.yaml11(), data).toString());
    assertEquals(expected, problems(YamlReader.text(), data).toString());
  }

  @Test
  void aJsonStreamOverTheLimitIsRefusedToo() {
    byte[] data = repeat("{\"a\":1}\n", 9 * 1024 * 1024); // 72 MiB of small JSON values
    assertEquals(1, problems(YamlReader.yaml11(), data).size());
  }

  @Test
  void multiByteCharactersCountOnceAndAFileAtTheLimitIsRead() {
    byte[] data = repeat("# \u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\n",
        YamlReader.MAX_CODE_POINTS / 16); // 16 characters, 29 bytes a line: 116 MiB of bytes, 64 Mi characters
    List<Problem> problems = new ArrayList<>();
    assertEquals(List.of(), YamlReader.text().read("c.yaml", data, problems), "comments only: no document");
    assertEquals(List.of(), problems);
    byte[] over = Arrays.copyOf(data, data.length + 1);
    over[data.length] = '\n';
    assertEquals(1, problems(YamlReader.text(), over).size(), "one character more");
  }
}
