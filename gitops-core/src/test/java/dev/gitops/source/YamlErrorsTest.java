package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.gitops.model.Problem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * What a broken YAML file is told: the line to blame and, in plain words, what is wrong and at which
 * column; never a parser class, an event dump or a raw control character.
 */
class YamlErrorsTest {
  private record Case(String yaml, int line, String message) {}

  private static final List<Case> TABLE = List.of(
      new Case("a: \"unclosed\nb: 1\n", 1, "invalid YAML at column 4: the quoted value that starts here is not"
          + " closed: the file ends before its closing quote"),
      new Case("a: 1\nb: 'it''s\n", 2, "invalid YAML at column 4: the quoted value that starts here is not closed:"
          + " the file ends before its closing quote"),
      new Case("a: \"x\n---\nb: 1\"\n", 1, "invalid YAML at column 4: the quoted value that starts here is not closed"
          + " before the '---' at line 2"),
      new Case("a: [1, 2\nb: 1\n", 2, "invalid YAML at column 2: the list '[' that starts at line 1, column 4 is not"
          + " closed: expected ',' or ']' here, found ':'"),
      new Case("a: {x: 1\nb: 1\n", 2, "invalid YAML at column 2: the mapping '{' that starts at line 1, column 4 is"
          + " not closed: expected ',' or '}' here, found ':'"),
      new Case("a: 1\nb: [x, y\n", 2, "invalid YAML at column 4: the list '[' that starts here is not closed: the"
          + " file ends before its ']'"),
      new Case("a:\n  b: 1\n c: 2\n", 3, "invalid YAML at column 2: a mapping key does not belong to the mapping that"
          + " starts at line 1, column 1: check the indentation"),
      new Case("a: x\n#\n  - y\n", 3, "invalid YAML at column 3: a list item does not belong to the mapping that"
          + " starts at line 1, column 1: check the indentation"),
      new Case("- a\nb: 1\n", 2, "invalid YAML at column 1: a key does not belong to the list that starts at"
          + " line 1, column 1: check the indentation"),
      new Case("a:\n\tb: 1\n", 2, "invalid YAML at column 1: a tab: YAML indents with spaces only"),
      new Case("a: 1\nb:\n-\t2\n", 3, "invalid YAML at column 2: a tab after '-', where YAML and kubectl (go-yaml)"
          + " take only spaces: replace the tab with a space"),
      new Case("a: 1\nb\nc: 2\n", 2, "invalid YAML at column 1: a key without ':' (a line of text where the mapping"
          + " expects 'key: value')"),
      new Case("a: b: c\n", 1, "invalid YAML at column 5: ':' cannot start a mapping here: quote a value that holds"
          + " ': ', or check the indentation"),
      new Case("a: [b, c]]\n", 1, "invalid YAML at column 10: ']' does not belong to the mapping that starts at"
          + " line 1, column 1: check the indentation, or remove the stray ']'"),
      new Case("]\n", 1, "invalid YAML at column 1: expected a value, found ']'"),
      new Case("key: @value\n", 1, "invalid YAML at column 6: '@' cannot start a plain value: quote the value"),
      new Case("a: \"\\q\"\n", 1, "invalid YAML at column 6: unknown escape '\\q' in a double-quoted value: write"
          + " '\\\\' for a backslash, or use single quotes"),
      new Case("a: |x\n  t\n", 1, "invalid YAML at column 5: after '|' or '>' only '+', '-' or an indentation digit"
          + " may follow, not 'x'"),
      new Case("a: &\n", 1, "invalid YAML at column 5: an anchor '&' without a name"),
      new Case("a: *\n", 1, "invalid YAML at column 5: an alias '*' without a name"),
      new Case("{".repeat(8) + "\n", 1, "invalid YAML: a mapping or a list as a mapping key ('? [a]', or '{' right"
          + " after '{') is not supported; keys are text"),
      new Case("a: 1\nb: .inf\n", 2, "'.inf' is YAML's float for infinity or not-a-number, which JSON (and so the"
          + " Kubernetes API) cannot hold: quote it if you mean text"),
      new Case("a: .NaN\n", 1, "'.NaN' is YAML's float for infinity or not-a-number, which JSON (and so the"
          + " Kubernetes API) cannot hold: quote it if you mean text"),
      new Case("a: 1\n...\nb\n", 3, "invalid YAML at column 1: expected '---' (a new document), found a value"),
      new Case("a: 1\nb: 2\na: 3\n", 3, "duplicate mapping key 'a' (first at line 1)"),
      // kubectl 1.32 refuses both: "yaml: line 2: found invalid Unicode character escape code"; was Jackson's
      // "Malformed Number token: failed to tokenize due to (java.lang.NumberFormatException) ..." for the first
      new Case("a: 1\nb: \"\\UFFFFFFFF\"\n", 2, "invalid YAML: '\\UFFFFFFFF' in a double-quoted value escapes no"
          + " Unicode character (the last is \\U0010FFFF), which kubectl (go-yaml) refuses too: write a code of at most"
          + " 0010FFFF"),
      new Case("a: 1\nb: \"\\U00110000\"\n", 2, "invalid YAML at column 7: '\\U00110000' in a double-quoted value"
          + " escapes no Unicode character (the last is \\U0010FFFF), which kubectl (go-yaml) refuses too: write a code"
          + " of at most 0010FFFF"),
      // go-yaml's double-quoted \' (a quote), which SnakeYAML reads written \x27: columns after it count in the file
      new Case("a: [\"x\\'y\", @b]\n", 1, "invalid YAML at column 13: '@' cannot start a plain value: quote the value"),
      new Case("a: [\"\\'\\'\", \"\\'\", @b]\n", 1, "invalid YAML at column 19: '@' cannot start a plain value:"
          + " quote the value"),
      new Case("a: [\"\\'\", {x: 1\nb: 1\n", 2, "invalid YAML at column 2: the mapping '{' that starts at line 1,"
          + " column 11 is not closed: expected ',' or '}' here, found ':'"),
      new Case("a: [\"\\'\", \"\\q\"]\n", 1, "invalid YAML at column 13: unknown escape '\\q' in a double-quoted"
          + " value: write '\\\\' for a backslash, or use single quotes"),
      new Case("a: [" + "[".repeat(YamlReader.MAX_DEPTH) + "]\n", 1, "invalid YAML: mappings and lists nest deeper"
          + " than the nesting depth allowed, 1000 levels"));

  @TestFactory
  Stream<DynamicTest> eachBrokenFileNamesItsLineAndWhatIsWrongInPlainWords() {
    return TABLE.stream().map(c -> DynamicTest.dynamicTest(c.yaml().replace("\n", "\\n"), () -> {
      List<Problem> problems = new ArrayList<>();
      YamlReader.typed().read("f.yaml", c.yaml().getBytes(StandardCharsets.UTF_8), problems);
      assertEquals(List.of(new Problem("f.yaml", c.line(), null, c.message())), problems);
      assertFalse(problems.get(0).message().matches("(?s).*(org\\.|snakeyaml|Event|Exception|<[a-z ]+>).*"));
    }));
  }

  @TestFactory
  Stream<DynamicTest> validFilesThatLookBrokenAreRead() {
    return Stream.of("# only a comment\n", "a: &x 1\nb: &x 2\nc: *x\n", "a: 1]\n", "a: |\n  text\n---\n  more\n",
        "a: x\ufeffy\n").map(y -> DynamicTest.dynamicTest(y.replace("\n", "\\n"), () -> {
          List<Problem> problems = new ArrayList<>();
          YamlReader.typed().read("f.yaml", y.getBytes(StandardCharsets.UTF_8), problems);
          assertEquals(List.of(), problems);
        }));
  }
}
