package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Problem;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Files of a few megabytes, valid or not, that a step of reading once took time growing with the
 * square of their length on: each is read, or refused at its line, in time growing with its length.
 */
class YamlTimeBoundsTest {
  /** Far above what reading takes (about a second), far below what the square of the length took (minutes). */
  private static final Duration BOUND = Duration.ofSeconds(30);

  private static List<YamlReader.Document> read(String text, List<Problem> problems) {
    return assertTimeoutPreemptively(BOUND,
        () -> YamlReader.yaml11().read("f.yaml", text.getBytes(StandardCharsets.UTF_8), problems));
  }

  /**
   * A {@code \\u} escape of a surrogate anywhere in the text (here a single-quoted value, which is
   * its text to kubectl too) makes every double-quoted scalar be looked at for one: each look counted
   * its scalar's place from the text's start, 200,000 scalars times a megabyte.
   */
  @Test
  void manyDoubleQuotedScalarsAreReadInLinearTimeWhereverASurrogateEscapeIs() {
    String text = "- \"a\"\n".repeat(200_000) + "- '\\uD800'\n";
    List<Problem> problems = new ArrayList<>();
    List<YamlReader.Document> docs = read(text, problems);
    assertEquals(List.of(), problems);
    assertEquals(200_001, docs.get(0).tree().size());
    assertEquals("a", docs.get(0).tree().get(199_999).textValue());
    assertEquals("\\uD800", docs.get(0).tree().get(200_000).textValue());
    List<Problem> refused = new ArrayList<>();
    read("- \"\\u00e9\"\n".repeat(200_000) + "- \"\\uD800\"\n", refused);
    assertEquals(1, refused.size(), refused.toString());
    assertEquals(200_001, refused.get(0).line(), "the escape is still found, at its line");
  }

  /**
   * A tab anywhere makes the reader scan the text for the tabs go-yaml takes as white space, which
   * kept every open flow collection's possible key and looked at all of them at each token: two
   * million {@code [} took (n^2)/2 looks. Nesting past the depth limit is refused at its line, tab or not,
   * as kubectl refuses it (go-yaml: "exceeded max depth of 10000").
   */
  @Test
  void deeplyNestedFlowCollectionsAreRefusedAtTheirLineInLinearTimeWithATabOrNot() {
    for (String first : new String[] {"a:\t1\n", "a: 1\n"}) {
      List<Problem> problems = new ArrayList<>();
      read(first + "b: " + "[".repeat(2_000_000) + "\n", problems);
      assertEquals(1, problems.size(), problems.toString());
      assertEquals(2, problems.get(0).line(), problems.toString());
      assertTrue(problems.get(0).message().contains("nesting depth"), problems.toString());
    }
    List<Problem> problems = new ArrayList<>();
    List<YamlReader.Document> docs = read("a:\t1\nb: " + "[".repeat(900) + "x,\tz" + "]".repeat(900) + "\n", problems);
    assertEquals(List.of(), problems);
    com.fasterxml.jackson.databind.JsonNode inner = docs.get(0).tree().get("b");
    int depth = 1;
    for (; inner.get(0).isArray(); depth++) {
      inner = inner.get(0);
    }
    assertEquals(900, depth);
    assertEquals("[\"x\",\"z\"]", inner.toString(), "the tab still read as space");
  }

  /**
   * A mapping's keys written above a {@code <<} are each looked for in the merged mappings, to refuse a
   * key the merge would override in kubectl (go-yaml sets keys in the order written): each key was looked
   * for in every mapping of the list, 100,000 keys times 100,000 mappings.
   */
  @Test
  void manyKeysAboveAMergeOfManyMappingsAreCheckedInLinearTime() {
    StringBuilder keys = new StringBuilder("b:\n");
    for (int i = 0; i < 100_000; i++) {
      keys.append("  k").append(i).append(": 1\n");
    }
    String merges = "  <<: [" + "{}, ".repeat(99_999);
    List<Problem> problems = new ArrayList<>();
    List<YamlReader.Document> docs = read(keys + merges + "{m: 1}]\n", problems);
    assertEquals(List.of(), problems);
    assertEquals(100_001, docs.get(0).tree().get("b").size());
    List<Problem> refused = new ArrayList<>();
    read(keys + merges + "{k99999: 2}]\n", refused);
    assertEquals(1, refused.size(), refused.toString());
    assertEquals(100_002, refused.get(0).line(), refused.toString());
    assertTrue(refused.get(0).message().startsWith("the merge key '<<' gives 'k99999', which this mapping sets above"
        + " it"), refused.toString());
  }

  /**
   * Each anchor's node is measured (nodes and levels) for the alias limits: measured anew for each
   * anchor, the list of a million scalars inside a chain of 900 nested anchors was walked 900 times
   * (twice: once for its nodes, once for its levels): a minute here where reading it takes seconds.
   */
  @Test
  void nestedAnchorsAreMeasuredInLinearTime() {
    StringBuilder open = new StringBuilder("a: ");
    for (int i = 0; i < 900; i++) {
      open.append("&a").append(i).append(" [");
    }
    String text = open + "x, ".repeat(1_000_000) + "x" + "]".repeat(900) + "\n";
    List<Problem> problems = new ArrayList<>();
    List<YamlReader.Document> docs = read(text, problems);
    assertEquals(List.of(), problems);
    assertEquals(1_000_001, docs.get(0).tree().at("/a" + "/0".repeat(899)).size());
    List<Problem> refused = new ArrayList<>();
    read(open + "x, ".repeat(YamlReader.MAX_ALIAS_NODES) + "x" + "]".repeat(900) + "\nb: *a899\n", refused);
    assertEquals(List.of(new Problem("f.yaml", 2, null, "aliases expand to more than 100000 nodes in one file (at *a899)")),
        refused, "measured once, the anchor is still measured");
  }
}
