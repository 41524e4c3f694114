package dev.gitops.model;

import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.internal.Digests;
import dev.gitops.internal.HiddenEscapes;
import dev.gitops.internal.tune.Tuning;

/**
 * JSON trees as a loader or target reader should make them for the engine: parsed with
 * {@link #nodeFactory()} (a pull agent keeps its states in memory for months, and most of their
 * bytes are repeated short values, which this factory shares), and kept as {@link #compactCopy}
 * copies when the planner will read them on every plan. Both give ordinary, mutable Jackson trees,
 * equal to any other tree of the same content. Thread-safe.
 *
 * <pre>{@code
 * ObjectMapper mapper = new ObjectMapper().setNodeFactory(JsonTrees.nodeFactory());
 * JsonNode observed = JsonTrees.compactCopy(mapper.readTree(json));
 * }</pre>
 */
public final class JsonTrees {
  private JsonTrees() {}

  /**
   * The node factory for trees this library reads (manifests, live objects).
   *
   * @return a factory to set on an {@code ObjectMapper}
   */
  public static JsonNodeFactory nodeFactory() {
    return Tuning.nodeFactory();
  }

  /**
   * A deep copy of {@code tree} laid out for the planner to read: equal to {@code tree} both ways,
   * with the same hash code and serialisation; value nodes are shared with it.
   *
   * @param tree any tree
   * @return the copy ({@code tree} itself for a value node)
   */
  public static JsonNode compactCopy(JsonNode tree) {
    return Tuning.compactCopy(tree);
  }

  /**
   * An empty object node laid out as {@link #compactCopy} lays them out, with room for
   * {@code capacity} fields, for a reader that copies only some fields of what it read.
   *
   * @param capacity how many fields it will hold
   * @return a new, empty object node
   */
  public static ObjectNode compactObject(int capacity) {
    return Tuning.compactObject(capacity);
  }

  /**
   * The canonical JSON of {@code tree}: compact, object keys sorted at every level; the bytes
   * {@link Content#digest()} digests for a tree, written without copying it.
   *
   * @param tree any tree
   * @return UTF-8 JSON bytes
   */
  public static byte[] canonicalJson(JsonNode tree) {
    return Digests.canonicalJson(tree);
  }

  /**
   * Jackson's character escapes for JSON that a person, a terminal or a log viewer may show, as
   * {@code Plan.toJson()} writes it: every character that prints nothing, moves the text around it
   * or passes for a space (DEL, C1 controls, direction overrides, line and paragraph separators,
   * zero-width characters, the rule by which {@link ResourceId#escape} prints names) is written as a
   * {@code \}{@code uXXXX} escape, which reads back as the same character; Jackson alone escapes C0
   * controls only. {@code new ObjectMapper(new JsonFactoryBuilder().characterEscapes(JsonTrees.hiddenEscapes()).build())}.
   *
   * @return the escapes; stateless and shared
   */
  public static CharacterEscapes hiddenEscapes() {
    return HiddenEscapes.INSTANCE;
  }
}
