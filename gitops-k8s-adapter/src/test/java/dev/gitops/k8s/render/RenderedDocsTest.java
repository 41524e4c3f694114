package dev.gitops.k8s.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A renderer's stream split into documents on its bytes, with the line each starts on. */
class RenderedDocsTest {
  private static List<String> texts(List<RenderedDocs.Doc> docs) {
    return docs.stream().map(d -> new String(d.data(), StandardCharsets.UTF_8)).toList();
  }

  private static List<RenderedDocs.Doc> split(String stream) {
    return RenderedDocs.split(stream.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void documentsSplitAtSeparatorLinesWithTheLineTheyStartOn() {
    List<RenderedDocs.Doc> docs = split("a: 1\n---\nb: é\nc: 2\n--- # comment\nd: 3\n---\r\ne: 4\n");
    assertEquals(List.of("a: 1\n", "b: é\nc: 2\n", "d: 3\n", "e: 4\n"), texts(docs));
    assertEquals(List.of(1, 3, 6, 8), docs.stream().map(RenderedDocs.Doc::line).toList());
  }

  @Test
  void blankDocumentsAndLeadingSeparatorsAreLeftOut() {
    List<RenderedDocs.Doc> docs = split("---\n\n  \n---\nkind: A\n---\n---\n");
    assertEquals(List.of("kind: A\n"), texts(docs));
    assertEquals(5, docs.get(0).line());
    assertEquals(List.of(), split(""));
    assertEquals(List.of("x: 1"), texts(split("x: 1")));
  }

  @Test
  void linesThatOnlyStartWithDashesAreNotSeparators() {
    assertEquals(List.of("a: |\n  ---x\n----\n-- \nb: 1\n"), texts(split("a: |\n  ---x\n----\n-- \nb: 1\n")));
  }
}
