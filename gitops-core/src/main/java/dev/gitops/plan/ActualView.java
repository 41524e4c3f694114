package dev.gitops.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.Change;
import dev.gitops.diff.DiffOptions;
import dev.gitops.diff.Differ;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.internal.diff.Pointer;
import dev.gitops.internal.diff.Redactor;
import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.ResourceId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rebuilds the part of the actual content a diff speaks about from the desired content and the
 * diff's changes (a plan keeps only the desired side), by undoing each change. The result is checked
 * by diffing it again; when that does not give the same changes (binary files, lists matched by
 * merge key, redacted values) there is no view and renderers fall back to listing the changes. Not
 * part of the public API.
 */
final class ActualView {
  private static final Comparator<String> PATHS = ActualView::comparePaths;

  private ActualView() {}

  /** The actual content as far as the diff tells, or empty when it cannot be rebuilt faithfully. */
  public static Optional<Content> of(ResourceId id, Content desired, ResourceDiff diff, DiffOptions options) {
    try {
      Content actual = desired instanceof Content.Tree t
          ? new Content.Tree(undo(t.node(), diff.changes()))
          : file((Content.Bytes) desired, diff.changes());
      if (actual == null) {
        return Optional.empty();
      }
      DiffOptions exact = new DiffOptions(DiffOptions.Mode.EXACT, List.of(), List.of(),
          options.mergeKeys(), options.normalizers(), options.schema());
      ResourceDiff again = new Differ(exact).diff(id, actual, desired, null);
      return same(again.changes(), diff.changes()) ? Optional.of(actual) : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static boolean same(List<Change> a, List<Change> b) {
    if (a.size() != b.size()) {
      return false;
    }
    Map<String, Change> byPath = new HashMap<>();
    b.forEach(c -> byPath.put(c.path(), c));
    for (Change c : a) {
      Change o = byPath.get(c.path());
      if (o == null || o.op() != c.op() || !java.util.Objects.equals(o.before(), c.before())
          || !java.util.Objects.equals(o.after(), c.after())) {
        return false;
      }
    }
    return true;
  }

  private static Content file(Content.Bytes desired, List<Change> changes) {
    if (desired.isLarge()) {
      return null; // only size and digest are known of the actual side
    }
    byte[] data = desired.data();
    FileMode mode = desired.mode();
    for (Change c : changes) {
      if (c.before() == null || !c.before().isTextual() || Redactor.containsMarker(c.before())) {
        return null;
      }
      String before = c.before().asText();
      if ("/content".equals(c.path())) {
        data = before.getBytes(StandardCharsets.UTF_8);
      } else if ("/mode".equals(c.path())) {
        String[] parts = before.split(" ", 2);
        String[] who = parts.length == 2 ? parts[1].split(":", 2) : new String[] {"", ""};
        mode = new FileMode(Integer.parseInt(parts[0], 8), who[0], who.length == 2 ? who[1] : "");
      } else {
        return null;
      }
    }
    return Content.bytes(data, mode);
  }

  private static JsonNode undo(JsonNode desired, List<Change> changes) {
    JsonNode root = desired.deepCopy();
    Map<String, Integer> appended = new HashMap<>();
    List<Change> removes = new ArrayList<>();
    for (Change c : changes) {
      if (c.op() == Change.Op.ADD && c.path().endsWith("/-")) {
        appended.merge(c.path().substring(0, c.path().length() - 2), 1, Integer::sum);
      } else if (c.op() == Change.Op.REMOVE) {
        removes.add(c);
      }
    }
    for (Map.Entry<String, Integer> e : appended.entrySet()) {
      ArrayNode arr = (ArrayNode) at(root, Pointer.segments(e.getKey()));
      for (int i = 0; i < e.getValue(); i++) {
        arr.remove(arr.size() - 1);
      }
    }
    for (Change c : changes) {
      if (c.op() == Change.Op.REPLACE) {
        if (c.path().isEmpty()) {
          root = c.before().deepCopy();
        } else {
          put(root, c.path(), c.before().deepCopy(), false);
        }
      } else if (c.op() == Change.Op.ADD && !c.path().endsWith("/-")) {
        remove(root, c.path());
      }
    }
    removes.sort(Comparator.comparing(Change::path, PATHS));
    for (Change c : removes) {
      put(root, c.path(), c.before().deepCopy(), true);
    }
    return root;
  }

  private static JsonNode at(JsonNode root, List<String> segs) {
    JsonNode n = root;
    for (String s : segs) {
      n = n.isArray() ? n.get(Integer.parseInt(s)) : n.get(s);
      if (n == null) {
        throw new IllegalArgumentException("no such path");
      }
    }
    return n;
  }

  private static void put(JsonNode root, String path, JsonNode value, boolean insert) {
    List<String> segs = Pointer.segments(path);
    JsonNode parent = at(root, segs.subList(0, segs.size() - 1));
    String last = segs.get(segs.size() - 1);
    if (parent instanceof ObjectNode o) {
      o.set(last, value);
    } else if (parent instanceof ArrayNode a) {
      int i = Integer.parseInt(last);
      if (insert) {
        a.insert(i, value);
      } else {
        a.set(i, value);
      }
    } else {
      throw new IllegalArgumentException("not a container");
    }
  }

  private static void remove(JsonNode root, String path) {
    List<String> segs = Pointer.segments(path);
    JsonNode parent = at(root, segs.subList(0, segs.size() - 1));
    String last = segs.get(segs.size() - 1);
    if (parent instanceof ObjectNode o) {
      o.remove(last);
    } else if (parent instanceof ArrayNode a) {
      a.remove(Integer.parseInt(last));
    }
  }

  private static int comparePaths(String x, String y) {
    List<String> a = Pointer.segments(x);
    List<String> b = Pointer.segments(y);
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      String s = a.get(i);
      String t = b.get(i);
      int c = s.matches("\\d+") && t.matches("\\d+")
          ? Integer.compare(Integer.parseInt(s), Integer.parseInt(t)) : s.compareTo(t);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }
}
