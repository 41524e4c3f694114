package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.FieldSchema;
import java.util.Iterator;
import java.util.Map;

/**
 * Key fields of keyed lists ({@code x-kubernetes-list-type: map}) written as null where the schema
 * gives the key a default: a chart's unset {@code protocol:} of a port or listener. Server-side
 * apply keys an element by a key field it has, a null too (structured-merge-diff,
 * {@code keyedAssociativeListItemToPathElement}), and by the key's default only when the element
 * leaves the field out; the server then stores the default in place of the null (Go decodes it as
 * the empty string that {@code SetDefaults_ContainerPort} makes TCP; a custom resource's null of a
 * field that is not nullable is pruned and defaulted). So an applied element keyed null names no
 * stored element: the next apply adds a second one, which the server refuses (a repeated port
 * name; a custom resource's list under any write). Left out, the element is keyed as it is
 * stored, and every apply meets it. {@link ManifestLoader} already drops a built-in field's null;
 * a custom resource keeps its nulls, as do trees of other loaders. Thread-safe.
 */
final class NullKeyFields {
  private NullKeyFields() {
  }

  /** Removes from {@code tree} (changed in place) every null key field with a default, as {@code node} (or null) knows them. */
  static void leaveOut(FieldSchema.Node node, JsonNode tree) {
    if (node == null || tree == null) {
      return;
    }
    if (tree.isObject()) {
      for (Map.Entry<String, JsonNode> field : tree.properties()) {
        leaveOut(node.field(field.getKey()), field.getValue());
      }
    } else if (tree.isArray()) {
      FieldSchema.ListMatch match = node.match();
      for (JsonNode element : tree) {
        if (match != null && match.kind() == FieldSchema.ListMatch.Kind.KEYED && element instanceof ObjectNode o) {
          for (int k = 0; k < match.keys().size(); k++) {
            JsonNode value = o.get(match.keys().get(k));
            if (value != null && value.isNull() && match.defaults().get(k) != null) {
              o.remove(match.keys().get(k));
            }
          }
        }
        leaveOut(node.element(element), element);
      }
    }
  }

  /** True when {@code tree} holds a null anywhere: the common case, none, costs one walk and no schema lookup. */
  static boolean anyNull(JsonNode tree) {
    if (tree.isNull()) {
      return true;
    }
    for (Iterator<JsonNode> i = tree.elements(); i.hasNext(); ) {
      if (anyNull(i.next())) {
        return true;
      }
    }
    return false;
  }
}
