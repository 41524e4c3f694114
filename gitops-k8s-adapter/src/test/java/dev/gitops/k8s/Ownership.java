package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Test helper, written apart from the adapter's decoder: which field managers of a live object
 * own the field at a JSON pointer ({@code /spec/template/spec/containers/0/image}, list elements
 * by their index in the live object), by walking each entry's {@code fieldsV1} along the path: an
 * element of a keyed list is the {@code k:} entry whose key fields the live element has with the
 * same values, an element of a set the {@code v:} entry of its value.
 */
final class Ownership {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Ownership() {}

  /** {@code manager} of each entry that owns the field or something below it; ours as {@code gitops/Apply}. */
  static TreeSet<String> managers(JsonNode live, String pointer) {
    TreeSet<String> out = new TreeSet<>();
    List<String> segments = new ArrayList<>();
    for (String s : pointer.substring(1).split("/", -1)) {
      segments.add(s.replace("~1", "/").replace("~0", "~"));
    }
    for (JsonNode entry : live.path("metadata").path("managedFields")) {
      if (owns(entry.path("fieldsV1"), live, segments, 0)) {
        String manager = entry.path("manager").asText();
        out.add(manager.equals("gitops") && entry.path("operation").asText().equals("Apply")
            ? "gitops/Apply" : manager);
      }
    }
    return out;
  }

  /**
   * The field at {@code pointer} as the API server names it in a conflict with {@code manager}
   * (structured-merge-diff's {@code PathElement.String}): each element as that manager's
   * {@code fieldsV1} names it, {@code k:{"name":"app"}} as {@code [name="app"]}, {@code v:"a"} as
   * {@code [="a"]}, {@code i:0} as {@code [0]}; an element it does not name (it owns an atomic list
   * above) by its live index.
   */
  static String field(JsonNode live, String pointer, String manager) {
    JsonNode set = null;
    for (JsonNode entry : live.path("metadata").path("managedFields")) {
      if (manager.equals(entry.path("manager").asText())) {
        set = entry.path("fieldsV1");
      }
    }
    StringBuilder out = new StringBuilder();
    JsonNode value = live;
    for (String s : pointer.substring(1).split("/", -1)) {
      String segment = s.replace("~1", "/").replace("~0", "~");
      if (value.isArray()) {
        JsonNode element = value.path(Integer.parseInt(segment));
        String name = set == null ? null : elementName(set, element);
        out.append(name == null ? "[" + segment + "]" : name.startsWith("v:") ? "[=" + name.substring(2) + "]"
            : name.startsWith("i:") ? "[" + name.substring(2) + "]" : keyText(name.substring(2)));
        set = name == null ? null : set.get(name);
        value = element;
      } else {
        out.append('.').append(segment);
        set = set == null ? null : set.get("f:" + segment);
        value = value.path(segment);
      }
    }
    return out.toString();
  }

  private static String elementName(JsonNode set, JsonNode element) {
    for (Iterator<Map.Entry<String, JsonNode>> it = set.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (elementSet(JSON.createObjectNode().set(e.getKey(), e.getValue()), element) != null) {
        return e.getKey();
      }
    }
    return null;
  }

  /** {@code {"containerPort":80,"protocol":"TCP"}} as {@code [containerPort=80,protocol="TCP"]}. */
  private static String keyText(String json) {
    try {
      StringBuilder out = new StringBuilder("[");
      for (Iterator<Map.Entry<String, JsonNode>> it = JSON.readTree(json).fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        out.append(out.length() == 1 ? "" : ",").append(f.getKey()).append('=').append(f.getValue());
      }
      return out.append(']').toString();
    } catch (IOException e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  private static boolean owns(JsonNode set, JsonNode value, List<String> path, int i) {
    if (set == null || set.isMissingNode()) {
      return false;
    }
    if (i == path.size()) {
      return true;
    }
    String segment = path.get(i);
    if (value.isArray()) {
      JsonNode element = value.get(Integer.parseInt(segment));
      return element != null && owns(elementSet(set, element), element, path, i + 1);
    }
    return owns(set.get("f:" + segment), value.path(segment), path, i + 1);
  }

  private static JsonNode elementSet(JsonNode set, JsonNode element) {
    for (Iterator<Map.Entry<String, JsonNode>> it = set.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      try {
        if (name.startsWith("v:") && JSON.readTree(name.substring(2)).equals(element)) {
          return e.getValue();
        }
        if (name.startsWith("k:") && keyOf(JSON.readTree(name.substring(2)), element)) {
          return e.getValue();
        }
      } catch (IOException ex) {
        throw new IllegalArgumentException(name, ex);
      }
    }
    return null;
  }

  private static boolean keyOf(JsonNode key, JsonNode element) {
    for (Iterator<Map.Entry<String, JsonNode>> it = key.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      JsonNode v = element.get(f.getKey());
      if (v == null || !(v.equals(f.getValue()) || v.isNumber() && f.getValue().isNumber()
          && v.decimalValue().compareTo(f.getValue().decimalValue()) == 0)) {
        return false;
      }
    }
    return true;
  }
}
