package dev.gitops.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ResourceId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Applies {@link FieldNormalizer} rules: to one value (in order, each rule to the previous one's
 * result), or top-down to a whole tree, copy-on-write (unchanged subtrees are shared, an unchanged
 * tree is returned itself). Stateless. Not public API.
 */
final class FieldWalk {
  private FieldWalk() {}

  /**
   * {@code value} after every rule, in order; null when a rule drops it.
   *
   * @throws IllegalStateException when a rule drops the root or an array element
   */
  public static JsonNode apply(List<FieldNormalizer> rules, ResourceId id, FieldPath path,
                               JsonNode value) {
    JsonNode out = value;
    for (int r = 0, n = rules.size(); r < n; r++) {
      out = rules.get(r).field(id, path, out);
      if (out == null) {
        if (path.depth() == 0 || path.last() == null) {
          throw new IllegalStateException(id + ": normaliser " + rules.get(r)
              + " dropped " + (path.depth() == 0 ? "the root" : "an array element")
              + "; only object fields may be dropped");
        }
        return null;
      }
    }
    return out;
  }

  /** The whole {@code tree} (the root of {@code id}) normalised; never null. */
  public static JsonNode normalize(List<FieldNormalizer> rules, ResourceId id, JsonNode tree) {
    return deep(rules, id, new Stack(new String[8], 0), tree);
  }

  /** {@code value}, found at {@code at}, normalised with all its descendants; null when dropped. */
  public static JsonNode normalizeAt(List<FieldNormalizer> rules, ResourceId id, FieldPath at,
                                     JsonNode value) {
    String[] names = new String[at.depth() + 8];
    for (int i = 0; i < at.depth(); i++) {
      names[i] = at.name(i);
    }
    return deep(rules, id, new Stack(names, at.depth()), value);
  }

  private static JsonNode deep(List<FieldNormalizer> rules, ResourceId id, Stack path, JsonNode v) {
    JsonNode self = apply(rules, id, path, v);
    if (self instanceof ObjectNode obj) {
      ObjectNode copy = null;
      for (Map.Entry<String, JsonNode> e : obj.properties()) {
        path.push(e.getKey());
        JsonNode child = deep(rules, id, path, e.getValue());
        path.depth--;
        if (child != e.getValue()) {
          if (copy == null) {
            copy = JsonNodeFactory.instance.objectNode();
            copy.setAll(obj);
          }
          if (child == null) {
            copy.remove(e.getKey());
          } else {
            copy.set(e.getKey(), child);
          }
        }
      }
      return copy == null ? obj : copy;
    }
    if (self instanceof ArrayNode arr) {
      ArrayNode copy = null;
      for (int i = 0, n = arr.size(); i < n; i++) {
        path.push(null);
        JsonNode element = deep(rules, id, path, arr.get(i));
        path.depth--;
        if (element != arr.get(i)) {
          if (copy == null) {
            copy = JsonNodeFactory.instance.arrayNode(n);
            copy.addAll(arr);
          }
          copy.set(i, element);
        }
      }
      return copy == null ? arr : copy;
    }
    return self;
  }

  /** A growable path of names (null for elements). */
  private static final class Stack implements FieldPath {
    private String[] names;
    private int depth;

    Stack(String[] names, int depth) {
      this.names = names;
      this.depth = depth;
    }

    void push(String name) {
      if (depth == names.length) {
        names = Arrays.copyOf(names, depth * 2);
      }
      names[depth++] = name;
    }

    @Override
    public int depth() {
      return depth;
    }

    @Override
    public String name(int i) {
      return names[i];
    }
  }
}
