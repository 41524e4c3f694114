package dev.gitops.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.internal.diff.Pattern;
import dev.gitops.internal.diff.Pointer;
import dev.gitops.internal.diff.Redactor;
import dev.gitops.internal.diff.Values;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the views of both sides that renderers print: object keys sorted, ignored paths dropped,
 * every value under a sensitive path (and every scalar where a sensitive path expected a container)
 * masked by {@link Redactor#mask} (never the value), and, in DESIRED_SUBSET mode, actual fields
 * that desired does not set left out unless the diff removes them. Values are paired with the other
 * side's by field name, merge key or position. Immutable. Not public API.
 */
final class SideViews {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int[] NO_INDEX = new int[0];

  private final List<Pattern> ignored;
  private final List<Pattern> sensitive;
  private final List<Map.Entry<Pattern, List<String>>> mergeKeys;
  private final boolean subset;
  private final Set<String> removals;

  /**
   * Views for one resource.
   *
   * @param removals paths the diff removes from the actual side (kept in subset views)
   */
  public SideViews(List<Pattern> ignored, List<Pattern> sensitive,
                  List<Map.Entry<Pattern, List<String>>> mergeKeys, boolean subset, Set<String> removals) {
    this.ignored = ignored;
    this.sensitive = sensitive;
    this.mergeKeys = mergeKeys;
    this.subset = subset;
    this.removals = removals;
  }

  /** The printable view of the actual side, paired with {@code desired}. */
  public JsonNode actualView(JsonNode actual, JsonNode desired) {
    return copy(actual, desired, new ArrayList<>(), true);
  }

  /** The printable view of the desired side, paired with {@code actual} (may be null). */
  public JsonNode desiredView(JsonNode desired, JsonNode actual) {
    return copy(desired, actual, new ArrayList<>(), false);
  }

  /** True when a sensitive pattern covers {@code path} or lies under it. */
  public boolean sensitiveAt(List<String> path) {
    String[] names = path.toArray(new String[0]);
    for (Pattern p : sensitive) {
      if (p.overlaps(names, new int[names.length], names.length)) {
        return true;
      }
    }
    return false;
  }

  /** True when an ignore pattern covers {@code path}. */
  public boolean ignoredAt(List<String> path) {
    return covered(ignored, path);
  }

  private JsonNode copy(JsonNode self, JsonNode other, List<String> path, boolean actualSide) {
    if (covered(sensitive, path) || (!self.isContainerNode() && sensitiveAt(path))) {
      return Redactor.mask(self, other);
    }
    if (self.isObject()) {
      ObjectNode out = NODES.objectNode();
      Set<String> names = new TreeSet<>();
      self.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode o = other != null && other.isObject() ? other.get(name) : null;
        path.add(name);
        if (keep(o, path, actualSide)) {
          out.set(name, copy(self.get(name), o, path, actualSide));
        }
        path.remove(path.size() - 1);
      }
      return out;
    }
    if (self.isArray()) {
      ArrayNode out = NODES.arrayNode();
      List<String> keys = mergeKeysAt(path);
      Iterator<JsonNode> it = self.elements();
      for (int i = 0; it.hasNext(); i++) {
        JsonNode element = it.next();
        JsonNode o = counterpart(element, i, other, keys);
        path.add(Integer.toString(i));
        if (keep(o, path, actualSide)) {
          out.add(copy(element, o, path, actualSide));
        }
        path.remove(path.size() - 1);
      }
      return out;
    }
    return self;
  }

  private boolean keep(JsonNode counterpart, List<String> path, boolean actualSide) {
    if (covered(ignored, path)) {
      return false;
    }
    return !(actualSide && subset && counterpart == null && !removals.contains(Pointer.of(path)));
  }

  private static JsonNode counterpart(JsonNode element, int i, JsonNode other, List<String> keys) {
    if (other == null || !other.isArray()) {
      return null;
    }
    if (keys == null || !element.isObject()) {
      return other.get(i);
    }
    for (JsonNode candidate : other) {
      if (Keys.sameKey(element, candidate, keys)) {
        return candidate;
      }
    }
    return null;
  }

  private List<String> mergeKeysAt(List<String> path) {
    String[] names = path.toArray(new String[0]);
    for (Map.Entry<Pattern, List<String>> e : mergeKeys) {
      Pattern p = e.getKey();
      if (p.length() == names.length && p.covers(names, new int[names.length], names.length)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static boolean covered(List<Pattern> patterns, List<String> path) {
    if (patterns.isEmpty()) {
      return false;
    }
    String[] names = path.toArray(new String[0]);
    int[] idx = names.length == 0 ? NO_INDEX : new int[names.length];
    for (Pattern p : patterns) {
      if (p.covers(names, idx, names.length)) {
        return true;
      }
    }
    return false;
  }
}
