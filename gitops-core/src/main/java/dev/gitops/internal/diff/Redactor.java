package dev.gitops.internal.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.PathRule;
import dev.gitops.internal.Digests;
import dev.gitops.model.ResourceId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Replaces values at sensitive paths by {@code {"redacted":"sha256:..."}} markers. The digest is
 * over the resource id, the value's JSON pointer and the value's canonical JSON, so equal values at
 * the same place compare equal without being readable. Not part of the public API.
 */
public final class Redactor {
  /** The marker's only field. */
  public static final String FIELD = "redacted";
  private static final Pattern MARKER_TEXT =
      Pattern.compile("\\{\"redacted\":\"sha256:[0-9a-f]{64}\"}");

  private final List<PathRule> rules;

  /** A redactor for {@code rules}. */
  public Redactor(List<PathRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** True when {@code node} is a redaction marker. */
  public static boolean isMarker(JsonNode node) {
    return node != null && node.isObject() && node.size() == 1 && node.path(FIELD).isTextual()
        && node.path(FIELD).asText().startsWith("sha256:");
  }

  /** True when file bytes hold a redaction marker (a redacted file read back from a plan). */
  public static boolean isMarker(byte[] data) {
    return data.length == 86 && MARKER_TEXT.matcher(new String(data, StandardCharsets.UTF_8)).matches();
  }

  /** True when {@code node} holds a marker anywhere. */
  public static boolean containsMarker(JsonNode node) {
    if (node == null) {
      return false;
    }
    if (isMarker(node)) {
      return true;
    }
    for (JsonNode child : node) {
      if (containsMarker(child)) {
        return true;
      }
    }
    return false;
  }

  /** The marker for {@code value} at {@code path} of {@code id}; a marker stays itself. */
  public static JsonNode marker(ResourceId id, String path, JsonNode value) {
    if (isMarker(value)) {
      return value;
    }
    MessageDigest d = Digests.sha256();
    d.update((id + "\n" + path + "\n").getBytes(StandardCharsets.UTF_8));
    d.update(Digests.canonicalJson(value));
    return JsonNodeFactory.instance.objectNode().put(FIELD, Digests.format(d));
  }

  /** True when a rule makes the whole value at {@code path} (e.g. a file's {@code /content}) sensitive. */
  public boolean coversWhole(ResourceId id, String path) {
    List<String> at = segments(path);
    for (PathRule rule : rules) {
      List<String> want = segments(rule.pointer());
      if (rule.appliesTo(id) && want.size() <= at.size() && prefixMatches(want, at)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code value}, found at {@code path} in resource {@code id}, with every sensitive value inside
   * it replaced by a marker; {@code value} itself when nothing is sensitive. Never mutates it.
   */
  public JsonNode redact(ResourceId id, String path, JsonNode value) {
    if (value == null) {
      return null;
    }
    List<String> at = segments(path);
    JsonNode out = value;
    for (PathRule rule : rules) {
      if (!rule.appliesTo(id)) {
        continue;
      }
      List<String> want = segments(rule.pointer());
      if (!prefixMatches(want, at)) {
        continue;
      }
      if (want.size() <= at.size()) {
        return marker(id, path, value);
      }
      if (out == value) {
        out = value.deepCopy();
      }
      out = walk(id, path, out, want.subList(at.size(), want.size()));
    }
    return out;
  }

  private static JsonNode walk(ResourceId id, String path, JsonNode node, List<String> rest) {
    if (rest.isEmpty()) {
      return marker(id, path, node);
    }
    String seg = rest.get(0);
    List<String> tail = rest.subList(1, rest.size());
    if (node instanceof ObjectNode obj) {
      List<String> names = new ArrayList<>();
      if ("*".equals(seg)) {
        obj.fieldNames().forEachRemaining(names::add);
      } else if (obj.has(seg)) {
        names.add(seg);
      }
      for (String name : names) {
        obj.set(name, walk(id, path + "/" + escape(name), obj.get(name), tail));
      }
    } else if (node instanceof ArrayNode arr) {
      for (int i = 0; i < arr.size(); i++) {
        if ("*".equals(seg) || seg.equals(Integer.toString(i))) {
          arr.set(i, walk(id, path + "/" + i, arr.get(i), tail));
        }
      }
    }
    return node;
  }

  private static boolean prefixMatches(List<String> want, List<String> at) {
    int n = Math.min(want.size(), at.size());
    for (int i = 0; i < n; i++) {
      if (!"*".equals(want.get(i)) && !want.get(i).equals(at.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** Unescaped segments of a JSON pointer; {@code ""} has none. */
  static List<String> segments(String pointer) {
    List<String> out = new ArrayList<>();
    if (pointer.isEmpty()) {
      return out;
    }
    for (String s : pointer.substring(1).split("/", -1)) {
      out.add(s.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  private static String escape(String segment) {
    return segment.replace("~", "~0").replace("/", "~1");
  }

  /** Sorts object keys at every level (a new tree); arrays keep their order. */
  public static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
      fields.sort(Map.Entry.comparingByKey());
      for (Map.Entry<String, JsonNode> f : fields) {
        out.set(f.getKey(), sorted(f.getValue()));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode(node.size());
      node.forEach(child -> out.add(sorted(child)));
      return out;
    }
    return node;
  }
}
