package dev.gitops.internal.diff;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Merge-key helpers for lists matched element by element. Not public API. */
public final class Keys {
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
    if (x == null || y == null || !x.isObject() || !y.isObject()) {
      return false;
    }
    for (int f = 0, n = fields.size(); f < n; f++) {
      String field = fields.get(f);
      if (!Values.equivalent(x.get(field), y.get(field))) {
        return false;
      }
    }
    return true;
  }

  /** True when both arrays have the same size and equal keys at every index. */
  public static boolean aligned(JsonNode a, JsonNode d, List<String> fields) {
    if (a.size() != d.size()) {
      return false;
    }
    for (int i = 0, n = a.size(); i < n; i++) {
      if (!sameKey(a.get(i), d.get(i), fields)) {
        return false;
      }
    }
    return true;
  }

  /** The key of an element as canonical text. */
  public static String key(JsonNode element, List<String> fields) {
    StringBuilder sb = new StringBuilder();
    for (String f : fields) {
      sb.append(Values.keyText(element.get(f))).append('\u0001');
    }
    return sb.toString();
  }

  /** Index of each element by key, or null when two elements share a key. */
  public static Map<String, Integer> index(JsonNode array, List<String> fields) {
    Map<String, Integer> out = new HashMap<>();
    for (int i = 0, n = array.size(); i < n; i++) {
      if (out.put(key(array.get(i), fields), i) != null) {
        return null;
      }
    }
    return out;
  }
}
