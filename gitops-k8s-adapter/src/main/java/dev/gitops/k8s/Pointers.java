package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.PathRule;
import dev.gitops.model.ResourceId;
import java.util.ArrayList;
import java.util.List;

/** RFC 6901 pointers and removal of the paths that ignore rules select. */
final class Pointers {
  private Pointers() {}

  /** Escapes one segment: {@code ~} to {@code ~0}, {@code /} to {@code ~1}. */
  public static String escape(String segment) {
    return segment.replace("~", "~0").replace("/", "~1");
  }

  /** The segments of a pointer, unescaped. */
  public static List<String> segments(String pointer) {
    List<String> out = new ArrayList<>();
    if (pointer.isEmpty()) {
      return out;
    }
    for (String s : pointer.substring(1).split("/", -1)) {
      out.add(s.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  /** A copy of {@code tree} without the paths the rules that apply to {@code id} select. */
  public static JsonNode without(ResourceId id, JsonNode tree, List<PathRule> rules) {
    JsonNode copy = null;
    for (PathRule rule : rules) {
      if (rule.appliesTo(id) && !rule.pointer().isEmpty()) {
        if (copy == null) {
          copy = tree.deepCopy();
        }
        remove(copy, segments(rule.pointer()), 0);
      }
    }
    return copy == null ? tree : copy;
  }

  /** {@code tree} without what {@code pointer} selects, removed in place ({@code *}: any one segment); null stays null. */
  static JsonNode cut(JsonNode tree, String pointer) {
    if (tree != null && !pointer.isEmpty()) {
      remove(tree, segments(pointer), 0);
    }
    return tree;
  }

  private static void remove(JsonNode node, List<String> path, int i) {
    String seg = path.get(i);
    boolean last = i == path.size() - 1;
    if (node instanceof ObjectNode obj) {
      List<String> keys = new ArrayList<>();
      if ("*".equals(seg)) {
        obj.fieldNames().forEachRemaining(keys::add);
      } else if (obj.has(seg)) {
        keys.add(seg);
      }
      for (String k : keys) {
        if (last) {
          obj.remove(k);
        } else {
          remove(obj.get(k), path, i + 1);
        }
      }
    } else if (node instanceof ArrayNode arr) {
      for (int j = arr.size() - 1; j >= 0; j--) {
        if ("*".equals(seg) || seg.equals(Integer.toString(j))) {
          if (last) {
            arr.remove(j);
          } else {
            remove(arr.get(j), path, i + 1);
          }
        }
      }
    }
  }

  /** {@code /spec/template/spec/containers/0/image} as {@code spec.template.spec.containers[0].image}. */
  static String dotted(String pointer) {
    StringBuilder out = new StringBuilder();
    for (String segment : Pointers.segments(pointer)) {
      if (segment.equals("*") || segment.equals("-") || segment.chars().allMatch(Character::isDigit)) {
        out.append('[').append(segment.equals("*") ? "" : segment).append(']');
      } else {
        out.append(out.isEmpty() ? "" : ".").append(segment);
      }
    }
    return out.toString();
  }
}
