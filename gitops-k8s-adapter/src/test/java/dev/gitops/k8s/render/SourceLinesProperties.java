package dev.gitops.k8s.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.gitops.source.LoaderContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Splitting a source file into lines without a regular expression, as the regular expression does;
 * scanning a file's documents without making a string per line, as a scan of its split lines does.
 */
class SourceLinesProperties {
  private static final List<String> PIECES = List.of("a", "b: c", " ", "\n", "\r", "\r\n", "\n\n", "é", "#", "---");
  private static final List<String> YAML = List.of("kind: A", "kind: 'B' # c", "kind:", "metadata:", "metadata: ",
      "  name: x", "    name: \"y\"", "  labels:", "name: z", "\tname: t", "---", "--- # d", "--", "# c", "\n",
      "\r\n", "\r", " ", "\t", "\u3000", "é", "apiVersion: v1", "  kind: C", "-");

  @Test
  void splitIsTheRegularExpressionsSplit() {
    qt().withExamples(2000).forAll(lists().of(integers().between(0, PIECES.size() - 1)).ofSizeBetween(0, 30))
        .checkAssert(picks -> {
          StringBuilder text = new StringBuilder();
          picks.forEach(i -> text.append(PIECES.get(i)));
          String s = text.toString();
          assertArrayEquals(s.split("\r?\n", -1), SourceLines.split(s), () -> s.replace("\r", "\\r").replace("\n", "\\n"));
        });
  }

  @Test
  void scanFindsTheDocumentsAScanOfTheSplitLinesFinds() {
    qt().withExamples(3000).forAll(lists().of(integers().between(0, YAML.size() - 1)).ofSizeBetween(0, 40))
        .checkAssert(picks -> {
          StringBuilder text = new StringBuilder();
          picks.forEach(i -> text.append(YAML.get(i)));
          String s = text.toString();
          SourceLines lines = new SourceLines(LoaderContract.snapshot("f.yaml", s));
          assertEquals(byLines(s.split("\r?\n", -1)), lines.heads("f.yaml"),
              () -> s.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t"));
        });
  }

  /** The oracle: the documents' first lines, kinds and names, from the file's lines as strings. */
  private static List<SourceLines.Head> byLines(String[] text) {
    List<SourceLines.Head> docs = new ArrayList<>();
    int start = 0;
    String kind = "";
    String name = "";
    boolean inMetadata = false;
    int childIndent = -1;
    for (int i = 0; i <= text.length; i++) {
      String l = i < text.length ? text[i] : "---";
      if (l.startsWith("---")) {
        if (start > 0) {
          docs.add(new SourceLines.Head(start, kind, name));
        }
        start = 0;
        kind = "";
        name = "";
        inMetadata = false;
        childIndent = -1;
        continue;
      }
      String t = l.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      start = start == 0 ? i + 1 : start;
      int indent = l.length() - l.stripLeading().length();
      if (indent == 0) {
        inMetadata = t.equals("metadata:");
        kind = t.startsWith("kind:") ? unquote(t.substring(5)) : kind;
      } else if (inMetadata) {
        childIndent = childIndent < 0 ? indent : childIndent;
        if (indent == childIndent && t.startsWith("name:") && name.isEmpty()) {
          name = unquote(t.substring(5));
        }
      }
    }
    return docs;
  }

  private static String unquote(String value) {
    String v = value.strip();
    int hash = v.indexOf(" #");
    v = hash >= 0 ? v.substring(0, hash).strip() : v;
    if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
      v = v.substring(1, v.length() - 1);
    }
    return v;
  }
}
