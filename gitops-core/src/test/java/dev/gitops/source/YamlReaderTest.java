package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.model.Problem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamlReaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static List<YamlReader.Document> read(YamlReader reader, String yaml, List<Problem> problems) {
    return reader.read("f.yaml", yaml.getBytes(StandardCharsets.UTF_8), problems);
  }

  private static JsonNode typed(String yaml) {
    List<Problem> problems = new ArrayList<>();
    List<YamlReader.Document> docs = read(YamlReader.typed(), yaml, problems);
    assertEquals(List.of(), problems);
    return docs.get(0).tree();
  }

  private static Problem refused(String yaml) {
    List<Problem> problems = new ArrayList<>();
    read(YamlReader.typed(), yaml, problems);
    assertEquals(1, problems.size(), problems.toString());
    List<Problem> textProblems = new ArrayList<>();
    read(YamlReader.text(), yaml, textProblems);
    assertEquals(problems, textProblems, "both readers refuse alike");
    return problems.get(0);
  }

  @Test
  void anAliasStandsForTheAnchoredValueNotItsName() {
    assertEquals(json("{\"first\":\"hello\",\"second\":\"hello\",\"n\":3,\"m\":3}"),
        typed("first: &val hello\nsecond: *val\nn: &num 3\nm: *num\n"));
    assertEquals(json("{\"a\":{\"x\":[1,2]},\"b\":{\"x\":[1,2]},\"c\":[[1,2]]}"),
        typed("a: &m {x: &l [1, 2]}\nb: *m\nc: [*l]\n"));
  }

  @Test
  void anAliasIsACopySoEditingOneLeavesTheOther() {
    JsonNode tree = typed("a: &m {x: 1}\nb: *m\n");
    ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("b")).put("x", 2);
    assertEquals(1, tree.get("a").get("x").asInt());
  }

  @Test
  void mergeKeysMergeUnderTheMappingsOwnKeys() {
    assertEquals(json("{\"x\":1,\"y\":9,\"z\":3}"),
        typed("base: &b {x: 1, y: 2}\nm:\n  y: 9\n  <<: *b\n  z: 3\n").get("m"));
    assertEquals(json("{\"x\":1,\"y\":2,\"w\":4}"),
        typed("a: &a {x: 1, y: 2}\nb: &b {y: 3, w: 4}\nm:\n  <<: [*a, *b]\n").get("m"),
        "an earlier mapping of the list wins over a later one");
    assertEquals(json("{\"k\":1,\"v\":2}"), typed("m:\n  <<: {k: 1}\n  v: 2\n").get("m"),
        "an inline mapping merges too");
  }

  @Test
  void anEmptyPlainScalarIsNullAsGoYamlReadsItAndQuotedEmptyIsTheEmptyString() {
    assertEquals(json("{\"a\":null,\"b\":\"\",\"c\":\"\",\"m\":{\"k\":null},\"l\":[null,\"x\"],"
            + "\"f\":{\"e\":null}}"),
        typed("a:\nb: ''\nc: \"\"\nm:\n  k:\nl:\n-\n- x\nf: {e: }\n"));
  }

  @Test
  void aQuotedMergeKeyIsAnOrdinaryKey() {
    assertEquals(json("{\"<<\":{\"x\":1}}"), typed("m:\n  \"<<\": {x: 1}\n").get("m"));
  }

  @Test
  void theTextReaderKeepsScalarsAsWrittenThroughAliasesAndMerges() {
    List<Problem> problems = new ArrayList<>();
    YamlReader.Document doc = read(YamlReader.text(), """
        defaults: &d
          mode: 0644
        files:
          - <<: *d
            glob: "etc/**"
        watch: &g "etc/**"
        handlers:
          - watch: [*g]
        """, problems).get(0);
    assertEquals(List.of(), problems);
    assertEquals("0644", doc.tree().at("/files/0/mode").asText());
    assertEquals("etc/**", doc.tree().at("/handlers/0/watch/0").asText());
    assertEquals(8, doc.lineOf("/handlers/0/watch/0"));
    assertEquals(4, doc.lineOf("/files/0/mode"), "a merged key has the line of its '<<'");
  }

  @Test
  void anUndefinedAliasIsAnErrorWithItsLine() {
    Problem p = refused("a: 1\nb: *nope\n");
    assertEquals(2, p.line());
    assertEquals("f.yaml", p.file());
    assertEquals("undefined alias *nope (no anchor &nope before it in this document)", p.message());
  }

  @Test
  void anchorsDoNotCrossDocuments() {
    assertEquals(4, refused("a: &x 1\n---\nb: 2\nc: *x\n").line());
  }

  @Test
  void anAliasInsideTheNodeItNamesIsAnError() {
    assertTrue(refused("a: &x [1, *x]\n").message().contains("refers to the node that contains it"));
  }

  @Test
  void mergingAScalarIsAnErrorWithItsLine() {
    Problem p = refused("a: &s hi\nm:\n  <<: *s\n");
    assertEquals(3, p.line());
    assertEquals("merge key '<<' takes a mapping or a list of mappings, not a string", p.message());
  }

  @Test
  void anAliasBombStopsAtTheNodeLimit() {
    StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 10; i++) {
      yaml.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 10; j++) {
        yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      yaml.append("]\n");
    }
    Problem p = refused(yaml.toString());
    assertTrue(p.message().startsWith("aliases expand to more than 100000 nodes in one file"),
        p.message());
    assertTrue(p.line() >= 5 && p.line() <= 7, "the line of the alias that went over: " + p.line());
  }

  @Test
  void aliasesAreCountedInOneDocument() {
    StringBuilder yaml = new StringBuilder("a: &s x\nl:\n");
    for (int i = 0; i <= YamlReader.MAX_ALIASES; i++) {
      yaml.append("- *s\n");
    }
    Problem p = refused(yaml.toString());
    assertEquals("more than 1000 aliases in one file", p.message());
    assertEquals(YamlReader.MAX_ALIASES + 3, p.line());
  }

  /**
   * The alias limits hold for the file, all its documents together: documents each just under a
   * limit per document would expand a file of 30 MB of them to gigabytes. The documents before the
   * one that passes a limit are read; the error names the file and the alias's line.
   */
  @Test
  void aliasesAreCountedPerFileNotPerDocument() {
    String doc = "a: &s x\nl:\n" + "- *s\n".repeat(YamlReader.MAX_ALIASES / 2 + 1); // 2 + 501 lines
    List<Problem> problems = new ArrayList<>();
    List<YamlReader.Document> docs = read(YamlReader.typed(), doc + "---\n" + doc, problems);
    assertEquals(List.of(new Problem("f.yaml", 504 + 2 + (YamlReader.MAX_ALIASES - 501) + 1, null,
        "more than 1000 aliases in one file")), problems);
    assertEquals(1, docs.size(), "the first document is read");

    String list = "a: &l [" + "x, ".repeat(YamlReader.MAX_ALIAS_NODES / 4) + "x]\nb: *l\nc: *l\n"; // 2 x 25,002 nodes
    List<Problem> nodes = new ArrayList<>();
    read(YamlReader.yaml11(), (list + "---\n").repeat(3), nodes);
    assertEquals(List.of(new Problem("f.yaml", 7, null,
        "aliases expand to more than 100000 nodes in one file (at *l)")), nodes, "the fourth copy passes the limit");
  }

  @Test
  void duplicateKeysNameBothLines() {
    Problem p = refused("a: 1\nb: 2\na: 3\n");
    assertEquals(3, p.line());
    assertEquals("duplicate mapping key 'a' (first at line 1)", p.message());
  }

  @Test
  void documentsBeforeAnErrorAreKept() {
    List<Problem> problems = new ArrayList<>();
    List<YamlReader.Document> docs = read(YamlReader.typed(), "a: 1\n---\nb: *x\n", problems);
    assertEquals(1, docs.size());
    assertEquals(1, problems.size());
  }
  @Test
  void bytesThatAreNotUtf8AreRefusedAtTheirLineNeverShownNorReplaced() {
    byte[] latin1 = "a: 1\nb: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    for (YamlReader reader : List.of(YamlReader.typed(), YamlReader.text())) {
      List<Problem> problems = new ArrayList<>();
      assertEquals(List.of(), reader.read("f.yaml", latin1, problems), "no document, not one with U+FFFD");
      assertEquals(List.of(new Problem("f.yaml", 2, null, "not UTF-8: this line holds bytes that UTF-8 text "
          + "never has; save the file as UTF-8")), problems);
    }
    List<Problem> utf16 = new ArrayList<>();
    YamlReader.typed().read("f.yaml", "a: 1\n".getBytes(StandardCharsets.UTF_16), utf16);
    assertEquals(1, utf16.get(0).line());
    assertTrue(utf16.get(0).message().contains("(the file starts with a UTF-16 byte order mark)"), utf16.toString());
    assertEquals("caf\u00e9 \uFFFD", typed("a: caf\u00e9 \uFFFD\n").get("a").asText(), "a U+FFFD written as UTF-8 is text");
  }

  @Test
  void nestingDeeperThanTheLimitIsRefusedAtItsLine() {
    Problem p = refused("a: 1\nb: 2\nc: " + "[".repeat(YamlReader.MAX_DEPTH + 1) + "]".repeat(YamlReader.MAX_DEPTH + 1) + "\n");
    assertEquals(3, p.line(), p.toString());
    assertTrue(p.message().contains("nesting depth"), p.message());
  }

  /**
   * Aliases nest too: each copies its anchor's depth below where it stands, so a chain of anchors
   * 300 levels deep each (a file of 2 KB) once nested 9,000 levels and overflowed the stack when
   * the copy was made. The depth limit holds for the tree the aliases build, at the alias that
   * passes it, and a tree at the limit built through aliases is read.
   */
  @Test
  void anAliasThatNestsPastTheDepthLimitIsRefusedAtItsLine() {
    StringBuilder yaml = new StringBuilder("a0: &a0 " + "[".repeat(300) + "x" + "]".repeat(300) + "\n");
    for (int i = 1; i < 30; i++) {
      yaml.append("a").append(i).append(": &a").append(i).append(' ').append("[".repeat(300)).append("*a")
          .append(i - 1).append("]".repeat(300)).append('\n');
    }
    Problem p = refused(yaml.toString());
    assertEquals(new Problem("f.yaml", 4, null, "alias *a2 nests mappings and lists deeper than the nesting depth"
        + " allowed, " + YamlReader.MAX_DEPTH + " levels"), p);
    String atLimit = "a: &a " + "[".repeat(499) + "x" + "]".repeat(499) + "\nb: " + "[".repeat(500) + "*a"
        + "]".repeat(500) + "\n";
    JsonNode b = typed(atLimit).get("b");
    for (int i = 0; i < YamlReader.MAX_DEPTH - 1; i++) {
      b = b.get(0);
    }
    assertEquals("x", b.asText());
  }

  @Test
  void aCharacterYamlDoesNotAllowIsRefusedAtItsOwnLineNamedByItsCode() {
    // SnakeYAML's refusal has no mark: the line was the last token's (1 here), the message said no more
    Problem p = refused("a: 1\nb: x\u0001y\n");
    assertEquals(new Problem("f.yaml", 2, null, "invalid YAML: character U+0001 is not allowed in a YAML file; "
        + "write it as an escape (\\u0001) inside double quotes"), p);
    assertEquals(5, refused("a: [1,\r\n 2]\r\nb: 'x\r\u2028\u007F'\n").line(), "CRLF, a lone CR and U+2028 break lines");
    assertEquals(6, refused("a: 1\n---\nb: [\n " + "x, ".repeat(400) + "\n ]\nc: \u0007\n").line());
  }

  @Test
  void aValueOfMillionsOfCharactersOnOneLineIsReadWhole() {
    String value = "x".repeat(8 * 1024 * 1024); // took 14 s through SnakeYAML's own reader, see TextStreamTest
    assertEquals(value, typed("a: 1\nb: " + value + "\n").get("b").asText());
    assertEquals(value, typed("{\"a\":1,\"b\":\"" + value + "\"}").get("b").asText());
  }

  @Test
  void yaml11ReadsPlainYAndNAsBooleansAndRefusesAPlainKeyKubectlWouldSendAsOtherText() {
    List<Problem> none = new ArrayList<>();
    JsonNode tree = YamlReader.yaml11().read("f.yaml", ("a: y\nb: N\nc: 'y'\nd: yes\ne: yo\n\"on\": 1\n'y': 2\n"
        + "true: 3\nfalse: 4\n80: 5\n-1: 6\nnull-ish: 7\n_a: 8\n+x: 9\n__: 10\nfalse-ish: 11\n")
        .getBytes(StandardCharsets.UTF_8), none).get(0).tree();
    assertEquals(List.of(), none);
    assertEquals(json("{\"a\":true,\"b\":false,\"c\":\"y\",\"d\":true,\"e\":\"yo\",\"on\":1,\"y\":2,\"true\":3,"
        + "\"false\":4,\"80\":5,\"-1\":6,\"null-ish\":7,\"_a\":8,\"+x\":9,\"__\":10,\"false-ish\":11}"), tree);
    assertEquals("y", typed("a: y\n").get("a").asText(), "typed() keeps y as text, as Jackson does");
    assertEquals(1, typed("on: 1\n").get("on").asInt(), "and a plain key as written");
    for (String key : List.of("on", "Off", "y", "N", "YES", "True", "~", "null", "0x1F", "010", "+1", "1_000", "1.10",
        "1.50", "1e3", ".Inf", "-0", "0o12", "9223372036854775808",
        "-.5")) {
      List<Problem> problems = new ArrayList<>();
      YamlReader.yaml11().read("f.yaml", ("a: 1\nb:\n  " + key + ": 2\n").getBytes(StandardCharsets.UTF_8), problems);
      assertEquals(1, problems.size(), key);
      assertEquals(3, problems.get(0).line(), key);
      assertTrue(problems.get(0).message().startsWith("the plain key '" + key + "' is "), problems.toString());
      assertTrue(problems.get(0).message().contains("quote it ('" + key + "')"), problems.toString());
    }
  }
}
