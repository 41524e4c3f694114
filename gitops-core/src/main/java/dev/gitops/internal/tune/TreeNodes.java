package dev.gitops.internal.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The node factory for trees this library reads (manifests, live objects): short text values are
 * shared, so a value such as {@code TCP}, {@code IfNotPresent} or an app's name exists once in
 * memory however many objects, and both states, hold it. A pull agent keeps its desired and actual
 * states in memory for months; most of their bytes are such repeated values. Equal values shared
 * this way also compare by identity in the diff.
 *
 * <p>The shared values live in a fixed-size table ({@value #SLOTS} slots, indexed by hash; a
 * colliding value replaces the slot's), so memory stays bounded and nothing is locked. Text nodes
 * are immutable, so sharing them is safe across threads and trees.
 *
 * <pre>{@code
 * ObjectMapper mapper = new ObjectMapper().setNodeFactory(TreeNodes.INSTANCE);
 * JsonNode tree = mapper.readTree(json);
 * }</pre>
 */
final class TreeNodes extends JsonNodeFactory {
  /** The factory; it holds only the shared-value table. */
  public static final TreeNodes INSTANCE = new TreeNodes();

  /** How many shared values the table holds at most. */
  public static final int SLOTS = 1 << 16;

  /** Text values longer than this many characters are not shared. */
  public static final int MAX_SHARED_LENGTH = 64;

  private static final long serialVersionUID = 1L;

  private final transient TextNode[] shared = new TextNode[SLOTS];

  private TreeNodes() {
    super(false);
  }

  /** A text node for {@code text}: the shared one when {@code text} is short. */
  @Override
  public TextNode textNode(String text) {
    if (text == null || text.length() > MAX_SHARED_LENGTH) {
      return super.textNode(text);
    }
    int h = text.hashCode();
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    TextNode known = shared[slot];
    if (known != null && known.textValue().equals(text)) {
      return known;
    }
    TextNode node = super.textNode(text);
    shared[slot] = node;
    return node;
  }


  /**
   * Keeps the factory a singleton across serialization (Jackson's {@code ObjectMapper} is
   * serializable and holds its node factory).
   *
   * @return {@link #INSTANCE}, whose shared-value table is not serialized
   */
  private Object readResolve() {
    return INSTANCE;
  }
}
