package dev.gitops.internal.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.PathRule;
import dev.gitops.diff.RedactionKey;
import dev.gitops.internal.Digests;
import dev.gitops.model.ResourceId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one place that decides how a sensitive value is hidden. In text a value becomes a mask,
 * {@link #CHANGED} or {@link #UNCHANGED}, never itself; in a plan's JSON it becomes a marker,
 * {@code {"redacted":"hmac-sha256:..."}}: an HMAC under the process's {@link RedactionKey} of the
 * resource id, the value's JSON pointer and the value's canonical JSON, so that equal values at the
 * same place compare equal, while a guess of a short secret cannot be confirmed without the key.
 * Markers of an older plan ({@code sha256:}, unkeyed) are still recognised as markers, never as
 * values. Not part of the public API.
 */
public final class Redactor {
  /** The mask of a sensitive value that differs. */
  public static final String CHANGED = "*** (changed)";
  /** The mask of a sensitive value that is the same on both sides. */
  public static final String UNCHANGED = "*** (unchanged)";
  /** The marker's only field. */
  public static final String FIELD = "redacted";
  private static final Pattern DIGEST = Pattern.compile("(hmac-sha256|sha256):[0-9a-f]{64}");
  private static final Pattern MARKER_TEXT = Pattern.compile("\\{\"redacted\":\"" + DIGEST.pattern() + "\"}");

  private final List<PathRule> rules;

  /** A redactor for {@code rules}. */
  public Redactor(List<PathRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** The mask of {@code value} in text: {@link #UNCHANGED} when {@code other} is equivalent, else {@link #CHANGED}. */
  public static JsonNode mask(JsonNode value, JsonNode other) {
    return JsonNodeFactory.instance.textNode(Values.equivalent(value, other) ? UNCHANGED : CHANGED);
  }

  /** True when {@code node} is a redaction marker. */
  public static boolean isMarker(JsonNode node) {
    return node != null && node.isObject() && node.size() == 1 && node.path(FIELD).isTextual()
        && DIGEST.matcher(node.path(FIELD).asText()).matches();
  }

  /** True when file bytes hold a redaction marker (a redacted file read back from a plan). */
  public static boolean isMarker(byte[] data) {
    return data.length <= 100 && MARKER_TEXT.matcher(new String(data, StandardCharsets.UTF_8)).matches();
  }

  /** The digest a marker holds in file bytes ({@link #isMarker(byte[])}). */
  public static String markerDigest(byte[] marker) {
    String text = new String(marker, StandardCharsets.UTF_8);
    return text.substring(FIELD.length() + 5, text.length() - 2);
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

  /**
   * The marker for {@code value} at {@code path} of {@code id}, keyed with the process's
   * {@link RedactionKey}; a marker stays itself.
   */
  public static JsonNode marker(ResourceId id, String path, JsonNode value) {
    if (isMarker(value)) {
      return value;
    }
    String digest = RedactionKey.current().digest(id.toString().getBytes(StandardCharsets.UTF_8),
        path.getBytes(StandardCharsets.UTF_8), Digests.canonicalJson(value));
    return JsonNodeFactory.instance.objectNode().put(FIELD, digest);
  }

  /** True when a rule makes the whole value at {@code path} (e.g. a file's {@code /content}) sensitive. */
  public boolean coversWhole(ResourceId id, String path) {
    List<String> at = Pointer.segments(path);
    for (PathRule rule : rules) {
      List<String> want = Pointer.segments(rule.pointer());
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
    List<String> at = Pointer.segments(path);
    JsonNode out = value;
    for (PathRule rule : rules) {
      if (!rule.appliesTo(id)) {
        continue;
      }
      List<String> want = Pointer.segments(rule.pointer());
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
        obj.set(name, walk(id, path + "/" + Pointer.escape(name), obj.get(name), tail));
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
