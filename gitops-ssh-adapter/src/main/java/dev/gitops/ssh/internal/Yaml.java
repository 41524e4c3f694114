package dev.gitops.ssh.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document read into maps, lists and scalars that remember their 1-based line, so that
 * configuration errors can name the line. Not part of the public API.
 */
public final class Yaml {
  private static final YAMLFactory FACTORY = new YAMLFactory();

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
  public static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;
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

  /** Parses one document; an empty document is a null-valued node. */
  public static Node parse(byte[] data) throws SyntaxError {
    try (JsonParser p = FACTORY.createParser(data)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return new Node(null, 1);
      }
      return node(p, t);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new SyntaxError(e.getOriginalMessage(), at == null ? 0 : Math.max(at.getLineNr(), 0));
    } catch (IOException e) {
      throw new SyntaxError(e.getMessage(), 0);
    }
  }

  private static Node node(JsonParser p, JsonToken t) throws IOException {
    int line = p.currentTokenLocation().getLineNr();
    switch (t) {
      case START_OBJECT -> {
        Map<String, Node> map = new LinkedHashMap<>();
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          int keyLine = p.currentTokenLocation().getLineNr();
          Node value = node(p, p.nextToken());
          map.put(key, value.value() == null ? new Node(null, keyLine) : value);
        }
        return new Node(map, line);
      }
      case START_ARRAY -> {
        List<Node> list = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          list.add(node(p, t));
        }
        return new Node(list, line);
      }
      case VALUE_NULL -> {
        return new Node(null, line);
      }
      default -> {
        return new Node(p.getText(), line);
      }
    }
  }
}
