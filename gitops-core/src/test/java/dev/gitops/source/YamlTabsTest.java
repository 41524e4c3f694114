package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.model.Problem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Tabs are read where go-yaml (so kubectl) reads them, checked against what kubectl 1.32 printed for
 * each text ({@code kubectl annotate --local -f}): white space between tokens, text inside values,
 * and an error at the line where kubectl refuses them.
 */
class YamlTabsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Read(String yaml, String json) {}

  private static final List<Read> READ = List.of(
      new Read("k:\tv\n", "{\"k\":\"v\"}"),
      new Read("k: \t\t1\n", "{\"k\":1}"),
      new Read("k:\t\n", "{\"k\":null}"),
      new Read("k:\t# c\n  j: v\n", "{\"k\":{\"j\":\"v\"}}"),
      new Read("k:\t[a,\tb]\t# c\n", "{\"k\":[\"a\",\"b\"]}"),
      new Read("k: {\ta:\t1,\tb: [\t]\t}\n", "{\"k\":{\"a\":1,\"b\":[]}}"),
      new Read("k: [a,\n\tb]\n", "{\"k\":[\"a\",\"b\"]}"),
      new Read("k:\t&x\t'q'\t\nj:\t*x\t# c\n", "{\"k\":\"q\",\"j\":\"q\"}"),
      new Read("k: !!str\t1\n", "{\"k\":\"1\"}"),
      new Read("k:\t|-\t# c\n  a\n", "{\"k\":\"a\"}"),
      new Read("k: >2\t\n   a\n", "{\"k\":\" a\\n\"}"),
      new Read("k: a\n \tb\n", "{\"k\":\"a b\"}"),
      new Read("k: v\n   \t\nj: w\n", "{\"k\":\"v\",\"j\":\"w\"}"),
      new Read("k\t: v\n", "{\"k\":\"v\"}"),
      new Read("---\t# c\nk: v\r\nj:\tw\r\n", "{\"k\":\"v\",\"j\":\"w\"}"));

  private static final List<Read> KEPT = List.of(
      new Read("k: a\tb\t# c\n", "{\"k\":\"a\\tb\"}"),
      new Read("k: |\n  a:\tb\n  \tc\n", "{\"k\":\"a:\\tb\\n\\tc\\n\"}"),
      new Read("- |\n  x\n  a:\t[b,\tc]\n- d\n", "[\"x\\na:\\t[b,\\tc]\\n\",\"d\"]"),
      new Read("k: \"a:\tb\n  \tc\"\n", "{\"k\":\"a:\\tb c\"}"),
      new Read("k: 'a,\t[b]'\n", "{\"k\":\"a,\\t[b]\"}"),
      new Read("k: [\"a:\t{b\"]\n", "{\"k\":[\"a:\\t{b\"]}"),
      new Read("k: >\n  a\n  \tb\n  c\n", "{\"k\":\"a\\n\\tb\\nc\\n\"}"),
      new Read("k: \"a\\\tb\"\n", "{\"k\":\"a\\tb\"}"));

  private record Refused(String yaml, int line, String message) {}

  private static final String AFTER = "', where YAML and kubectl (go-yaml) take only spaces: replace the tab with a space";

  private static final String BLOCK = ": YAML indents with spaces only, and kubectl refuses it; indent with spaces,"
      + " or quote the value and write \\t";

  private static final List<Refused> REFUSED = List.of(
      new Refused("l:\n-\ta\n", 2, "invalid YAML at column 2: a tab after '-" + AFTER),
      new Refused("l:\n- \ta\n", 2, "invalid YAML at column 3: a tab after '-" + AFTER),
      new Refused("?\ta\n: b\n", 1, "invalid YAML at column 2: a tab after '?" + AFTER),
      new Refused("? a\n:\tb\n", 2, "invalid YAML at column 2: a tab after ':" + AFTER),
      new Refused("k:\n\tj: v\n", 2, "invalid YAML at column 1: a tab: YAML indents with spaces only"),
      new Refused("k: a\n\tb\n", 2, "invalid YAML at column 1: a tab: YAML indents with spaces only"),
      new Refused("k: \"v\"\n \t\nj: w\n", 2, "invalid YAML at column 2: a tab: YAML indents with spaces only"),
      new Refused("k: |\n  a\n\t  b\n", 3, "invalid YAML at column 1: a tab in the indentation of a block scalar"
          + " ('|' or '>' at line 1)" + BLOCK),
      new Refused("a: 1\n---\nk: |\n   \tb\n", 4, "invalid YAML at column 4: a tab in the indentation of a block"
          + " scalar ('|' or '>' at line 3)" + BLOCK));

  @TestFactory
  Stream<DynamicTest> aTabBetweenTokensIsWhiteSpaceAsKubectlReadsIt() {
    return READ.stream().map(r -> DynamicTest.dynamicTest(shown(r.yaml()), () -> assertReads(r)));
  }

  @TestFactory
  Stream<DynamicTest> aTabInsideAValueIsKept() {
    return KEPT.stream().map(r -> DynamicTest.dynamicTest(shown(r.yaml()), () -> assertReads(r)));
  }

  @TestFactory
  Stream<DynamicTest> aTabKubectlRefusesIsAnErrorAtItsLine() {
    return REFUSED.stream().map(r -> DynamicTest.dynamicTest(shown(r.yaml()), () -> {
      List<Problem> problems = new ArrayList<>();
      YamlReader.yaml11().read("f.yaml", r.yaml().getBytes(StandardCharsets.UTF_8), problems);
      assertEquals(List.of(new Problem("f.yaml", r.line(), null, r.message())), problems);
    }));
  }

  @Test
  void theDocumentsBeforeABlockScalarIndentedWithATabAreRead() {
    List<Problem> problems = new ArrayList<>();
    List<YamlReader.Document> docs = YamlReader.yaml11().read("f.yaml",
        "a: 1\n---\nb: 2\n---\nk: |\n   \tc\n---\nd: 4\n".getBytes(StandardCharsets.UTF_8), problems);
    assertEquals(6, problems.get(0).line());
    assertEquals(List.of(1, 3), docs.stream().map(YamlReader.Document::line).toList());
  }

  @Test
  void aTextWithoutTabsIsNotCopied() {
    String text = "k: v\n".repeat(1000);
    assertSame(text, YamlTabs.scan(text).text());
  }

  @Test
  void onlyTabsChangeIntoSpacesOrAnEscapedTabIntoBackslashT() {
    String text = "k:\t|\n  a\tb\nj: [\t\"\t\\\t\"]\t# \t\n";
    String spaced = YamlTabs.scan(text).text();
    assertEquals(text.length(), spaced.length());
    assertEquals("k: |\n  a\tb\nj: [ \"\t\\t\"] # \t\n", spaced);
  }

  private static void assertReads(Read r) throws Exception {
    List<Problem> problems = new ArrayList<>();
    List<YamlReader.Document> docs = YamlReader.yaml11().read("f.yaml", r.yaml().getBytes(StandardCharsets.UTF_8),
        problems);
    assertEquals(List.of(), problems);
    JsonNode expected = JSON.readTree(r.json());
    assertEquals(expected, docs.get(docs.size() - 1).tree());
  }

  private static String shown(String yaml) {
    return yaml.replace("\t", "<TAB>").replace("\n", "\\n").replace("\r", "\\r");
  }
}
