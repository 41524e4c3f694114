package dev.gitops.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.JsonTrees;
import dev.gitops.model.Problem;
import dev.gitops.model.ResourceId;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file kubectl reads as JSON, not YAML: apimachinery's YAMLOrJSONDecoder takes a stream whose first
 * 4,096 bytes start with '{' after white space as a stream of JSON values, read with Go's
 * encoding/json. So {@code \/} and a surrogate pair ({@code \\ud83d\\ude00}) are text, as JSON has
 * them, while a comment, a trailing comma, single quotes, a bare word ({@code yes}), {@code 0x10} or
 * a YAML escape ({@code \x41}) are errors, where YAML reads them. Values are typed as JSON types them;
 * a key given twice is an error (Go takes the last), and so are an escaped lone surrogate (Go sends
 * U+FFFD) and a number beyond float64 (Go refuses it). Messages name line and column, never a value.
 */
final class JsonDocuments {
  /** How many bytes the decoder looks at for the '{' (its buffer size in kubectl). */
  private static final int SNIFFED = 4096;
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(YamlReader.MAX_CODE_POINTS)
          .maxNestingDepth(YamlReader.MAX_DEPTH).build())
      .build();
  /** A quoted word in Jackson's message, which may be a piece of a value: only one character is shown. */
  private static final Pattern QUOTED = Pattern.compile("'[^']{2,}'");
  /** Jackson's "Unexpected character ('x' (code 120)): ..." (or "... in numeric value: ..."). */
  private static final Pattern UNEXPECTED = Pattern.compile("Unexpected character \\('(.)' \\(code \\d+\\)\\)(.*)");
  private static final String WHY = " (kubectl reads a file that starts with '{' as JSON)";

  private final JsonParser parser;
  private final JsonNodeFactory nodes = JsonTrees.nodeFactory();
  private final int lineDepth;
  private final boolean escapes;
  private Map<String, Integer> lines;

  private JsonDocuments(JsonParser parser, int lineDepth, boolean escapes) {
    this.parser = parser;
    this.lineDepth = lineDepth;
    this.escapes = escapes;
  }

  /** True when kubectl reads {@code text} as JSON: '{' after white space (Go's) within its first 4,096 bytes. */
  static boolean isJson(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length() && bytes < SNIFFED; ) {
      int c = text.codePointAt(i);
      if (c == '{') {
        return true;
      }
      if (!goSpace(c)) {
        return false;
      }
      i += Character.charCount(c);
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }
    return false;
  }

  /** Go's unicode.IsSpace. */
  private static boolean goSpace(int c) {
    return c == ' ' || c >= '\t' && c <= '\r' || c == 0x85 || c == 0xA0 || c > 0xFF && Character.isSpaceChar(c);
  }

  /** Adds every value of {@code text} to {@code docs}, or the first error to {@code problems}. */
  static void read(String file, String text, int lineDepth, List<YamlReader.Document> docs, List<Problem> problems) {
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonDocuments reader = new JsonDocuments(parser, lineDepth, text.contains("\\u"));
      try {
        for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
          reader.lines = new HashMap<>();
          int line = parser.currentTokenLocation().getLineNr();
          JsonNode node = reader.value(token, "", 0);
          docs.add(new YamlReader.Document(node, line, reader.lines));
        }
      } catch (YamlTree.Refused e) {
        problems.add(new Problem(file, e.line(), null, e.getMessage() + WHY));
      } catch (StreamConstraintsException e) { // it has no location: the parser's is the token that passed the limit
        problems.add(new Problem(file, parser.currentLocation().getLineNr(), null, limit(e) + WHY));
      } catch (JsonProcessingException e) {
        int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        int column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
        String words = words(e);
        problems.add(new Problem(file, line, null, (words.startsWith("duplicate") ? "" : "invalid JSON at column "
            + column + ": ") + words + (words.startsWith("duplicate") ? "" : WHY)));
      }
    } catch (IOException e) {
      problems.add(new Problem(file, 0, null, "cannot read: " + e.getMessage()));
    }
  }

  private JsonNode value(JsonToken token, String pointer, int depth) throws IOException {
    if (pointer != null && depth > 0) {
      lines.put(pointer, parser.currentTokenLocation().getLineNr());
    }
    switch (token) {
      case START_OBJECT -> {
        ObjectNode map = nodes.objectNode();
        for (JsonToken t = parser.nextToken(); t == JsonToken.FIELD_NAME; t = parser.nextToken()) {
          String key = text(parser.currentName());
          String child = pointer != null && depth < lineDepth ? YamlReader.Document.pointer(pointer, key) : null;
          map.set(key, value(parser.nextToken(), child, depth + 1));
        }
        return map;
      }
      case START_ARRAY -> {
        ArrayNode list = nodes.arrayNode();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          list.add(value(t, pointer != null && depth < lineDepth ? pointer + "/" + list.size() : null, depth + 1));
        }
        return list;
      }
      case VALUE_STRING -> {
        return nodes.textNode(text(parser.getText()));
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return number();
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return nodes.booleanNode(token == JsonToken.VALUE_TRUE);
      }
      default -> {
        return nodes.nullNode();
      }
    }
  }

  /** An int64 as it is, any other number as Go's float64, refused beyond its range. */
  private JsonNode number() throws IOException {
    JsonParser.NumberType type = parser.getNumberType();
    if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
      return type == JsonParser.NumberType.INT ? nodes.numberNode(parser.getIntValue())
          : nodes.numberNode(parser.getLongValue());
    }
    double value = parser.getDoubleValue();
    if (Double.isInfinite(value)) {
      throw new YamlTree.Refused(parser.currentTokenLocation().getLineNr(), "a number beyond the range of a"
          + " float64, which kubectl refuses (\"cannot unmarshal number\"): quote it if you mean text");
    }
    return nodes.numberNode(value);
  }

  /** A string or key, refused when it holds an escaped lone surrogate, which Go replaces with U+FFFD. */
  private String text(String s) throws YamlTree.Refused {
    if (escapes) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        if (paired) {
          i++;
        } else if (Character.isSurrogate(c)) {
          throw new YamlTree.Refused(parser.currentTokenLocation().getLineNr(), "a \\u escape of a UTF-16 surrogate"
              + " that is not one of a pair, which kubectl sends as U+FFFD: write the character itself, or both"
              + " halves of its pair");
        }
      }
    }
    return s;
  }

  /** What a limit of the parser's that {@code e} reports means, in words naming the limit, never the value. */
  private static String limit(StreamConstraintsException e) {
    String message = String.valueOf(e.getOriginalMessage());
    if (message.startsWith("Number value length")) {
      return "a number of more than " + FACTORY.streamReadConstraints().getMaxNumberLength() + " characters, which no"
          + " field holds (Go's float64 keeps 17 digits and ends near 1e308): write it shorter, or quote it if you mean"
          + " text";
    }
    if (message.startsWith("Document nesting depth")) {
      return "objects and arrays nest deeper than " + YamlReader.MAX_DEPTH + " levels (YamlReader.MAX_DEPTH)";
    }
    return "a value past a limit of this reader: " + ResourceId.escape(QUOTED.matcher(message).replaceAll("a word"));
  }

  /** Jackson's words for a syntax error, with any quoted piece of the text longer than a character left out. */
  private static String words(JsonProcessingException e) {
    String message = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
    if (message.startsWith("Duplicate field '")) {
      return "duplicate mapping key '" + ResourceId.escape(message.substring(17, message.lastIndexOf('\''))) + "'";
    }
    if (message.startsWith("Unrecognized token")) {
      return "a word where JSON takes a quoted string, a number, true, false, null, an object or an array";
    }
    Matcher unexpected = UNEXPECTED.matcher(message);
    if (unexpected.matches()) { // one character of the text, and Jackson's own words
      return ResourceId.escape("unexpected '" + unexpected.group(1) + "'" + unexpected.group(2));
    }
    return ResourceId.escape(QUOTED.matcher(message).replaceAll(Matcher.quoteReplacement("a word")));
  }
}
