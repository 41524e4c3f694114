package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * {@link TextStream} against SnakeYAML's own {@link StreamReader} as the oracle: the same events
 * at the same marks, the same refusals, in work linear in the text.
 */
class TextStreamTest {
  /** Pieces that matter to the scanner: breaks of every kind, indicators, a BOM, a pair, a C0 control. */
  private static final String[] PIECES = {"a", "key", ": ", ":", " ", "  ", "\n", "\r\n", "\r", "\u0085",
      "\u2028", "- ", "#c", "'q'", "\"d\\t\"", "\"", "[", "]", "{", "}", ", ", "|\n", ">-\n", "&x ", "*x",
      "!t ", "---\n", "...\n", "? ", "\uFEFF", "\uD83D\uDE00", "\u0001", "\t", "%YAML 1.1\n"};

  /** Every event with its start and end marks, then how the text was refused, if it was. */
  private static List<String> events(StreamReader reader) {
    List<String> out = new ArrayList<>();
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(YamlReader.MAX_CODE_POINTS);
    ParserImpl parser = new ParserImpl(reader, options);
    try {
      while (parser.peekEvent() != null) {
        Event e = parser.getEvent();
        out.add(e + " " + where(e.getStartMark()) + "-" + where(e.getEndMark()));
        if (e.is(Event.ID.StreamEnd)) {
          break;
        }
      }
    } catch (MarkedYAMLException e) {
      out.add(e.getClass().getSimpleName() + " " + e.getProblem() + " " + where(e.getProblemMark()));
    } catch (ReaderException e) {
      out.add("ReaderException " + e.getPosition() + " " + e.getCodePoint() + " " + e.getMessage());
    }
    return out;
  }

  private static String where(Mark mark) {
    return mark == null ? "-" : mark.getIndex() + "@" + mark.getLine() + ":" + mark.getColumn();
  }

  /** A text of pieces; a piece index above their count repeats a letter past SnakeYAML's 1,024-character chunk. */
  private static String text(List<Integer> program) {
    StringBuilder out = new StringBuilder();
    for (int i : program) {
      out.append(i < PIECES.length ? PIECES[i] : "x".repeat(i * 37));
    }
    return out.toString();
  }

  @Test
  void readsWhatSnakeYamlsOwnReaderReads() {
    qt().withExamples(3_000).forAll(lists().of(integers().between(0, PIECES.length + 60)).ofSizeBetween(0, 40))
        .check(program -> {
          String text = text(program);
          List<String> expected = events(new StreamReader(new java.io.StringReader(text)));
          List<String> got = events(new TextStream(text));
          if (!got.equals(expected) && !(readerRefusal(got) || readerRefusal(expected)) || refused(got) != refused(expected)) {
            throw new AssertionError("read\n" + got + "\nSnakeYAML\n" + expected + "\nfrom " + program);
          }
          return true;
        });
  }

  /** True when the text was refused (the last entry is an error, not an event). */
  private static boolean refused(List<String> events) {
    return !events.isEmpty() && !events.get(events.size() - 1).startsWith("<");
  }

  /**
   * True when a character YAML does not allow refused the text. SnakeYAML refuses one as soon as its
   * reader takes in the chunk holding it, which may come before or after the scanner's own error at
   * the token before it (a 6,142-character scalar, then ': ' and U+0001 past the next chunk's start):
   * then both readers refuse the text, one of them for the character; any other refusal, and every
   * text read, must be the same.
   */
  private static boolean readerRefusal(List<String> events) {
    return refused(events) && events.get(events.size() - 1).startsWith("ReaderException");
  }

  @Test
  void aCharacterRefusedPastAChunkBoundaryRefusesTheTextAsSnakeYamlDoes() {
    String text = text(List.of(39, 48, 43, 36, 2, 0, 0, 31)); // found by the property above
    assertTrue(refused(events(new TextStream(text))), "read");
    assertTrue(readerRefusal(events(new StreamReader(new java.io.StringReader(text)))), "SnakeYAML");
  }

  @Test
  void aTokenOfMillionsOfCharactersCostsWorkLinearInItsLength() {
    int n = 4 * 1024 * 1024; // SnakeYAML's own reader copies about n * n / 2,048 code points: 8.6 billion
    for (String text : List.of("k: " + "x".repeat(n) + "\n", "k: \"" + "x".repeat(n) + "\"\n",
        "k: |\n  " + "x".repeat(n) + "\n", "# " + "x".repeat(n) + "\nk: v\n")) {
      TextStream stream = new TextStream(text);
      List<String> events = events(stream);
      assertTrue(events.get(events.size() - 1).startsWith("<org.yaml.snakeyaml.events.StreamEndEvent"),
          events.get(events.size() - 1));
      assertTrue(stream.moved() <= 3L * text.length(), stream.moved() + " code points moved for "
          + text.length());
    }
  }

  @Test
  void overridesEveryInstanceMethodOfSnakeYamlsReader() {
    // a method SnakeYAML adds would read the empty stream TextStream hands its superclass
    List<String> missing = Arrays.stream(StreamReader.class.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
        .filter(m -> !declared(m))
        .map(Method::getName).toList();
    assertEquals(List.of(), missing);
  }

  private static boolean declared(Method m) {
    try {
      return TextStream.class.getDeclaredMethod(m.getName(), m.getParameterTypes()) != null;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
