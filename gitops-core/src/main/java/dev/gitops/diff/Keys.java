package dev.gitops.diff;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.internal.diff.Values;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Merge-key helpers for lists matched element by element. A key field an element leaves out counts
 * as absent, or as its default when the list declares one ({@code defaults}, one per field, null
 * entries for none; a null list for no defaults at all). Not public API.
 */
final class Keys {
  private Keys() {}

  /** True when every element of {@code array} is an object (missing key fields count as absent). */
  public static boolean usable(JsonNode array, List<String> fields) {
    for (int i = 0, n = array.size(); i < n; i++) {
      if (!array.get(i).isObject()) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code x} and {@code y} have equal key fields (numbers by value). */
  public static boolean sameKey(JsonNode x, JsonNode y, List<String> fields) {
    return sameKey(x, y, fields, null);
  }

  /** True when {@code x} and {@code y} have equal key fields, absent ones taken as their defaults. */
  public static boolean sameKey(JsonNode x, JsonNode y, List<String> fields, List<JsonNode> defaults) {
    if (x == null || y == null || !x.isObject() || !y.isObject()) {
      return false;
    }
    for (int f = 0, n = fields.size(); f < n; f++) {
      String field = fields.get(f);
      if (!Values.equivalent(field(x, field, f, defaults), field(y, field, f, defaults))) {
        return false;
      }
    }
    return true;
  }

  /** True when both arrays have the same size and equal keys at every index. */
  public static boolean aligned(JsonNode a, JsonNode d, List<String> fields) {
    return aligned(a, d, fields, null);
  }

  /** {@link #aligned(JsonNode, JsonNode, List)} with key defaults. */
  public static boolean aligned(JsonNode a, JsonNode d, List<String> fields, List<JsonNode> defaults) {
    if (a.size() != d.size()) {
      return false;
    }
    for (int i = 0, n = a.size(); i < n; i++) {
      if (!sameKey(a.get(i), d.get(i), fields, defaults)) {
        return false;
      }
    }
    return true;
  }

  /** The key of an element as canonical text. */
  public static String key(JsonNode element, List<String> fields) {
    return key(element, fields, null);
  }

  /** The key of an element as canonical text, absent key fields taken as their defaults. */
  public static String key(JsonNode element, List<String> fields, List<JsonNode> defaults) {
    StringBuilder sb = new StringBuilder();
    for (int f = 0, n = fields.size(); f < n; f++) {
      sb.append(Values.keyText(field(element, fields.get(f), f, defaults))).append('\u0001');
    }
    return sb.toString();
  }

  /** Index of each element by key, or null when two elements share a key. */
  public static Map<String, Integer> index(JsonNode array, List<String> fields) {
    return index(array, fields, null);
  }

  /** {@link #index(JsonNode, List)} with key defaults. */
  public static Map<String, Integer> index(JsonNode array, List<String> fields, List<JsonNode> defaults) {
    Map<String, Integer> out = new HashMap<>();
    for (int i = 0, n = array.size(); i < n; i++) {
      if (out.put(key(array.get(i), fields, defaults), i) != null) {
        return null;
      }
    }
    return out;
  }

  /**
   * Index of the first element of each key, with key defaults: the one a repeated key is matched
   * by ({@link ListWalk}).
   */
  static Map<String, Integer> firstIndex(JsonNode array, List<String> fields, List<JsonNode> defaults) {
    Map<String, Integer> out = new HashMap<>();
    for (int i = 0, n = array.size(); i < n; i++) {
      out.putIfAbsent(key(array.get(i), fields, defaults), i);
    }
    return out;
  }

  private static JsonNode field(JsonNode element, String field, int f, List<JsonNode> defaults) {
    JsonNode v = element.get(field);
    return v == null && defaults != null ? defaults.get(f) : v;
  }
}
