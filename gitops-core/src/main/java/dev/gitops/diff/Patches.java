package dev.gitops.diff;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.internal.diff.Pointer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Orders changes into an RFC 6902 patch that applies in sequence: first every add and replace in
 * ascending path order (indices as the actual tree has them; {@code /-} appends keep the desired
 * order), then every remove in descending path order, so no removal shifts an index a later
 * operation relies on. Not public API.
 */
final class Patches {
  private static final Comparator<Change> ASCENDING = (x, y) -> Pointer.ORDER.compare(x.path(), y.path());

  private Patches() {}

  /** The patch for {@code changes}; sensitive values replaced by {@code mask} unless it is null. */
  public static ArrayNode of(List<Change> changes, String mask) {
    List<Change> upserts = new ArrayList<>();
    List<Change> removes = new ArrayList<>();
    for (Change c : changes) {
      (c.op() == Change.Op.REMOVE ? removes : upserts).add(c);
    }
    upserts.sort(ASCENDING);
    removes.sort(ASCENDING.reversed());
    ArrayNode patch = JsonNodeFactory.instance.arrayNode();
    for (Change c : upserts) {
      ObjectNode op = patch.addObject();
      op.put("op", c.op() == Change.Op.ADD ? "add" : "replace");
      op.put("path", c.path());
      if (c.sensitive() && mask != null) {
        op.put("value", mask);
      } else {
        op.set("value", c.after().deepCopy());
      }
    }
    for (Change c : removes) {
      ObjectNode op = patch.addObject();
      op.put("op", "remove");
      op.put("path", c.path());
    }
    return patch;
  }
}
