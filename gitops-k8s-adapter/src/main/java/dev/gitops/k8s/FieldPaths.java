package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.diff.FieldSchema;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A field named as the API server names it in a server-side apply conflict: structured-merge-diff's
 * {@code fieldpath.Path} in its String form ({@code fieldpath/element.go}, {@code PathElement.String};
 * the cause's {@code field} in apimachinery's {@code managedfields/internal/conflict.go}):
 * {@code .name} for a field, {@code [k1=v1,k2=v2]} for an element of a keyed list (its key fields
 * sorted by name, values as JSON: {@code [name="app"]}, {@code [containerPort=8080,protocol="TCP"]}),
 * {@code [=v]} for an element of a set and {@code [i]} for one of any other list. An element is
 * named by what it is, not where it sits, so the name holds when the list is reordered, and a
 * conflict reads the same under either {@link ApplyStrategy}. Stateless. Not public API.
 */
final class FieldPaths {
  private FieldPaths() {}

  /**
   * The field at {@code pointer} (RFC 6901, list elements by their index in {@code live}) as the
   * server names it, elements read from {@code live} and matched as {@code root} says (an index
   * where the schema says nothing); {@code /spec/template/spec/containers/1/image} is
   * {@code .spec.template.spec.containers[name="app"].image}.
   *
   * @param root the schema node of the object, or null
   */
  static String of(String pointer, JsonNode live, FieldSchema.Node root) {
    StringBuilder out = new StringBuilder();
    JsonNode value = live;
    FieldSchema.Node node = root;
    for (String segment : Pointers.segments(pointer)) {
      if (value != null && value.isArray()) {
        JsonNode element = value.path(index(segment));
        FieldSchema.ListMatch match = node == null ? null : node.match();
        out.append(element.isMissingNode() ? "[" + segment + "]" : element(element, segment, match));
        value = element.isMissingNode() ? null : element;
        node = node == null || value == null ? null : node.element(value);
      } else {
        out.append('.').append(segment);
        value = value == null ? null : value.get(segment);
        node = node == null ? null : node.field(segment);
      }
    }
    return out.toString();
  }

  /** One element: by its key fields in a keyed list, by value in a set, else by its index. */
  private static String element(JsonNode element, String index, FieldSchema.ListMatch match) {
    if (match != null && match.kind() == FieldSchema.ListMatch.Kind.SET && element.isValueNode()) {
      return "[=" + element + "]";
    }
    if (match == null || match.kind() != FieldSchema.ListMatch.Kind.KEYED || !element.isObject()) {
      return "[" + index + "]";
    }
    Map<String, JsonNode> key = new TreeMap<>(); // "Keys are supposed to be sorted"
    List<String> names = match.keys();
    for (int k = 0; k < names.size(); k++) {
      JsonNode v = element.get(names.get(k));
      v = v == null || v.isNull() ? match.defaults().get(k) : v;
      if (v != null && !v.isNull()) {
        key.put(names.get(k), v);
      }
    }
    if (key.isEmpty()) {
      return "[" + index + "]";
    }
    StringBuilder out = new StringBuilder("[");
    key.forEach((name, v) -> out.append(out.length() == 1 ? "" : ",").append(name).append('=').append(v));
    return out.append(']').toString();
  }

  private static int index(String segment) {
    try {
      return Integer.parseInt(segment);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
