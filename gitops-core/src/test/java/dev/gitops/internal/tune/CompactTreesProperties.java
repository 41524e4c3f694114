package dev.gitops.internal.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;

/**
 * A compact copy is the same Jackson tree as its source, and its objects behave as Jackson's own
 * under any sequence of edits: laws on 1,000 generated examples each, against the
 * {@code LinkedHashMap}-backed nodes the parser builds.
 */
class CompactTreesProperties {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper SORTED =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  /** Field names, some built at run time so that lookups by content (not reference) are tested too. */
  private static final String[] KEYS = {"a", "b", "name", "ports", new String("a"), "x/y", ""};

  @Test
  void aCopyEqualsItsSourceBothWaysHashesAndPrintsTheSame() throws Exception {
    qt().withExamples(1000).forAll(trees()).checkAssert(tree -> {
      JsonNode copy = CompactTrees.copy(tree);
      assertEquals(tree, copy);
      assertEquals(copy, tree);
      assertEquals(tree.hashCode(), copy.hashCode());
      assertEquals(tree.toString(), copy.toString());
      try {
        assertEquals(JSON.writeValueAsString(tree), JSON.writeValueAsString(copy));
        assertEquals(SORTED.writeValueAsString(tree), SORTED.writeValueAsString(copy));
        assertEquals(tree, JSON.readTree(JSON.writeValueAsString(copy)));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      assertEquals(tree, copy.deepCopy());
    });
  }

  @Test
  void aCopySharesNoContainerWithItsSource() {
    qt().withExamples(300).forAll(trees()).checkAssert(tree -> {
      JsonNode copy = CompactTrees.copy(tree);
      assertNotSame(tree, copy);
      ((ObjectNode) copy).put("added", 1);
      assertNull(tree.get("added"));
      assertEquals(tree.size() + (tree.has("added") ? 0 : 1), copy.size());
    });
  }

  @Test
  void editsDoToACompactObjectWhatTheyDoToJacksonsOwn() {
    qt().withExamples(1000).forAll(trees(), lists().of(integers().between(0, 1 << 20)).ofSizeBetween(0, 30))
        .checkAssert((tree, edits) -> {
          ObjectNode plain = (ObjectNode) tree.deepCopy();
          ObjectNode compact = CompactTrees.copyObject((ObjectNode) tree);
          for (int edit : edits) {
            Object left = edit(plain, edit);
            Object right = edit(compact, edit);
            assertEquals(left, right, "edit " + edit % 9);
            assertEquals(plain, compact);
            assertEquals(compact, plain);
            assertEquals(plain.toString(), compact.toString());
            assertEquals(plain.hashCode(), compact.hashCode());
            assertEquals(names(plain), names(compact));
          }
        });
  }

  @Test
  void objectsWiderThanAScanKeepAHashTableAndTheSameBehaviour() {
    Gen<JsonNode> wide = r -> {
      ObjectNode out = NODES.objectNode();
      for (int i = 0, n = CompactTrees.MAX_SCANNED - 3 + pick(r, 40); i < n; i++) {
        out.set("k" + pick(r, 80), value(r, 1));
      }
      return out;
    };
    qt().withExamples(300).forAll(wide, lists().of(integers().between(0, 1 << 20)).ofSizeBetween(0, 10))
        .checkAssert((tree, edits) -> {
          ObjectNode plain = (ObjectNode) tree.deepCopy();
          ObjectNode compact = CompactTrees.copyObject((ObjectNode) tree);
          assertEquals(plain, compact);
          assertEquals(tree.hashCode(), compact.hashCode());
          assertEquals(tree.toString(), compact.toString());
          for (int i = 0; i < tree.size(); i += 7) {
            String name = "k" + i;
            assertEquals(tree.get(name), compact.get(name), name);
          }
          for (int edit : edits) {
            assertEquals(edit(plain, edit), edit(compact, edit));
            assertEquals(plain, compact);
            assertEquals(names(plain), names(compact));
          }
        });
  }

  @Test
  void anIteratorFailsFastAfterTheMapChangesUnderIt() {
    ObjectNode compact = CompactTrees.object(2);
    compact.put("a", 1).put("b", 2);
    Iterator<Map.Entry<String, JsonNode>> it = compact.properties().iterator();
    it.next();
    compact.put("c", 3);
    assertThrows(ConcurrentModificationException.class, it::next);
    Iterator<Map.Entry<String, JsonNode>> fresh = compact.properties().iterator();
    assertThrows(IllegalStateException.class, fresh::remove);
  }

  @Test
  void anEntrySeesTheFieldAfterAnEarlierOneIsRemoved() {
    ObjectNode compact = CompactTrees.object(0);
    compact.put("a", 1).put("b", 2).put("c", 3);
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(compact.properties());
    compact.remove("a");
    assertEquals(IntNode.valueOf(3), entries.get(2).getValue());
    entries.get(2).setValue(TextNode.valueOf("z"));
    assertEquals("{\"b\":2,\"c\":\"z\"}", compact.toString());
    assertSame(compact.get("c"), entries.get(2).getValue());
  }

  /** Applies edit number {@code e} to {@code o}; returns what the edit returned, as text. */
  private static Object edit(ObjectNode o, int e) {
    String key = KEYS[(e >>> 4) % KEYS.length];
    JsonNode value = (e >>> 8) % 3 == 0 ? IntNode.valueOf(e >>> 10) : TextNode.valueOf("v" + (e >>> 10));
    return switch (e % 9) {
      case 0 -> String.valueOf(o.set(key, value));
      case 1 -> String.valueOf(o.replace(key, value));
      case 2 -> String.valueOf(o.remove(key));
      case 3 -> {
        Iterator<Map.Entry<String, JsonNode>> it = o.properties().iterator();
        for (int skip = (e >>> 4) % 3; it.hasNext(); skip--) {
          Map.Entry<String, JsonNode> field = it.next();
          if (skip <= 0) {
            it.remove();
            yield field.getKey();
          }
        }
        yield "none";
      }
      case 4 -> {
        for (Map.Entry<String, JsonNode> field : o.properties()) {
          if (field.getKey().equals(key)) {
            yield String.valueOf(field.setValue(value));
          }
        }
        yield "absent";
      }
      case 5 -> o.has(key) + " " + o.get(key) + " " + o.path(key).isMissingNode();
      case 6 -> String.valueOf(o.putObject(key).put(key, 1));
      case 7 -> o.size() > 3 ? o.removeAll().size() : o.putArray(key).add(1).size();
      default -> o.retain(KEYS[0], KEYS[2]).size();
    };
  }

  private static List<String> names(ObjectNode o) {
    List<String> names = new ArrayList<>();
    o.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** Object trees of depth at most 3 with every kind of value, as the parser builds them. */
  static Gen<JsonNode> trees() {
    return r -> object(r, 3);
  }

  private static ObjectNode object(RandomnessSource r, int depth) {
    ObjectNode out = NODES.objectNode();
    for (int i = 0, n = pick(r, 8); i < n; i++) {
      out.set(KEYS[pick(r, KEYS.length)], value(r, depth));
    }
    return out;
  }

  private static JsonNode value(RandomnessSource r, int depth) {
    return switch (pick(r, depth > 0 ? 7 : 5)) {
      case 0 -> IntNode.valueOf(pick(r, 5));
      case 1 -> TextNode.valueOf(KEYS[pick(r, KEYS.length)]);
      case 2 -> pick(r, 2) == 0 ? NODES.nullNode() : NODES.booleanNode(pick(r, 2) == 0);
      case 3 -> NODES.numberNode(pick(r, 3) * 0.5);
      case 4 -> NODES.textNode("t" + pick(r, 3));
      case 5 -> object(r, depth - 1);
      default -> array(r, depth - 1);
    };
  }

  private static ArrayNode array(RandomnessSource r, int depth) {
    ArrayNode out = NODES.arrayNode();
    for (int i = 0, n = pick(r, 4); i < n; i++) {
      out.add(value(r, depth));
    }
    return out;
  }

  private static int pick(RandomnessSource r, int bound) {
    return integers().between(0, bound - 1).generate(r);
  }
}
