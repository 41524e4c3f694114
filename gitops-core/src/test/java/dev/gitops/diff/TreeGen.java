package dev.gitops.diff;

import static org.quicktheories.generators.SourceDSL.integers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;

/** Small JSON trees for the diff laws, built from QuickTheories' SourceDSL. */
final class TreeGen {
  static final String[] KEYS = {"a", "b", "c", "d/e", "~f", "name"};
  private static final String[] TEXT = {"x", "y", "Z", ""};
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Numbers compare by value, everything else by equals: an equality independent of the Differ. */
  static final Comparator<JsonNode> BY_VALUE = (x, y) -> {
    if (x.isNumber() && y.isNumber()) {
      return x.decimalValue().compareTo(y.decimalValue());
    }
    return x.equals(y) ? 0 : 1;
  };

  private TreeGen() {}

  /** An object tree of depth at most 3. */
  static Gen<JsonNode> trees() {
    return r -> object(r, 3);
  }

  /** An actual tree and a desired tree made by random edits to it (sometimes none). */
  static Gen<JsonNode[]> pairs() {
    Gen<JsonNode[]> gen = r -> {
      JsonNode actual = object(r, 3);
      return new JsonNode[] {actual, mutate(actual, r, 3)};
    };
    return gen.describedAs(p -> "actual=" + p[0] + " desired=" + p[1]);
  }

  static JsonNode value(RandomnessSource r, int depth) {
    int kind = pick(r, depth > 0 ? 7 : 5);
    return switch (kind) {
      case 0 -> IntNode.valueOf(pick(r, 4));
      case 1 -> LongNode.valueOf(pick(r, 4));
      case 2 -> TextNode.valueOf(TEXT[pick(r, TEXT.length)]);
      case 3 -> pick(r, 3) == 0 ? NullNode.instance : BooleanNode.valueOf(pick(r, 2) == 0);
      case 4 -> DoubleNode.valueOf(pick(r, 2) == 0 ? 1.0 : 0.5);
      case 5 -> object(r, depth - 1);
      default -> array(r, depth - 1);
    };
  }

  static ObjectNode object(RandomnessSource r, int depth) {
    ObjectNode out = NODES.objectNode();
    for (int i = 0, n = pick(r, 5); i < n; i++) {
      out.set(KEYS[pick(r, KEYS.length)], value(r, depth));
    }
    return out;
  }

  static ArrayNode array(RandomnessSource r, int depth) {
    ArrayNode out = NODES.arrayNode();
    for (int i = 0, n = pick(r, 4); i < n; i++) {
      out.add(value(r, depth));
    }
    return out;
  }

  /** A copy of {@code node} with random edits: replaced values, dropped, added or retyped fields. */
  static JsonNode mutate(JsonNode node, RandomnessSource r, int depth) {
    int c = pick(r, 10);
    if (c == 0) {
      return value(r, Math.max(depth, 0));
    }
    if (node.isObject()) {
      ObjectNode out = NODES.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (pick(r, 8) != 0) {
          out.set(e.getKey(), mutate(e.getValue(), r, depth - 1));
        }
      }
      if (pick(r, 4) == 0) {
        out.set(KEYS[pick(r, KEYS.length)], value(r, Math.max(depth - 1, 0)));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = NODES.arrayNode();
      int keep = node.size() - (pick(r, 4) == 0 ? Math.min(node.size(), 1 + pick(r, 2)) : 0);
      for (int i = 0; i < keep; i++) {
        out.add(mutate(node.get(i), r, depth - 1));
      }
      for (int i = 0, n = pick(r, 4) == 0 ? 1 + pick(r, 2) : 0; i < n; i++) {
        out.add(value(r, Math.max(depth - 1, 0)));
      }
      return out;
    }
    if (c == 1 && node.isIntegralNumber()) {
      return node.isInt() ? LongNode.valueOf(node.longValue()) : IntNode.valueOf(node.intValue());
    }
    if (c == 2 && node.isIntegralNumber()) {
      return DoubleNode.valueOf(node.doubleValue());
    }
    return node;
  }

  /** An actual tree and a copy of it with random object fields left out (lists keep their length). */
  static Gen<JsonNode[]> pruned() {
    Gen<JsonNode[]> gen = r -> {
      JsonNode actual = object(r, 3);
      return new JsonNode[] {actual, prune(actual, r)};
    };
    return gen.describedAs(p -> "actual=" + p[0] + " desired=" + p[1]);
  }

  static JsonNode prune(JsonNode node, RandomnessSource r) {
    if (node.isObject()) {
      ObjectNode out = NODES.objectNode();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (pick(r, 3) != 0) {
          out.set(e.getKey(), prune(e.getValue(), r));
        }
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = NODES.arrayNode();
      node.forEach(e -> out.add(prune(e, r)));
      return out;
    }
    return node;
  }

  /**
   * Two trees {@code {"l": [{"name", "v", "m": [{"name", "v"}]}]}} whose lists hold elements with
   * unique names, drawn independently: lists to match by the merge key {@code name}.
   */
  static Gen<JsonNode[]> keyedPairs() {
    Gen<JsonNode[]> gen = r -> new JsonNode[] {keyedRoot(r), keyedRoot(r)};
    return gen.describedAs(p -> "actual=" + p[0] + " desired=" + p[1]);
  }

  private static JsonNode keyedRoot(RandomnessSource r) {
    ObjectNode root = NODES.objectNode();
    root.set("l", keyedList(r, true));
    return root;
  }

  private static ArrayNode keyedList(RandomnessSource r, boolean nested) {
    List<String> names = new ArrayList<>(List.of("a", "b", "c", "d"));
    ArrayNode out = NODES.arrayNode();
    for (int i = 0, n = pick(r, 4); i < n; i++) {
      ObjectNode e = out.addObject().put("name", names.remove(pick(r, names.size())));
      if (pick(r, 3) != 0) {
        e.set("v", value(r, 0));
      }
      if (nested && pick(r, 2) == 0) {
        e.set("m", keyedList(r, false));
      }
    }
    return out;
  }

  /** {@code node} with every list of named objects sorted by name: equality up to keyed-list order. */
  static JsonNode sortedByName(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = NODES.objectNode();
      node.properties().forEach(e -> out.set(e.getKey(), sortedByName(e.getValue())));
      return out;
    }
    if (node.isArray()) {
      List<JsonNode> items = new ArrayList<>();
      node.forEach(e -> items.add(sortedByName(e)));
      if (items.stream().allMatch(e -> e.has("name"))) {
        items.sort(Comparator.comparing(e -> e.get("name").asText()));
      }
      return NODES.arrayNode().addAll(items);
    }
    return node;
  }

  /** The same tree with every object's fields inserted in reverse order. */
  static JsonNode reversed(JsonNode node) {
    if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
      ObjectNode out = NODES.objectNode();
      for (int i = fields.size() - 1; i >= 0; i--) {
        out.set(fields.get(i).getKey(), reversed(fields.get(i).getValue()));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = NODES.arrayNode();
      node.forEach(e -> out.add(reversed(e)));
      return out;
    }
    return node;
  }

  private static int pick(RandomnessSource r, int bound) {
    return integers().between(0, bound - 1).generate(r);
  }
}
