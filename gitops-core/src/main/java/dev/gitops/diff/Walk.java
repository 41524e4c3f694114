package dev.gitops.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ValueNode;
import dev.gitops.diff.Change.Op;
import dev.gitops.internal.diff.Pattern;
import dev.gitops.internal.diff.Pointer;
import dev.gitops.internal.diff.Values;
import dev.gitops.model.ResourceId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One diff in progress: walks actual and desired trees side by side with a path stack and a
 * bitmask of the rule patterns still matching, allocating nothing while values are equal. Path
 * strings are built only when a difference is found. With field rules ({@link FieldNormalizer}s)
 * it normalises each value it visits, just before comparing it, so nothing is copied up front and
 * nothing outside the desired fields is visited; the values of recorded changes are normalised
 * whole ({@link FieldVisit}). Objects are compared by {@link ObjectWalk}, lists by
 * {@link ListWalk}. With a {@link FieldSchema} it keeps the schema node of every segment of the
 * path beside its name, matches lists as the schema says and lets the schema hide (and count)
 * differences. One diff at a time: {@link #reset} starts the next one on the same arrays (a
 * planner diffs every resource). Not thread-safe. Not public API.
 */
final class Walk {
  /** The index of a path segment that names an element added to a keyed list ({@code -}). */
  static final int ADDED = -2;

  private final Rules rules;
  private ResourceId id;
  boolean subset;
  private boolean firstOnly;
  private final int words;
  private String[] names = new String[16];
  private int[] idx = new int[16];
  private long[] masks;
  /** The schema node of the value at each depth (0: the root), null where none is known. */
  private FieldSchema.Node[] nodes = new FieldSchema.Node[16];
  int suppressor;
  private int[] counts;
  /** Differences the schema hid, by reason. */
  private Map<String, Integer> hiddenBy;
  private List<Change> changes;
  private List<Pattern> sensitive;
  boolean found;
  final FieldVisit visit;
  final ListWalk lists;
  final ObjectWalk objectWalk;
  private boolean claimed;
  /**
   * The last-applied leaf that covers the subtree being walked (an atomic struct or list applied
   * whole: server-side apply owns it as one field), or null; {@link #coveredFrom} is its depth.
   */
  private JsonNode covering;
  private int coveredFrom;
  /** True when {@link #covering} is an atomic list's, map's or struct's ({@link #replacedWhole}). */
  private boolean coveringAtomic;

  /**
   * A walk for {@code id}.
   *
   * @param subset true for DESIRED_SUBSET
   * @param firstOnly true to stop at the first unsuppressed difference ({@link #found()})
   * @param fields the field rules to normalise visited values with, or null when the values are
   *     normalised already
   */
  public Walk(Rules rules, ResourceId id, boolean subset, boolean firstOnly,
              List<FieldNormalizer> fields) {
    this.rules = rules;
    this.visit = fields == null || fields.isEmpty() ? null : new FieldVisit(this, fields);
    this.words = rules.words;
    this.masks = new long[16 * words];
    this.lists = new ListWalk(this);
    this.objectWalk = new ObjectWalk(this);
    reset(id, subset, firstOnly);
  }

  /**
   * Starts a new diff for {@code id} on this walk's arrays, as if it were new: nothing of the last
   * diff is kept (its changes went to the {@link ResourceDiff} {@link #result()} returned).
   */
  public void reset(ResourceId id, boolean subset, boolean firstOnly) {
    this.id = id;
    this.subset = subset;
    this.firstOnly = firstOnly;
    suppressor = -1;
    counts = null;
    hiddenBy = null;
    covering = null;
    coveringAtomic = false;
    nodes[0] = null;
    changes = null;
    sensitive = null;
    found = false;
    if (visit != null) {
      visit.reset(id);
    }
    rules.rootMask(id, masks);
    for (int p = 0; p < rules.ignoreCount && suppressor < 0; p++) {
      if (rules.patterns[p].length() == 0 && bit(0, p)) {
        suppressor = p;
      }
    }
  }

  /**
   * Takes this walk for one diff; false when a diff (an outer one, on this thread) has it already.
   * Give it back with {@link #release()} once that diff's result is taken.
   */
  public boolean claim() {
    if (claimed) {
      return false;
    }
    claimed = true;
    return true;
  }

  /** Gives this walk back after a diff, finished or thrown; the next {@link #reset} starts clean. */
  public void release() {
    claimed = false;
  }

  /** {@code tree}, the root of a side, after the field rules (itself when there are none). */
  public JsonNode root(JsonNode tree) {
    return norm(tree, 0);
  }

  /** Sets the schema of the root for this diff (null: none). */
  public void schema(FieldSchema.Node root) {
    nodes[0] = root;
  }

  JsonNode norm(JsonNode v, int depth) {
    return visit == null ? v : visit.norm(v, depth);
  }

  /** The schema node of the value at {@code depth}, or null. */
  FieldSchema.Node node(int depth) {
    return nodes[depth];
  }

  /** The name of path segment {@code i}: null for an array element, also one added by key. */
  String segmentName(int i) {
    return idx[i] == ADDED ? null : names[i];
  }

  /** Sets segment {@code depth} without matching rule patterns: for normalising key fields. */
  void at(int depth, String name, int index) {
    grow(depth);
    names[depth] = name;
    idx[depth] = index;
  }

  /** True when a {@code firstOnly} walk met a difference. */
  public boolean found() {
    return found;
  }

  /** Compares values at {@code depth}; null means absent. {@code la} is last-applied, or null. */
  public void value(JsonNode a, JsonNode d, JsonNode la, int depth) {
    if (d == null) {
      if (a != null && (!subset || la != null)) {
        objectWalk.removed(a, la, depth);
      }
      return;
    }
    if (a == null) {
      differ(Op.ADD, depth, null, d, la);
      return;
    }
    if (a == d) {
      return;
    }
    if (d.isContainerNode() && a.isContainerNode() && d.isObject() == a.isObject()) {
      containers(a, d, la, depth);
      return;
    }
    if (!d.isContainerNode() && Values.scalarsEqual(a, d)) {
      return;
    }
    differ(Op.REPLACE, depth, a, d, la);
  }

  /**
   * Walks into two objects or two lists. A last-applied leaf here (an atomic struct or list that
   * server-side apply owns as one field, or an atomic element of a keyed list marked
   * {@link FieldSchema#APPLIED_WHOLE}) covers what lies below it: the schema hears of it as what
   * was applied at every path under it ({@link #differ}); below an atomic list's, map's or struct's,
   * what only actual has is asked about as a removal ({@link #replacedWhole}), below any other
   * (an empty struct or granular map applied as {@code {}}), nothing is.
   */
  private void containers(JsonNode a, JsonNode d, JsonNode la, int depth) {
    boolean atomic = nodes[depth] != null && nodes[depth].atomic();
    boolean whole = atomic && la != null && la.isObject() && la.has(FieldSchema.APPLIED_WHOLE);
    boolean covers = covering == null && la != null && (whole || la.isValueNode());
    if (covers) {
      covering = la;
      coveredFrom = depth;
      coveringAtomic = atomic;
      la = whole ? null : la; // below it as below a leaf
    }
    if (d.isObject()) {
      objectWalk.objects(a, d, la, depth);
    } else {
      lists.arrays(a, d, la, depth);
    }
    if (covers) {
      covering = null;
      coveringAtomic = false;
    }
  }

  /**
   * True inside an atomic list, map or struct that a last-applied leaf covers (desired-subset
   * mode, {@link FieldSchema.Node#atomic}): the owner applied it as one value, and applying again
   * replaces the whole value (structured-merge-diff merges an atomic value as a leaf: the applied
   * value wins), so whatever only actual has in it, at any depth (a key of a map, a field of a
   * struct or of a list's element, a value of a set below one), goes unless the server's
   * defaulting puts it back: a removal the schema is asked about ({@link FieldSchema.Node#hidden}
   * with that leaf as what was applied). A list's elements correspond by position, as they are matched.
   */
  boolean replacedWhole() {
    return subset && coveringAtomic;
  }

  /**
   * A difference at the first {@code depth} segments: counted under the ignore rule that covers it,
   * else under the reason the schema hides it for, else recorded.
   */
  void differ(Op op, int depth, JsonNode before, JsonNode after, JsonNode la) {
    String why = suppressor < 0 ? hidden(depth, before, after, la) : null;
    if (why != null) {
      hide(why);
      return;
    }
    emit(op, depth, before, after);
  }

  /**
   * Why the schema node at {@code depth} hides this difference, asked with what was applied there
   * (under a last-applied leaf covering it, that leaf), or null when it counts or no node is known.
   */
  String hidden(int depth, JsonNode before, JsonNode after, JsonNode la) {
    if (nodes[depth] == null) {
      return null;
    }
    JsonNode applied = la != null || covering == null || depth <= coveredFrom ? la : covering;
    return nodes[depth].hidden(before, after, applied);
  }

  /**
   * An actual-only value at {@code depth} that is not drift (desired-subset mode, never applied):
   * counted when the schema gives a reason, else nothing.
   */
  void extra(int depth, JsonNode actual) {
    if (suppressor < 0 && nodes[depth] != null) {
      String why = nodes[depth].hidden(actual, null, null);
      if (why != null) {
        hide(why);
      }
    }
  }

  private void hide(String why) {
    if (hiddenBy == null) {
      hiddenBy = new TreeMap<>();
    }
    hiddenBy.merge(why, 1, Integer::sum);
  }

  /** {@link #push}es field {@code name} and its schema node; returns what {@link #push} returns. */
  int enter(int depth, String name) {
    int prev = push(depth, name, -1);
    FieldSchema.Node parent = nodes[depth];
    nodes[depth + 1] = parent == null ? null : parent.field(name);
    return prev;
  }

  /**
   * {@link #push}es element {@code index} ({@link #ADDED} for one only desired has) and the schema
   * node of {@code element}; returns what {@link #push} returns.
   */
  int enterElement(int depth, int index, JsonNode element) {
    int prev = index == ADDED ? push(depth, "-", ADDED) : push(depth, null, index);
    FieldSchema.Node parent = nodes[depth];
    nodes[depth + 1] = parent == null || element == null ? null : parent.element(element);
    return prev;
  }

  /**
   * True when {@code a} and {@code d} are equal as they stand: scalars by value, containers of the
   * same size by {@code equals} (exact node types). Equal values normalise alike (a rule decides by
   * path and value) and hold no difference, so the walk skips them at the cost of
   * {@code JsonNode.equals}; containers of different sizes (an object the server added defaults
   * to) are not compared here.
   */
  static boolean same(JsonNode a, JsonNode d) {
    if (d instanceof ValueNode) {
      return d.equals(a) || Values.scalarsEqual(a, d);
    }
    return a.size() == d.size() && d.equals(a);
  }

  List<String> mergeKeysAt(int depth) {
    int p = rules.segments.mergeEnding(masks, depth * words, depth);
    return p < 0 ? null : rules.mergeFields.get(p - rules.ignoreCount);
  }

  private boolean bit(int depth, int p) {
    return (masks[depth * words + (p >>> 6)] & (1L << (p & 63))) != 0;
  }

  /**
   * Enters segment {@code depth}: a name, or when {@code name} is null the array index
   * {@code index}. Returns the suppressor to restore afterwards ({@code suppressor = returned}).
   */
  public int push(int depth, String name, int index) {
    grow(depth);
    names[depth] = name;
    idx[depth] = index;
    int prev = suppressor;
    int from = depth * words;
    if (words == 1 && masks[from] == 0) {
      masks[from + 1] = 0;
      return prev;
    }
    rules.segments.enter(masks, from, from + words, depth, name, index);
    if (suppressor < 0) {
      suppressor = rules.segments.ignoreEnding(masks, from + words, depth);
    }
    return prev;
  }

  private void grow(int depth) {
    if (depth + 2 > names.length) {
      names = Arrays.copyOf(names, names.length * 2);
      idx = Arrays.copyOf(idx, idx.length * 2);
      masks = Arrays.copyOf(masks, names.length * words);
      nodes = Arrays.copyOf(nodes, names.length);
    }
  }

  /** Restores the suppressor returned by {@link #push}. */
  public void pop(int previousSuppressor) {
    suppressor = previousSuppressor;
  }

  /** Records a difference at the first {@code depth} segments of the path stack. */
  public void emit(Op op, int depth, JsonNode before, JsonNode after) {
    if (suppressor >= 0) {
      if (counts == null) {
        counts = new int[rules.ignoreCount];
      }
      counts[suppressor]++;
      return;
    }
    if (firstOnly) {
      found = true;
      return;
    }
    if (changes == null) {
      changes = new ArrayList<>();
      sensitive = rules.sensitiveFor(id);
    }
    if (visit != null) {
      before = visit.whole(before, depth);
      after = visit.whole(after, depth);
    }
    boolean masked = false;
    for (Pattern p : sensitive) {
      masked |= p.overlaps(names, idx, depth);
    }
    changes.add(new Change(op, Pointer.build(names, idx, depth), before, after, masked));
  }

  /** The result: changes sorted by path (stable), then one suppressed entry per rule that hid any. */
  public ResourceDiff result() {
    if (changes == null && counts == null && hiddenBy == null) {
      return ResourceDiff.none(id);
    }
    List<Change> out = changes == null ? List.of() : changes;
    if (out.size() > 1) {
      out.sort((x, y) -> Pointer.ORDER.compare(x.path(), y.path()));
    }
    List<Suppressed> hidden = new ArrayList<>(0);
    for (int p = 0; counts != null && p < counts.length; p++) {
      if (counts[p] > 0) {
        hidden.add(new Suppressed("ignore " + rules.ignore[p], counts[p]));
      }
    }
    if (hiddenBy != null) {
      hiddenBy.forEach((why, n) -> hidden.add(new Suppressed(why, n)));
    }
    return new ResourceDiff(id, out, hidden);
  }
}
