package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.model.ResourceId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * How deep an object may nest to be written and read back. The Kubernetes client (fabric8 8, on
 * Jackson 3: {@code StreamReadConstraints} and {@code StreamWriteConstraints} default to 500 levels)
 * fails on JSON nested deeper with "An error has occurred.", and the server returns an object two
 * levels down in a list, with its field set four levels under {@code metadata.managedFields}: an
 * object nested past 494 levels could be written, but never listed again, and every read of its kind
 * would fail. The API server itself reads 10,000 levels (apimachinery's JSON {@code maxDepth}); no
 * real manifest comes near either: the deepest of the fixtures (Istio's CRDs) nests 33. Walked
 * without recursion, so no tree is too deep to be judged.
 */
final class Nesting {
  /** Levels an object may nest, its root counted as one: well under the client's 494. */
  static final int MAX_DEPTH = 400;
  /** Keys of the path shown before it is cut. */
  private static final int SHOWN = 6;

  private Nesting() {}

  /** Why the server could not take {@code object} back through the client, with the pointer to blame; or null. */
  static DecodedValues.Refusal problem(JsonNode object) {
    List<String> path = tooDeep(object);
    if (path == null) {
      return null;
    }
    StringBuilder pointer = new StringBuilder();
    StringBuilder shown = new StringBuilder();
    for (int i = 0; i < path.size(); i++) {
      pointer.append('/').append(Pointers.escape(path.get(i)));
      if (i == SHOWN - 1) {
        shown.append(pointer);
      }
    }
    String at = Pointers.dotted(shown.length() > 0 ? shown.toString() : pointer.toString());
    return new DecodedValues.Refusal(pointer.toString(), "nests deeper than " + MAX_DEPTH + " levels (at "
        + ResourceId.escape(at) + (path.size() > SHOWN ? " and " + (path.size() - SHOWN) + " levels more" : "")
        + "), which the Kubernetes client cannot read back (fabric8's JSON reader stops at 500, and a live object"
        + " comes inside a list with its field set under metadata.managedFields): no manifest nests nearly so deep");
  }

  /** The keys (indexes for lists) down to the first container past {@link #MAX_DEPTH}, or null. */
  static List<String> tooDeep(JsonNode root) {
    if (!root.isContainerNode()) {
      return null;
    }
    ArrayDeque<Iterator<Map.Entry<String, JsonNode>>> open = new ArrayDeque<>();
    ArrayDeque<String> path = new ArrayDeque<>();
    open.push(children(root));
    while (!open.isEmpty()) {
      Iterator<Map.Entry<String, JsonNode>> siblings = open.peek();
      if (!siblings.hasNext()) {
        open.pop();
        path.pollFirst(); // the root's frame has no key: the path is empty then
        continue;
      }
      Map.Entry<String, JsonNode> child = siblings.next();
      if (child.getValue().isContainerNode()) {
        path.push(child.getKey());
        if (open.size() + 1 > MAX_DEPTH) {
          List<String> keys = new ArrayList<>(path);
          Collections.reverse(keys);
          return keys;
        }
        open.push(children(child.getValue()));
      }
    }
    return null;
  }

  /** The entries of an object, or the items of a list keyed by their index. */
  private static Iterator<Map.Entry<String, JsonNode>> children(JsonNode node) {
    if (node.isObject()) {
      return node.fields();
    }
    Iterator<JsonNode> items = node.elements();
    return new Iterator<>() {
      private int index;

      @Override
      public boolean hasNext() {
        return items.hasNext();
      }

      @Override
      public Map.Entry<String, JsonNode> next() {
        return Map.entry(Integer.toString(index++), items.next());
      }
    };
  }
}
