package dev.gitops.k8s.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gitops.model.Problem;
import dev.gitops.model.TreeNodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Splits a YAML (or JSON) stream into documents with the 1-based line each starts on, rejecting
 * duplicate mapping keys. Empty and comment-only documents are skipped. The top-level
 * {@code items} array of a document is read element by element so that list items keep their own
 * line.
 */
public final class YamlDocuments {
  private static final YAMLFactory FACTORY = yamlFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY).setNodeFactory(TreeNodes.INSTANCE);

  /**
   * One document.
   *
   * @param node the document, an object
   * @param line 1-based line of its first key
   * @param itemLines lines of the elements of its top-level {@code items} array, in order
   */
  public record Doc(ObjectNode node, int line, List<Integer> itemLines) {}

  private YamlDocuments() {}

  private static YAMLFactory yamlFactory() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(64 * 1024 * 1024);
    return YAMLFactory.builder()
        .loaderOptions(options)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxStringLength(64 * 1024 * 1024).build())
        .build();
  }

  /**
   * Reads every document of {@code data}. A syntax error or duplicate key ends the file: it is
   * added to {@code problems} with its line, and the documents read before it are returned.
   */
  public static List<Doc> read(String file, byte[] data, List<Problem> problems) {
    List<Doc> docs = new ArrayList<>();
    String text = new String(data, StandardCharsets.UTF_8);
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        int line = parser.currentTokenLocation().getLineNr();
        if (token == JsonToken.START_OBJECT) {
          docs.add(readObject(parser, line));
        } else {
          JsonNode value = MAPPER.readTree(parser);
          if (!(value == null || value.isNull() || value.isTextual() && value.asText().isEmpty())) {
            problems.add(new Problem(file, line, null,
                "document is not a mapping (found " + value.getNodeType().name().toLowerCase(
                    java.util.Locale.ROOT) + ")"));
          }
        }
      }
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      int line = where == null ? 0 : Math.max(where.getLineNr(), 0);
      problems.add(new Problem(file, line, null, describe(e, text, line)));
    } catch (IOException e) {
      problems.add(new Problem(file, 0, null, "cannot read: " + e.getMessage()));
    }
    return docs;
  }

  private static Doc readObject(JsonParser parser, int line) throws IOException {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    List<Integer> itemLines = new ArrayList<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if ("items".equals(field) && value == JsonToken.START_ARRAY) {
        ArrayNode items = node.putArray(field);
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          itemLines.add(parser.currentTokenLocation().getLineNr());
          items.add((JsonNode) MAPPER.readTree(parser));
        }
      } else {
        node.set(field, (JsonNode) MAPPER.readTree(parser));
      }
    }
    return new Doc(node, line, List.copyOf(itemLines));
  }

  /** The line of the earlier {@code key:} in the same block mapping as line {@code line}, or 0. */
  private static int firstOccurrence(String text, int line, String key) {
    String[] lines = text.split("\n", -1);
    if (line < 1 || line > lines.length) {
      return 0;
    }
    int indent = indent(lines[line - 1]);
    for (int i = line - 2; i >= 0; i--) {
      String l = lines[i];
      String trimmed = l.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      if (trimmed.equals("---")) {
        return 0;
      }
      int in = indent(l);
      if (in < indent) {
        return 0;
      }
      if (in == indent && (trimmed.startsWith(key + ":") || trimmed.startsWith("\"" + key + "\":"))) {
        return i + 1;
      }
    }
    return 0;
  }

  private static int indent(String line) {
    int i = 0;
    while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '-')) {
      i++;
    }
    return i;
  }

  private static String describe(JsonProcessingException e, String text, int line) {
    String message = e.getOriginalMessage();
    String prefix = "Duplicate field '";
    if (message != null && message.startsWith(prefix)) {
      String key = message.substring(prefix.length(), message.indexOf('\'', prefix.length()));
      int first = firstOccurrence(text, line, key);
      return "duplicate mapping key '" + key + "'" + (first > 0 ? " (first at line " + first + ")" : "");
    }
    String first = message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("");
    return "invalid YAML: " + first;
  }
}
