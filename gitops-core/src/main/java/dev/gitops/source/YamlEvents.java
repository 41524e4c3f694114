package dev.gitops.source;

import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.Reader;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.ParserImpl;

/**
 * Jackson's YAML parser, which reads scalars the way every tree of this library is typed, with
 * the YAML event behind each token made visible: Jackson reports an alias as a string holding the
 * alias's name and forgets the anchors of scalars, so {@link YamlTree} asks the event instead.
 */
final class YamlEvents extends YAMLFactory {
  private static final long serialVersionUID = 1L;

  private YamlEvents(YAMLFactoryBuilder builder) {
    super(builder);
  }

  /**
   * A factory with the limits of {@link YamlReader}. A key given twice is found by {@link YamlTree},
   * which tells a second merge key {@code <<} from other keys, not by Jackson's duplicate detection.
   */
  static YamlEvents create() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(YamlReader.MAX_CODE_POINTS);
    YAMLFactoryBuilder builder = YAMLFactory.builder()
        .loaderOptions(options)
        // an empty plain scalar (a key with nothing after it) is null, as YAML's core schema, go-yaml
        // and so kubectl read it; quoted '' stays the empty string
        .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxStringLength(YamlReader.MAX_CODE_POINTS)
            .maxNestingDepth(YamlReader.MAX_DEPTH).build());
    return new YamlEvents(builder);
  }

  /**
   * A parser over {@code text}, read through {@link TextStream} rather than SnakeYAML's own
   * reader, whose time grows with the square of a token's length.
   */
  Parser parser(String text) {
    IOContext context = _createContext(_createContentReference(text), true);
    return new Parser(context, _parserFeatures, _yamlParserFeatures, _objectCodec,
        new ParserImpl(new TextStream(text), _loaderOptions), text);
  }

  /**
   * A {@code \\u} escape of a UTF-16 surrogate, {@code \\uD800} to {@code \\uDFFF}, after an even
   * number of backslashes (so not {@code \\\\uD800}, an escaped backslash and text).
   */
  private static final Pattern SURROGATE_ESCAPE = Pattern.compile("(?<!\\\\)(?:\\\\\\\\)*\\\\u[dD][89a-fA-F][0-9a-fA-F]{2}");

  /** A YAML parser that tells what the YAML event behind the current token was. */
  static final class Parser extends YAMLParser {
    private final String text;
    /** Whether {@link #text} holds a {@link #SURROGATE_ESCAPE} anywhere: most files do not, and skip the look. */
    private final boolean surrogateEscapes;
    /** The last code point {@link #charAt(int)} counted to, and its offset in {@link #text}. */
    private int countedIndex;
    private int countedChar;

    Parser(IOContext ctxt, int parserFeatures, int formatFeatures, ObjectCodec codec, ParserImpl events, String text) {
      super(ctxt, parserFeatures, formatFeatures, codec, Reader.nullReader(), events);
      this.text = text;
      // most files hold no backslash-u at all: String.contains finds that far faster than the pattern, tried at every index
      this.surrogateEscapes = text.contains("\\u") && SURROGATE_ESCAPE.matcher(text).find();
    }

    /**
     * True when the current scalar (a key or value) is double-quoted and escapes a UTF-16
     * surrogate ({@code \\uD800} to {@code \\uDFFF}), alone or as one of two that make a pair
     * ({@code \\uD83D\\uDE00}), which SnakeYAML joins into one character and go-yaml refuses.
     */
    boolean escapesSurrogate() {
      if (!surrogateEscapes || !(_lastEvent instanceof ScalarEvent s) || s.getScalarStyle() != ScalarStyle.DOUBLE_QUOTED
          || s.getStartMark() == null || s.getEndMark() == null) {
        return false;
      }
      int from = charAt(s.getStartMark().getIndex()); // marks count code points
      int to = text.offsetByCodePoints(from, s.getEndMark().getIndex() - s.getStartMark().getIndex());
      return SURROGATE_ESCAPE.matcher(text).region(from, to).find();
    }

    /**
     * The offset in {@link #text} of its code point {@code index}, counted on from the last one asked
     * (scalars come in the order of the text): once counted from the text's start for each scalar, it
     * took time growing with the square of the file's length when the text held a surrogate escape
     * anywhere (a comment's {@code \\uD800} made every double-quoted scalar of the file count again).
     */
    private int charAt(int index) {
      if (index < countedIndex) {
        countedIndex = 0;
        countedChar = 0;
      }
      countedChar = text.offsetByCodePoints(countedChar, index - countedIndex);
      countedIndex = index;
      return countedChar;
    }

    /** The text read, as the parser reads it (the marks of its events count in it). */
    String text() {
      return text;
    }

    /** The anchor ({@code &name}) on the current value or key, or null. */
    String anchor() {
      Event e = _lastEvent;
      return e instanceof NodeEvent n && !(e instanceof AliasEvent) ? n.getAnchor() : null;
    }

    /** True when the current token is an alias ({@code *name}); its name is the token's text. */
    boolean alias() {
      return _lastEvent instanceof AliasEvent;
    }

    /**
     * The 1-based line where the current token starts, -1 when unknown: what
     * {@code currentTokenLocation().getLineNr()} gives, without building a location for every key
     * and value.
     */
    int line() {
      Event e = _lastEvent;
      Mark start = e == null ? null : e.getStartMark();
      return start == null ? -1 : start.getLine() + 1;
    }

    /** True when the current token is a plain (unquoted) scalar. */
    boolean plain() {
      return _lastEvent instanceof ScalarEvent s && s.isPlain();
    }

    /** The tag ({@code !!int} as {@code tag:yaml.org,2002:int}) written on the current scalar, or null. */
    String tag() {
      return _lastEvent instanceof ScalarEvent s ? s.getTag() : null;
    }

    /**
     * The code point {@code ahead} of where the current scalar ends in the text, or -1 when that is
     * past what the reader had read then (the end mark keeps the reader's window of that moment).
     */
    int afterScalar(int ahead) {
      if (!(_lastEvent instanceof ScalarEvent s) || s.getEndMark() == null || s.getEndMark().getBuffer() == null) {
        return -1;
      }
      int[] buffer = s.getEndMark().getBuffer();
      int at = s.getEndMark().getPointer() + ahead;
      return at < buffer.length ? buffer[at] : -1;
    }

    /** The current scalar's text as written (unescaped, folded), or null when the token is no scalar. */
    String scalar() {
      return _lastEvent instanceof ScalarEvent s ? s.getValue() : null;
    }
  }
}
