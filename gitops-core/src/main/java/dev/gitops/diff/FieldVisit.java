package dev.gitops.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ResourceId;
import java.util.List;

/**
 * The field rules of one {@link Walk}: normalises the values the walk visits, at the walk's
 * current path, which it reports to the rules as their {@link FieldPath}. Reused with its
 * walk, not thread-safe. Not public API.
 */
final class FieldVisit implements FieldPath {
  private final Walk walk;
  private final List<FieldNormalizer> rules;
  private final FieldNormalizer single;
  private ResourceId id;
  private int depth;

  FieldVisit(Walk walk, List<FieldNormalizer> rules) {
    this.walk = walk;
    this.rules = rules;
    this.single = rules.size() == 1 ? rules.get(0) : null;
  }

  /** The resource whose values the next visits normalise. */
  void reset(ResourceId id) {
    this.id = id;
  }

  @Override
  public int depth() {
    return depth;
  }

  @Override
  public String name(int i) {
    return walk.segmentName(i);
  }

  /** {@code v} (null when absent) at the walk's first {@code depth} segments, after the rules. */
  JsonNode norm(JsonNode v, int depth) {
    if (v == null) {
      return null;
    }
    this.depth = depth;
    if (single != null) {
      JsonNode out = single.field(id, this, v);
      return out != null ? out : FieldWalk.apply(rules, id, this, v);
    }
    return FieldWalk.apply(rules, id, this, v);
  }

  /** {@code v} and its descendants after the rules: the value a recorded change shows. */
  JsonNode whole(JsonNode v, int depth) {
    if (v == null) {
      return null;
    }
    this.depth = depth;
    return FieldWalk.normalizeAt(rules, id, this, v);
  }

  /**
   * {@code array} (at {@code depth}) with each element and its key fields (with their descendants)
   * normalised, copy-on-write, so that merge keys compare as they would after normalising the whole tree.
   */
  JsonNode keys(JsonNode array, int depth, List<String> keys) {
    ArrayNode copy = null;
    for (int i = 0, n = array.size(); i < n; i++) {
      JsonNode element = array.get(i);
      walk.at(depth, null, i);
      JsonNode normal = norm(element, depth + 1);
      if (normal instanceof ObjectNode obj) {
        normal = withKeys(obj, depth + 1, keys);
      }
      if (normal != element) {
        if (copy == null) {
          copy = JsonNodeFactory.instance.arrayNode(n);
          copy.addAll((ArrayNode) array);
        }
        copy.set(i, normal);
      }
    }
    return copy == null ? array : copy;
  }

  private ObjectNode withKeys(ObjectNode obj, int depth, List<String> keys) {
    ObjectNode changed = null;
    for (String f : keys) {
      JsonNode v = obj.get(f);
      walk.at(depth, f, -1);
      JsonNode nv = whole(v, depth + 1); // a key that is an object compares with its descendants normalised too
      if (nv != v) {
        if (changed == null) {
          changed = JsonNodeFactory.instance.objectNode();
          changed.setAll(obj);
        }
        if (nv == null) {
          changed.remove(f);
        } else {
          changed.set(f, nv);
        }
      }
    }
    return changed == null ? obj : changed;
  }
}
