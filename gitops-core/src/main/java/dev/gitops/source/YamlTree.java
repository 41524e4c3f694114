package dev.gitops.source;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ResourceId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds the tree of one YAML document from its tokens, resolving aliases ({@link YamlAnchors}) and
 * merge keys within {@link YamlReader}'s limits. One per document: anchors do not cross documents; the
 * aliases of every document of one file draw on one {@link YamlAnchors.Budget}.
 */
final class YamlTree {
  private static final JsonNodeFactory PLAIN = JsonNodeFactory.instance;
  private static final Pattern ANCHOR_NAME = Pattern.compile("[0-9A-Za-z_-]+");
  /**
   * The merge tag: go-yaml merges under a {@code <<} key that is plain and untagged, or tagged
   * {@code !!merge} or {@code !} (quoted or not: libyaml's "implicit"); under a {@code <<} with
   * another tag ({@code !!str <<}) it keeps an ordinary key, and another key tagged {@code !!merge}
   * is its text.
   */
  private static final String MERGE = Yaml11.CORE + "merge";
  private static final Pattern NOT_A_NUMBER = Pattern.compile("[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)");

  /** A document this reader refuses, with the line to blame. */
  static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;
    private final int line;

    Refused(int line, String message) {
      super(message);
      this.line = line;
    }

    int line() {
      return line;
    }
  }

  private final YamlEvents.Parser parser;
  private final JsonNodeFactory nodes;
  private final boolean text;
  private final int lineDepth;
  private final boolean yaml11;
  private final YamlAnchors anchors;
  private final Map<String, Integer> lines = new HashMap<>();

  /**
   * A builder reading from {@code parser}; {@code nodes} null keeps scalars as text, {@code yaml11}
   * types plain scalars and refuses plain keys as {@link Yaml11} says; its aliases draw on {@code budget},
   * the file's.
   */
  YamlTree(YamlEvents.Parser parser, JsonNodeFactory nodes, int lineDepth, boolean yaml11, YamlAnchors.Budget budget) {
    this.parser = parser;
    this.anchors = new YamlAnchors(budget);
    this.text = nodes == null;
    this.nodes = text ? PLAIN : nodes;
    this.lineDepth = lineDepth;
    this.yaml11 = yaml11 && !text;
  }

  /** Lines recorded by JSON pointer. */
  Map<String, Integer> lines() {
    return lines;
  }

  /**
   * The value whose first token is {@code token}, at {@code pointer} ({@code null} below the depth
   * whose lines are kept), {@code line} being where it is said to start.
   */
  JsonNode value(JsonToken token, String pointer, int depth, int line) throws IOException {
    if (pointer != null && depth > 0) {
      lines.put(pointer, line);
    }
    if (parser.alias()) {
      return anchors.copy(named(parser.getText(), "alias *", line), line, depth);
    }
    String anchor = named(parser.anchor(), "anchor &", line);
    if (anchor != null) {
      anchors.open(anchor);
    }
    JsonNode node = switch (token) {
      case START_OBJECT -> mapping(pointer, depth);
      case START_ARRAY -> sequence(pointer, depth);
      default -> scalar(token);
    };
    if (anchor != null) {
      anchors.close(anchor, node);
    }
    return node;
  }

  private ObjectNode mapping(String pointer, int depth) throws IOException {
    ObjectNode map = nodes.objectNode();
    JsonNode merge = null;
    int mergeLine = 0;
    int before = 0;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      int keyLine = parser.line();
      boolean isMerge = "<<".equals(key) && (parser.tag() == null ? parser.plain()
          : MERGE.equals(parser.tag()) || "!".equals(parser.tag()));
      if (map.has(key) || "<<".equals(key) && merge != null) {
        throw duplicate(key, isMerge && merge != null, mergeLine);
      }
      if (parser.alias()) {
        throw new Refused(keyLine, "an alias as a mapping key (*" + key + ") is not supported");
      }
      String otherText = yaml11 ? keyProblem(key) : null;
      if (otherText != null) {
        throw new Refused(keyLine, otherText);
      }
      String keyAnchor = named(parser.anchor(), "anchor &", keyLine);
      JsonToken token = parser.nextToken();
      String child = pointer != null && depth < lineDepth && !isMerge
          ? YamlReader.Document.pointer(pointer, key) : null;
      int line = token == JsonToken.VALUE_NULL ? keyLine : parser.line();
      if (keyAnchor != null) {
        anchors.key(keyAnchor, nodes.textNode(key));
      }
      JsonNode value = value(token, child, depth + 1, line);
      if (isMerge) {
        merge = value;
        mergeLine = keyLine;
        before = map.size();
      } else {
        map.set(key, value);
      }
    }
    if (merge != null && yaml11) {
      overridden(map, before, merge, mergeLine);
    }
    return merge == null ? map : merged(map, merge, mergeLine, pointer, depth);
  }

  /**
   * The refusal of the key {@code key} given twice in one mapping, at the line where the parser
   * stands (where Jackson's duplicate detection said it was): a second merge key {@code <<} says why,
   * as kubectl reads one (go-yaml v2 merges both, the later overriding the earlier) where Kustomize
   * refuses it ("duplicate merge key") and YAML takes a key once.
   */
  private Refused duplicate(String key, boolean secondMerge, int firstMerge) {
    int line = Math.max(parser.currentLocation().getLineNr(), 0);
    if (secondMerge) {
      return new Refused(line, "a second merge key '<<' in one mapping (the first at line " + firstMerge + "), which"
          + " kubectl (go-yaml) merges over the first while Kustomize refuses it and YAML takes a key once: write one"
          + " '<<' with a list, whose earlier mappings win ('<<: [*b, *a]')");
    }
    YamlErrors.Located located = YamlErrors.duplicate(key, parser.text(), line);
    return new Refused(located.line(), located.message());
  }

  /**
   * Why kubectl would refuse the key {@code key} or read it as other text, or null: a quoted key
   * and one tagged {@code !!str} or with a tag of its own are their text, unless it escapes a
   * UTF-16 surrogate.
   */
  private String keyProblem(String key) {
    if (parser.escapesSurrogate()) {
      return Yaml11.SURROGATE_ESCAPE;
    }
    String tag = parser.tag();
    if (parser.plain() && parser.afterScalar(0) == ':' && ",]}".indexOf(parser.afterScalar(1)) >= 0) {
      return "'" + ResourceId.escape(key) + ":' right before '" + Character.toString(parser.afterScalar(1)) + "' in a"
          + " flow collection is the key '" + ResourceId.escape(key) + "' with no value to this reader and the text '"
          + ResourceId.escape(key) + ":' to kubectl (go-yaml): write ': ' with a space for a key, or quote the text";
    }
    if (tag == null) {
      return parser.plain() ? Yaml11.keyProblem(key) : null;
    }
    return !tag.startsWith(Yaml11.CORE) || tag.equals(Yaml11.CORE + "str") || tag.equals(MERGE) ? null
        : "the key '" + ResourceId.escape(key) + "' has the tag !!" + ResourceId.escape(tag.substring(Yaml11.CORE.length()))
        + ", which kubectl reads as a value and sends as other text: write the key as text";
  }

  /**
   * Refuses a key written above a {@code <<} whose mappings give it too: YAML keeps the key's own
   * value, go-yaml v2 (so kubectl) the merged one, as it sets keys in the order they are written.
   */
  private void overridden(ObjectNode map, int before, JsonNode merge, int line) throws Refused {
    if (before == 0) {
      return;
    }
    Set<String> given = new HashSet<>(); // once, not per key: keys times sources took time growing with their product
    for (JsonNode source : merge.isArray() ? merge : List.of(merge)) {
      source.fieldNames().forEachRemaining(given::add);
    }
    Iterator<String> names = map.fieldNames();
    for (int i = 0; i < before; i++) {
      String key = names.next();
      if (given.contains(key)) {
        throw new Refused(line, "the merge key '<<' gives '" + ResourceId.escape(key) + "', which this mapping sets"
            + " above it: YAML keeps the value written here, kubectl (go-yaml) the merged one, as it sets keys in the"
            + " order they are written: move '<<' above the keys it should not override");
      }
    }
  }

  /** {@code map} with the mappings of a {@code <<} key merged under its own keys. */
  private ObjectNode merged(ObjectNode map, JsonNode merge, int line, String pointer, int depth)
      throws Refused {
    List<JsonNode> sources = new ArrayList<>();
    if (merge.isObject()) {
      sources.add(merge);
    } else if (merge.isArray()) {
      merge.forEach(sources::add);
    }
    if (sources.isEmpty() && merge.isArray()) {
      return map; // an empty list merges nothing
    }
    if (sources.isEmpty() || !sources.stream().allMatch(JsonNode::isObject)) {
      throw new Refused(line, "merge key '<<' takes a mapping or a list of mappings, not "
          + (merge.isArray() ? "a list holding " + kind(firstNonObject(merge)) : kind(merge)));
    }
    ObjectNode out = nodes.objectNode();
    for (JsonNode source : sources) {
      for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!map.has(field.getKey()) && !out.has(field.getKey())) {
          out.set(field.getKey(), field.getValue());
          if (pointer != null && depth < lineDepth) {
            lines.put(YamlReader.Document.pointer(pointer, field.getKey()), line);
          }
        }
      }
    }
    out.setAll(map);
    return out;
  }

  private ArrayNode sequence(String pointer, int depth) throws IOException {
    ArrayNode list = nodes.arrayNode();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      String child = pointer != null && depth < lineDepth ? pointer + "/" + list.size() : null;
      list.add(value(token, child, depth + 1, parser.line()));
    }
    return list;
  }

  private JsonNode scalar(JsonToken token) throws IOException {
    if (yaml11) {
      if (parser.escapesSurrogate()) {
        throw new Refused(parser.currentTokenLocation().getLineNr(), Yaml11.SURROGATE_ESCAPE);
      }
      try {
        return Yaml11.value(parser.scalar(), parser.tag(), parser.plain(), nodes);
      } catch (IllegalArgumentException e) {
        throw new Refused(parser.currentTokenLocation().getLineNr(), e.getMessage());
      }
    }
    if (token == JsonToken.VALUE_NULL) {
      return nodes.nullNode();
    }
    if (text) {
      return nodes.textNode(parser.getText());
    }
    return switch (token) {
      case VALUE_STRING -> nodes.textNode(parser.getText());
      case VALUE_TRUE, VALUE_FALSE -> nodes.booleanNode(token == JsonToken.VALUE_TRUE);
      case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
        case INT -> nodes.numberNode(parser.getIntValue());
        case LONG -> nodes.numberNode(parser.getLongValue());
        default -> nodes.numberNode(parser.getBigIntegerValue());
      };
      case VALUE_NUMBER_FLOAT -> NOT_A_NUMBER.matcher(parser.getText()).matches() ? notANumber()
          : parser.getNumberType() == JsonParser.NumberType.BIG_DECIMAL
          ? nodes.numberNode(parser.getDecimalValue()) : finite(parser.getDoubleValue());
      case VALUE_EMBEDDED_OBJECT -> embedded(parser.getEmbeddedObject());
      default -> throw new Refused(parser.line(),
          "unexpected YAML token " + token);
    };
  }

  /**
   * A float, or its text when it is past a double's range ({@code 1e999999999}): go-yaml (v2, and v3
   * under Kustomize) keeps such a scalar as text, as Go's ParseFloat refuses it; Jackson reads it as infinity,
   * which JSON cannot hold.
   */
  private JsonNode finite(double value) throws IOException {
    return Double.isInfinite(value) ? nodes.textNode(parser.getText()) : nodes.numberNode(value);
  }

  private JsonNode notANumber() throws IOException {
    throw new Refused(parser.line(), "'" + parser.getText() + "' is YAML's float for"
        + " infinity or not-a-number, which JSON (and so the Kubernetes API) cannot hold: quote it if you mean text");
  }

  private JsonNode embedded(Object value) {
    if (value == null) {
      return nodes.nullNode();
    }
    return value instanceof byte[] bytes ? nodes.binaryNode(bytes) : nodes.pojoNode(value);
  }

  /**
   * {@code name}, an anchor's or alias's name or null, refused when {@code yaml11} where it holds other
   * than go-yaml takes in a name, ASCII letters, digits, '-' and '_': it refuses such a name, or ends
   * it before ':', '?', ',', ']', '}', '%', '@' or '`' and reads the rest as the value.
   */
  private String named(String name, String what, int line) throws Refused {
    if (yaml11 && name != null && !ANCHOR_NAME.matcher(name).matches()) {
      throw new Refused(line, "the " + what + ResourceId.escape(name) + " has other than ASCII letters, digits, '-'"
          + " and '_' in its name, which kubectl (go-yaml) refuses, or ends the name before the first other character"
          + " ('&a?b' is the anchor a on the value ?b)");
    }
    return name;
  }

  private static JsonNode firstNonObject(JsonNode list) {
    for (JsonNode item : list) {
      if (!item.isObject()) {
        return item;
      }
    }
    return list;
  }

  private static String kind(JsonNode node) {
    if (node.isArray()) {
      return "a list";
    }
    return node.isNull() ? "null" : "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
  }
}
