package dev.gitops.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.JsonTrees;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;

/**
 * The sorted writer gives the bytes of both writers it replaces: Jackson's map writer with
 * {@code ORDER_MAP_ENTRIES_BY_KEYS} over the tree turned into plain values (the canonical JSON of
 * content digests and applied records), and Jackson's tree writer over a copy sorted by a
 * {@code TreeMap} (a plan step's canonical JSON in its fingerprint); and it declines trees with a
 * value where those two could differ. On trees of the node factory the engine parses with and of
 * Jackson's own, 2,000 examples each.
 */
class SortedJsonProperties {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper SORTED =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  private static final String[] KEYS = {"a", "B", "b", "name", "ports", "x/y", "", "é", "\u00ff",
      "\uD83D\uDE00", "z\"q", "line\nbreak", "10", "9", "aa", "a\u0000"};

  @Test
  void writesWhatTheMapWriterWritesForThePlainValues() {
    qt().withExamples(2000).forAll(trees(false)).checkAssert(tree -> {
      try {
        byte[] expected = SORTED.writeValueAsBytes(SORTED.treeToValue(tree, Object.class));
        assertArrayEquals(expected, SortedJson.write(tree), tree::toString);
        assertArrayEquals(expected, JsonTrees.canonicalJson(tree), tree::toString);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void writesWhatTheTreeWriterWritesForASortedCopy() {
    qt().withExamples(2000).forAll(trees(false)).checkAssert(tree -> {
      try {
        assertArrayEquals(JSON.writeValueAsBytes(sortedCopy(tree)), SortedJson.write(tree), tree::toString);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void declinesDecimalsFloatsAndBinaryAndTheCallersOwnWriterStillAnswers() {
    qt().withExamples(500).forAll(trees(true)).checkAssert(tree -> {
      ObjectNode holder = JsonNodeFactory.instance.objectNode();
      holder.set("tree", tree);
      holder.put("odd", new BigDecimal("1.50"));
      assertNull(SortedJson.write(holder));
      try {
        assertArrayEquals(SORTED.writeValueAsBytes(SORTED.treeToValue(holder, Object.class)),
            Digests.canonicalJson(holder));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  /** The oracle's sort: a TreeMap per object, nothing shared with the writer. */
  private static JsonNode sortedCopy(JsonNode node) {
    if (node.isObject()) {
      Map<String, JsonNode> fields = new TreeMap<>();
      node.fields().forEachRemaining(e -> fields.put(e.getKey(), sortedCopy(e.getValue())));
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      fields.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      node.forEach(child -> out.add(sortedCopy(child)));
      return out;
    }
    return node;
  }

  /** Trees of depth up to 4, half of them built by the engine's node factory; {@code odd}: with decimals, floats, binary. */
  private static Gen<JsonNode> trees(boolean odd) {
    return r -> {
      JsonNodeFactory nodes = pick(r, 2) == 0 ? JsonNodeFactory.instance : JsonTrees.nodeFactory();
      return object(r, nodes, 0, odd);
    };
  }

  private static ObjectNode object(RandomnessSource r, JsonNodeFactory nodes, int depth, boolean odd) {
    ObjectNode out = nodes.objectNode();
    for (int i = 0, n = pick(r, 7); i < n; i++) {
      out.set(KEYS[pick(r, KEYS.length)] + (pick(r, 3) == 0 ? pick(r, 20) : ""), value(r, nodes, depth + 1, odd));
    }
    return out;
  }

  private static JsonNode value(RandomnessSource r, JsonNodeFactory nodes, int depth, boolean odd) {
    int kind = pick(r, depth >= 4 ? 9 : 11 + (odd ? 3 : 0));
    return switch (kind) {
      case 0 -> nodes.textNode(KEYS[pick(r, KEYS.length)] + pick(r, 1000));
      case 1 -> nodes.numberNode(pick(r, 2000) - 1000);
      case 2 -> nodes.numberNode(((long) pick(r, 1 << 30) << 20) - pick(r, 1000));
      case 3 -> nodes.numberNode(BigInteger.valueOf(pick(r, 1 << 30)).shiftLeft(64 + pick(r, 8)));
      case 4 -> nodes.numberNode(pick(r, 5) == 0 ? Double.NaN : (pick(r, 20000) - 10000) / (double) (1 + pick(r, 999)));
      case 5 -> nodes.booleanNode(pick(r, 2) == 0);
      case 6 -> nodes.nullNode();
      case 7 -> nodes.textNode("");
      case 8 -> nodes.numberNode(pick(r, 2) == 0 ? Integer.MIN_VALUE : Long.MAX_VALUE);
      case 9 -> object(r, nodes, depth, odd);
      case 10 -> {
        ArrayNode out = nodes.arrayNode();
        for (int i = 0, n = pick(r, 5); i < n; i++) {
          out.add(value(r, nodes, depth + 1, odd));
        }
        yield out;
      }
      case 11 -> nodes.numberNode(new BigDecimal(pick(r, 10000)).movePointLeft(pick(r, 4)));
      case 12 -> nodes.numberNode(pick(r, 1000) / 7f);
      default -> nodes.binaryNode(new byte[] {(byte) pick(r, 256), 1, 2});
    };
  }

  private static int pick(RandomnessSource r, int bound) {
    return integers().between(0, bound - 1).generate(r);
  }
}
