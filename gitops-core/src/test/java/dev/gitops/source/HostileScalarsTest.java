package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.model.Problem;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Numbers small on disk and costly to read: each is read in time growing with its length, as go-yaml
 * (kubectl's reader) types it, or refused at its line without showing it.
 */
class HostileScalarsTest {
  /** Far above what reading takes (a second), far below what a BigInteger of two million digits took (minutes). */
  private static final Duration BOUND = Duration.ofSeconds(30);

  private static JsonNode value(YamlReader reader, String text) {
    List<Problem> problems = new ArrayList<>();
    List<YamlReader.Document> docs = assertTimeoutPreemptively(BOUND,
        () -> reader.read("n.yaml", ("a: " + text + "\n").getBytes(StandardCharsets.UTF_8), problems));
    assertEquals(List.of(), problems);
    return docs.get(0).tree().get("a");
  }

  private static String refused(String json) {
    List<Problem> problems = new ArrayList<>();
    assertEquals(List.of(), YamlReader.yaml11().read("n.json", json.getBytes(StandardCharsets.UTF_8), problems));
    assertEquals(1, problems.size());
    return problems.get(0).toString();
  }

  @Test
  void anIntegerOfMillionsOfDigitsIsTextAsGoYamlKeepsIt() {
    String digits = "9".repeat(2_000_000);
    assertEquals(digits, value(YamlReader.yaml11(), digits).textValue());
    assertEquals(digits, value(YamlReader.typed(), digits).textValue());
    assertEquals("0x" + "f".repeat(2_000_000), value(YamlReader.yaml11(), "0x" + "f".repeat(2_000_000)).textValue());
  }

  @Test
  void leadingZerosCountForNothing() {
    assertEquals(15, value(YamlReader.yaml11(), "0".repeat(1_000_000) + "17").intValue(), "octal 17, as ParseInt reads it");
    assertEquals(-1, value(YamlReader.yaml11(), "-0x" + "0".repeat(1_000_000) + "1").intValue());
    assertEquals("18446744073709551615", value(YamlReader.yaml11(), "0x" + "0".repeat(100) + "f".repeat(16)).asText());
    assertEquals("0x1" + "0".repeat(16), value(YamlReader.yaml11(), "0x1" + "0".repeat(16)).textValue(), "past uint64");
  }

  @Test
  void aFloatPastADoublesRangeIsTextNotInfinity() {
    assertEquals("1e999999999", value(YamlReader.yaml11(), "1e999999999").textValue());
    assertEquals("1e999999999", value(YamlReader.typed(), "1e999999999").textValue());
    assertEquals("-1e400", value(YamlReader.typed(), "-1e400").textValue());
    assertEquals(0.0, value(YamlReader.typed(), "1e-999999999").doubleValue());
    assertEquals(1e300, value(YamlReader.typed(), "1e300").doubleValue());
  }

  @Test
  void aJsonNumberPastTheLengthLimitIsRefusedAtItsLineNamingTheLimit() {
    assertEquals("n.json:3: a number of more than 1000 characters, which no field holds (Go's float64 keeps 17 digits"
        + " and ends near 1e308): write it shorter, or quote it if you mean text (kubectl reads a file that starts with"
        + " '{' as JSON)", refused("{\"kind\": \"Widget\",\n\"spec\":\n {\"v\": " + "9".repeat(1_000_000) + "}}\n"));
  }

  @Test
  void jsonNestedPastTheDepthLimitIsRefusedAtItsLine() {
    assertEquals("n.json:2: objects and arrays nest deeper than 1000 levels (YamlReader.MAX_DEPTH) (kubectl reads a"
        + " file that starts with '{' as JSON)", refused("{\"kind\": \"Widget\",\n\"spec\": " + "[".repeat(100_000)
        + "]".repeat(100_000) + "}\n"));
  }
}
