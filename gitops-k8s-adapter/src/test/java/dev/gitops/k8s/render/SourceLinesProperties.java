package dev.gitops.k8s.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Splitting a source file into lines without a regular expression, as the regular expression does. */
class SourceLinesProperties {
  private static final List<String> PIECES = List.of("a", "b: c", " ", "\n", "\r", "\r\n", "\n\n", "é", "#", "---");

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
}
