package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.model.Problem;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link YamlReader#yaml11()} reads what kubectl reads (its results, from kubectl v1.32 on the same
 * text, are the expected values here; the differential ReadsLikeKubectlIT runs the real one), or
 * refuses at the line where kubectl refuses or would send other than the file says.
 */
class Yaml11Test {
  private static JsonNode value(String scalar) {
    List<Problem> problems = new ArrayList<>();
    List<YamlReader.Document> docs = YamlReader.yaml11().read("f.yaml",
        ("a: 1\nv: " + scalar + "\n").getBytes(StandardCharsets.UTF_8), problems);
    assertEquals(List.of(), problems, scalar);
    return docs.get(0).tree().get("v");
  }

  private static Problem refused(String yaml) {
    List<Problem> problems = new ArrayList<>();
    YamlReader.yaml11().read("f.yaml", yaml.getBytes(StandardCharsets.UTF_8), problems);
    assertEquals(1, problems.size(), yaml + ": " + problems);
    return problems.get(0);
  }

  @Test
  void integersAreReadAsGoParsesThemWithBaseZero() {
    assertEquals(10, value("0o12").intValue(), "was the text 0o12");
    assertEquals(10, value("0O12").intValue());
    assertEquals(31, value("0X1f").intValue(), "was the text 0X1f");
    assertEquals(5, value("0B101").intValue());
    assertEquals(-31, value("-0x1F").intValue());
    assertEquals(10, value("012").intValue());
    assertEquals(1000, value("1_000").intValue());
    assertEquals(new BigInteger("9223372036854775808"), value("9223372036854775808").bigIntegerValue());
    assertTrue(value("7").isInt());
  }

  @Test
  void whatGoCannotReadAsAnIntegerIsAFloatOrText() {
    assertEquals(8.0, value("08").doubleValue(), "ParseInt refuses 08, ParseFloat reads it; was the text 08");
    assertEquals(778.0, value("0778").doubleValue());
    assertEquals("0x10000000000000000", value("0x10000000000000000").asText(), "beyond uint64; was a number");
    assertEquals("1e400", value("1e400").asText(), "beyond float64; was infinity");
    assertEquals("-1e400", value("-1e400").asText());
    assertEquals("190:20:30.15", value("190:20:30.15").asText(), "was refused as a malformed number");
    assertEquals("1:20", value("1:20").asText());
    assertEquals("0x1.8p1", value("0x1.8p1").asText());
    assertEquals(0.5, value(".5").doubleValue());
    assertEquals(0.772, value(".77_2").doubleValue(), "Go's ParseFloat takes '_' between digits; was the text");
    assertEquals("._7", value("._7").asText());
  }

  /**
   * From 2^53 to 1e21 a float is the integer Go's encoding/json writes for go-yaml's float64 (its
   * shortest decimal), as kubectl sends it; ReadsLikeKubectlIT found {@code 000001000000010767e06}.
   */
  @Test
  void aWholeFloatPastTwoToTheFiftyThreeIsTheIntegerGoWrites() {
    assertEquals(new BigInteger("1000000010767000000"), value("000001000000010767e06").bigIntegerValue(),
        "was the double's exact value 1000000010767000064");
    assertEquals(new BigInteger("-1000000010767000000"), value("-1.000000010767e18").bigIntegerValue());
    assertEquals(new BigInteger("10000000000000000000"), value("1e19").bigIntegerValue(), "past int64 too");
    assertEquals(new BigInteger("1000000000000000000"), value("!!float 1e18").bigIntegerValue());
    assertEquals(new BigInteger("9007199254740992"), value("9007199254740993.0").bigIntegerValue(),
        "the nearest double, 2^53");
    assertTrue(value("1e21").isDouble(), "Go writes 1e+21: the same float");
    assertTrue(value("4503599627370497.0").isDouble(), "below 2^53 a whole double is its decimal");
    assertTrue(refused("v: !!int 1e18\n").message().startsWith("the tag !!int does not fit '1e18'"),
        "go-yaml refuses a float under !!int, whole or not");
  }

  @Test
  void tagsAreReadAsGoYamlReadsThem() {
    assertEquals("yes", value("!!str yes").asText(), "was the boolean true");
    assertEquals("yes", value("! yes").asText(), "was the boolean true");
    assertEquals("1", value("! 1").asText(), "was the number 1");
    assertTrue(value("!!null ''").isNull(), "was the empty string");
    assertTrue(value("!!null").isNull(), "was the empty string");
    assertEquals("hello", value("!!binary aGVsbG8=").asText(), "was the bytes, written back as base64");
    assertEquals("hello", value("!!binary |\n  aGVs\n  bG8=").asText());
    assertEquals(1.0, value("!!float 1").doubleValue());
    assertTrue(value("!!float 1").isDouble());
    assertEquals(1, value("!!int '1'").intValue());
    assertEquals("2001-12-14", value("!!timestamp 2001-12-14").asText());
    assertEquals("1", value("!foo 1").asText());
  }

  @Test
  void aTagTheTextDoesNotFitIsRefusedAtItsLine() {
    for (String tagged : List.of("!!int yes", "!!bool 1", "!!int 1.5", "!!null x", "!!timestamp x", "!!binary aGVsbG8",
        "!!binary /w==", "!!binary aGVs bG8=", "!!float .inf")) {
      Problem p = refused("a: 1\nv: " + tagged + "\n");
      assertEquals(2, p.line(), tagged);
    }
    assertTrue(refused("v: !!int yes\n").message().startsWith("the tag !!int does not fit 'yes'"));
    assertTrue(refused("v: !!binary /w==\n").message().contains("no UTF-8 text"));
  }

  /**
   * A refusal quotes the text it refuses, which a double-quoted scalar can make anything ({@code \e},
   * {@code \n}): the problem keeps it escaped, whichever check quoted it (a tagged value, a tagged key).
   */
  @Test
  void aRefusalQuotingAnEscapedScalarPrintsItEscaped() {
    Problem value = refused("v: !!int \"1\\e[2J\\n[WARN] forged\"\n");
    assertTrue(value.message().startsWith("the tag !!int does not fit '1\\x1b[2J\\n[WARN] forged'"), value.message());
    Problem key = refused("!!int \"a\\e[2J\\n[WARN] forged\": 1\n");
    assertTrue(key.message().startsWith("the key 'a\\x1b[2J\\n[WARN] forged' has the tag !!int"), key.message());
    for (Problem p : List.of(value, key)) {
      assertTrue(p.toString().chars().noneMatch(c -> c < 0x20), p.toString());
    }
  }

  @Test
  void anEscapeOfASurrogateIsRefusedAloneOrAsAPair() {
    for (String escaped : List.of("\"x\\uD800\"", "\"\\uD83D\\uDE00\"", "\"\\ud83d\\ude00\"", "\"\\uDE00\\uD83D\"",
        "\"a\\\\\\uDFFF\"", "[\"\\uD83D\\uDE00\"]")) {
      Problem p = refused("a: 1\nv: " + escaped + "\n");
      assertEquals(2, p.line(), escaped);
      assertTrue(p.message().contains("which kubectl refuses"), p.message());
      Problem key = refused("a: 1\n" + escaped.replace("[", "").replace("]", "") + ": v\n");
      assertEquals(2, key.line(), escaped);
    }
    assertEquals("\uD83D\uDE00", value("\"\\U0001F600\"").asText(), "a whole character's escape reads");
    assertEquals("\uD83D\uDE00", value("\"\uD83D\uDE00\"").asText(), "the character itself reads");
    assertEquals("\\uD83D\\uDE00", value("'\\uD83D\\uDE00'").asText(), "single quotes hold no escapes");
    assertEquals("\\uD83D\\uDE00", value("\\uD83D\\uDE00").asText(), "nor does a plain scalar");
    assertEquals("\\uD800", value("\"\\\\uD800\"").asText(), "an escaped backslash and text");
    assertEquals("\u00e9", value("\"\\u00e9\"").asText(), "an escape of another character reads");
  }

  @Test
  void aKeyWrittenAboveAMergeThatAlsoGivesItIsRefused() {
    Problem p = refused("x: &x {p: 1, q: 1}\nb:\n  q: 2\n  <<: *x\n");
    assertEquals(4, p.line());
    assertTrue(p.message().startsWith("the merge key '<<' gives 'q', which this mapping sets above it"), p.message());
    assertEquals(4, refused("x: &x {q: 1}\nb:\n  q: 2\n  <<: [{r: 1}, *x]\n").line());
    List<Problem> none = new ArrayList<>();
    JsonNode below = YamlReader.yaml11().read("f.yaml", "x: &x {p: 1, q: 1}\nb:\n  r: 2\n  <<: *x\n  q: 2\n"
        .getBytes(StandardCharsets.UTF_8), none).get(0).tree().get("b");
    assertEquals(List.of(), none);
    assertEquals(2, below.get("q").intValue(), "a key written below the merge wins, as in go-yaml");
    assertEquals(1, below.get("p").intValue());
  }

  @Test
  void anAnchorOrAliasNameGoYamlRefusesIsRefused() {
    for (String yaml : List.of("a: 1\nv: &é 1\n", "a: 1\nv: &\"x 1\n", "a: 1\nv: &x\uFEFF 1\n",
        "a: &x 1\nv: *x\uFEFF\n", "a: 1\n&x> v: 1\n")) {
      Problem p = refused(yaml);
      assertEquals(2, p.line(), yaml);
      assertTrue(p.message().contains("in its name, which kubectl (go-yaml) refuses, or ends the name"), p.message());
    }
    assertEquals(1, value("{a: &x-y_Z9 1, b: *x-y_Z9}").get("b").intValue());
  }

  @Test
  void aPlainScalarEndingInAColonBeforeAFlowIndicatorIsRefused() {
    for (String flow : List.of("[x:]", "[x:, y]", "{x:}", "{x:, y: 1}", "[{x:}]")) {
      Problem p = refused("a: 1\nv: " + flow + "\n");
      assertEquals(2, p.line(), flow);
      assertTrue(p.message().startsWith("'x:' right before '"), p.message());
      assertTrue(p.message().contains("the text 'x:' to kubectl (go-yaml)"), p.message());
    }
    assertEquals("[{\"x\":null},\"x:y\",{\"x\":1}]", value("[x: , x:y, \"x\":1]").toString());
  }

  @Test
  void anEmptyListOfMergesMergesNothing() {
    assertEquals("{}", value("{<<: []}").toString(), "was refused as 'a list holding a list'");
  }

  @Test
  void aKeyKubectlSendsAsWrittenIsTaken() {
    assertEquals("{\"1.5\":1,\".inf\":2,\"-.inf\":3,\"0.0001\":4,\"on\":5,\"y\":6}",
        value("{1.5: 1, .inf: 2, -.inf: 3, 0.0001: 4, !!str on: 5, !foo y: 6}").toString(),
        "1.5, .inf and !!str on were refused");
    assertEquals("{\"871900.1\":1,\"31161.71\":2,\"1e+06\":3}", value("{871900.1: 1, 31161.71: 2, 1e+06: 3}").toString(),
        "floats Go writes back as written, as a float32's shortest form; were refused");
    for (String key : List.of(".Inf", "1.50", "0.00001", "1234567.5", "16777217.0", "1e39", "!!int 1", "!!bool yes",
        "")) {
      assertEquals(2, refused("a: 1\n" + key + ": v\n").line(), key);
    }
  }

  @Test
  void aFloatKeyIsWrittenAsGoWritesAFloat32() {
    assertEquals("0.1", Yaml11.goFloat32(0.1));
    assertEquals("123456.5", Yaml11.goFloat32(123456.5));
    assertEquals("1e+07", Yaml11.goFloat32(1e7));
    assertEquals("1.5e-05", Yaml11.goFloat32(1.5e-5));
    assertEquals("1.6777216e+07", Yaml11.goFloat32(16777217.0));
    assertEquals("-0.0001", Yaml11.goFloat32(-1e-4));
    assertEquals(".inf", Yaml11.goFloat32(1e39));
    assertEquals("3.4028235e+38", Yaml11.goFloat32(Float.MAX_VALUE));
  }

  @Test
  void linesKubectlsDocumentSplitterRefusesOrReadsOtherwiseAreRefused() {
    Problem marker = refused("a: 1\n--- {b: 2}\n");
    assertEquals(2, marker.line());
    assertTrue(marker.message().startsWith("'---' followed by '{b: 2}' on its line"), marker.message());
    assertEquals(1, refused("%YAML 1.1\n---\na: 1\n").line());
    assertEquals(1, refused("%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n").line());
    Problem bom = refused("a: 1\n---\n\uFEFFb: 2\n");
    assertEquals(3, bom.line());
    assertTrue(bom.message().startsWith("a byte order mark (U+FEFF) starts this line"), bom.message());
    assertEquals(1, refused("\uFEFF\uFEFFa: 1\n").line());
    List<Problem> none = new ArrayList<>();
    YamlReader.yaml11().read("f.yaml", "\uFEFFa: x\uFEFFy\n--- # c\nb: 2\n".getBytes(StandardCharsets.UTF_8), none);
    assertEquals(List.of(), none, "one mark starting the file, one inside a value, a comment after ---");
  }

  /** kubectl 1.32: "did not find expected node content" for the first two, one document read of the others. */
  @Test
  void aPartOfTheFileThatKubectlReadsOtherwiseThanYamlIsRefusedAtItsLine() {
    Problem end = refused("a: 1\n---\n# c\n...\n");
    assertEquals(4, end.line());
    assertTrue(end.message().startsWith("'...' (the end of a document) where no document started"), end.message());
    assertEquals(2, refused("# c\n...\na: 1\n").line());
    Problem hidden = refused("a: 1\r---\rb: 2\r");
    assertEquals(2, hidden.line());
    assertTrue(hidden.message().startsWith("'---' after a line break other than LF"), hidden.message());
    assertEquals(3, refused("a: 1\nb: 2\u2028--- # c\nc: 3\n").line());
    List<Problem> none = new ArrayList<>();
    YamlReader.yaml11().read("f.yaml", "---\n...\n---\na: 1\r\n---\r\nb: 2\r\n...\r\n".getBytes(StandardCharsets.UTF_8),
        none);
    assertEquals(List.of(), none, "a first '---' keeps its '...' in its part; CR LF ends lines as LF does");
  }

  @Test
  void aMergeKeyIsOneAsGoYamlTakesIt() {
    JsonNode merged = YamlReader.yaml11().read("f.yaml", ("x: &x {p: 1}\na: {!!merge <<: *x}\nb: {! '<<': *x}\n"
        + "c: {!!str <<: *x}\nd: {!foo <<: *x}\ne: {!!merge f: 2}\n").getBytes(StandardCharsets.UTF_8), new ArrayList<>())
        .get(0).tree();
    assertEquals("{\"p\":1}", merged.get("a").toString());
    assertEquals("{\"p\":1}", merged.get("b").toString());
    assertEquals("{\"<<\":{\"p\":1}}", merged.get("c").toString());
    assertEquals("{\"<<\":{\"p\":1}}", merged.get("d").toString());
    assertEquals("{\"f\":2}", merged.get("e").toString());
  }

  /**
   * A double-quoted {@code \\'} is a quote to go-yaml (libyaml's escapes), so to kubectl, which SnakeYAML
   * does not know: kubectl 1.32 ({@code kubectl annotate --local -f}) read this file as the expected JSON.
   * A {@code \\'} anywhere else is text, as kubectl reads it.
   */
  @Test
  void aDoubleQuotedBackslashQuoteIsAQuoteAsKubectlReadsIt() throws Exception {
    String yaml = "a: \"x\\'y\"\nb: 'x\\'\nc: x\\'y\nd: \"\\\\'\"\ne: \"\\\\\\'\"\n\"k\\'\": v\n"
        + "f: [\"\\'\", '\\', \"a\\'b\"]\n# \"x\\'y\"\ng: |\n  \"x\\'y\"\nh: \"a\\'b\\'c\\'\" # c\ni: \"x\\\n  \\'y\"\n"
        + "j:\t\"\\'\"\n";
    List<Problem> problems = new ArrayList<>();
    List<YamlReader.Document> docs = YamlReader.yaml11().read("f.yaml", yaml.getBytes(StandardCharsets.UTF_8), problems);
    assertEquals(List.of(), problems);
    assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"a\":\"x'y\",\"b\":\"x\\\\\","
        + "\"c\":\"x\\\\'y\",\"d\":\"\\\\'\",\"e\":\"\\\\'\",\"f\":[\"'\",\"\\\\\",\"a'b\"],\"g\":\"\\\"x\\\\'y\\\"\\n\","
        + "\"h\":\"a'b'c'\",\"i\":\"x'y\",\"k'\":\"v\",\"j\":\"'\"}"), docs.get(0).tree());
    assertEquals(12, docs.get(0).lineOf("/i"), "lines stay where they are");
  }

  /**
   * Two merge keys in one mapping: kubectl 1.32 reads them, the later overriding the earlier (go-yaml v2
   * sets keys in the order written), Kustomize 5.5 refuses them ("duplicate merge key"), YAML takes a key
   * once: refused, saying so, at the second one's line.
   */
  @Test
  void aSecondMergeKeyIsRefusedSayingWhy() {
    Problem p = refused("a: &a {p: 1}\nb:\n  <<: *a\n  r: 2\n  <<: {q: 2}\n");
    assertEquals(5, p.line());
    assertEquals("a second merge key '<<' in one mapping (the first at line 3), which kubectl (go-yaml) merges over"
        + " the first while Kustomize refuses it and YAML takes a key once: write one '<<' with a list, whose earlier"
        + " mappings win ('<<: [*b, *a]')", p.message());
    assertEquals(new Problem("f.yaml", 3, null, "duplicate mapping key '<<' (first at line 2)"),
        refused("b:\n  \"<<\": {p: 1}\n  <<: {q: 2}\n"), "a quoted '<<' is an ordinary key, given twice");
    assertEquals(new Problem("f.yaml", 1, null, "duplicate mapping key 'a'"), refused("x: {a: 1, b: 2, a: 3}\n"));
  }

  /**
   * A key that is not '<<' is never a second merge key nor the same key as '<<': kubectl 1.32 reads
   * {@code "<\u2039"} then {@code <<} as the key {@code <\u2039} and a merge (ReadsLikeKubectlIT runs it).
   */
  @Test
  void aKeyLikeTheMergeKeyIsAnotherKey() throws Exception {
    List<Problem> problems = new ArrayList<>();
    List<YamlReader.Document> docs = YamlReader.yaml11().read("f.yaml",
        "b:\n  \"<\u2039\": {p: 1}\n  <<: {q: 2}\n".getBytes(StandardCharsets.UTF_8), problems);
    assertEquals(List.of(), problems);
    assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"b\":{\"<\u2039\":{\"p\":1},\"q\":2}}"),
        docs.get(0).tree());
  }
}
