package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Problem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A manifest that starts with '{' is read as kubectl 1.32 reads it, as JSON (each expectation was
 * checked with {@code kubectl annotate --local -f}).
 */
class JsonDocumentsTest {
  private static List<YamlReader.Document> read(String text, List<Problem> problems) {
    return YamlReader.yaml11().read("f.json", text.getBytes(StandardCharsets.UTF_8), problems);
  }

  private static Problem refused(String text) {
    List<Problem> problems = new ArrayList<>();
    read(text, problems);
    assertEquals(1, problems.size(), text + ": " + problems);
    return problems.get(0);
  }

  @Test
  void aFileIsJsonWhenItStartsWithABraceAfterWhiteSpaceInItsFirst4096Bytes() {
    assertTrue(JsonDocuments.isJson("{}"));
    assertTrue(JsonDocuments.isJson(" \r\n\t\u00A0{}"));
    assertFalse(JsonDocuments.isJson("\uFEFF{}"), "kubectl's sniffing takes no byte order mark for white space");
    assertFalse(JsonDocuments.isJson("# c\n{}"));
    assertFalse(JsonDocuments.isJson("[{}]"));
    assertTrue(JsonDocuments.isJson(" ".repeat(4095) + "{}"));
    assertFalse(JsonDocuments.isJson(" ".repeat(4096) + "{}"));
  }

  @Test
  void jsonEscapesAndAStreamOfObjectsAreReadWithTheirLines() {
    List<Problem> problems = new ArrayList<>();
    List<YamlReader.Document> docs = read("{\"a\": \"\\/x\\ud83d\\ude00\",\n \"b\": {\"c\": [1.0, 1e3, 12]}}\n\n"
        + "{\"d\": null}", problems);
    assertEquals(List.of(), problems);
    assertEquals(2, docs.size());
    assertEquals("/x\uD83D\uDE00", docs.get(0).tree().get("a").asText());
    assertEquals("[1.0,1000.0,12]", docs.get(0).tree().path("b").path("c").toString());
    assertEquals(2, docs.get(0).lineOf("/b/c"));
    assertEquals(4, docs.get(1).line());
  }

  @Test
  void whatYamlReadsAndJsonDoesNotIsAnErrorAtItsLineThatShowsNoValue() {
    Problem comment = refused("{\n  \"a\": 1 # c\n}\n");
    assertEquals(2, comment.line());
    assertEquals("invalid JSON at column 10: unexpected '#': was expecting comma to separate Object entries"
        + " (kubectl reads a file that starts with '{' as JSON)", comment.message());
    Problem word = refused("{\"kind\": \"Secret\", \"data\": {\"password\": hunter2}}");
    assertFalse(word.message().contains("hunter2"), word.message());
    assertTrue(word.message().contains("a word where JSON takes a quoted string"), word.message());
    assertTrue(refused("{\"a\": 1,}").message().startsWith("invalid JSON at column 9: unexpected '}'"));
    assertTrue(refused("{\"a\": '1'}").message().startsWith("invalid JSON at column 7: unexpected '''"));
    assertTrue(refused("{\"a\": \"\\x41\"}").message().startsWith("invalid JSON at column 9: Unrecognized character escape"));
  }

  @Test
  void whatKubectlWouldSendOtherwiseIsRefused() {
    assertEquals("duplicate mapping key 'a'", refused("{\"a\": 1,\n \"a\": 2}").message());
    assertTrue(refused("{\"a\": \"\\ud800\"}").message().startsWith("a \\u escape of a UTF-16 surrogate that is not one"));
    assertTrue(refused("{\"a\": 1e400}").message().startsWith("a number beyond the range of a float64"));
  }
}
