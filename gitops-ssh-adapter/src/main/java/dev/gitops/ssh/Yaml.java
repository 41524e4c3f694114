package dev.gitops.ssh;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.model.Problem;
import dev.gitops.source.YamlReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document read into maps, lists and scalars that remember their 1-based line, so that
 * configuration errors can name the line. Not part of the public API.
 */
final class Yaml {
  private Yaml() {}

  /**
   * A node: {@code value} is a {@code Map<String, Node>}, a {@code List<Node>}, a {@code String}
   * (scalars keep their source text) or null.
   *
   * @param value the value
   * @param line 1-based line where it starts
   */
  public record Node(Object value, int line) {
    /** True for a mapping. */
    public boolean isMap() {
      return value instanceof Map;
    }

    /** True for a sequence. */
    public boolean isList() {
      return value instanceof List;
    }

    /** True for a scalar. */
    public boolean isScalar() {
      return value instanceof String;
    }

    /** The mapping. */
    @SuppressWarnings("unchecked")
    public Map<String, Node> map() {
      return (Map<String, Node>) value;
    }

    /** The sequence. */
    @SuppressWarnings("unchecked")
    public List<Node> list() {
      return (List<Node>) value;
    }

    /** The scalar's text. */
    public String text() {
      return (String) value;
    }
  }

  /** A syntax error with its line. */
  static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;
    /** 1-based line, 0 when unknown. */
    private final int line;

    SyntaxError(String message, int line) {
      super(message);
      this.line = line;
    }

    /** 1-based line, 0 when unknown. */
    public int line() {
      return line;
    }
  }

  /**
   * Parses the one document of {@code data} as {@link YamlReader#text()} reads it (aliases and
   * merge keys resolved, duplicate keys and alias bombs refused); empty documents are skipped, none
   * but empty ones is a null-valued node, and a second one that is not empty is a syntax error at
   * its line (read as the first alone, its keys would be dropped without a word).
   */
  public static Node parse(byte[] data) throws SyntaxError {
    List<Problem> problems = new ArrayList<>();
    List<YamlReader.Document> docs = YamlReader.text().read("", data, problems);
    if (!problems.isEmpty()) {
      throw new SyntaxError(problems.get(0).message(), problems.get(0).line());
    }
    List<YamlReader.Document> written = docs.stream().filter(d -> !d.tree().isNull()).toList();
    if (written.size() > 1) {
      throw new SyntaxError("a second YAML document: this file holds one (put its keys in the first; "
          + "they would not be read)", written.get(1).line());
    }
    if (written.isEmpty()) {
      return new Node(null, 1);
    }
    YamlReader.Document doc = written.get(0);
    return node(doc, doc.tree(), "");
  }

  private static Node node(YamlReader.Document doc, JsonNode value, String pointer) {
    int line = doc.lineOf(pointer);
    if (value.isObject()) {
      Map<String, Node> map = new LinkedHashMap<>();
      value.fields().forEachRemaining(f ->
          map.put(f.getKey(), node(doc, f.getValue(), YamlReader.Document.pointer(pointer, f.getKey()))));
      return new Node(map, line);
    }
    if (value.isArray()) {
      List<Node> list = new ArrayList<>();
      for (int i = 0; i < value.size(); i++) {
        list.add(node(doc, value.get(i), pointer + "/" + i));
      }
      return new Node(list, line);
    }
    return new Node(value.isNull() ? null : value.asText(), line);
  }
}
