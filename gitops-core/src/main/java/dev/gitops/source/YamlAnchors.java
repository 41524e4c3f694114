package dev.gitops.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The anchors of one YAML document and the copies its aliases make of them, within {@link YamlReader}'s
 * limits: how many aliases, how many nodes they add (drawn on the file's {@link Budget}) and how deep a
 * copy nests. What {@link YamlTree} resolves an alias with; one per document, as anchors do not cross
 * documents.
 */
final class YamlAnchors {
  /**
   * What the aliases of one file may add, shared by the trees of its documents: a file of many
   * documents, each just under a limit, would otherwise expand to the limit times the documents.
   */
  static final class Budget {
    private int aliases;
    private int aliasNodes;
  }

  /** A node's count of nodes and how many levels of mappings and lists it nests (0: a scalar). */
  private record Measure(int size, int levels) {}

  private static final Measure SCALAR_MEASURE = new Measure(1, 0);

  /** An anchored node and its measure. */
  private record Anchored(JsonNode node, Measure measure) {}

  private final Map<String, Anchored> anchors = new HashMap<>();
  private final Set<String> open = new HashSet<>();
  /**
   * The measure of each mapping and list measured so far, an alias's copy entered as it is made:
   * each node is walked once, where measuring each anchor's tree anew walked a chain of n nested
   * anchors n times (time growing with the square of the file's length).
   */
  private final Map<JsonNode, Measure> measured = new IdentityHashMap<>();
  private final Budget budget;

  /** The anchors of one document, its aliases drawing on {@code budget}, the file's. */
  YamlAnchors(Budget budget) {
    this.budget = budget;
  }

  /** The anchor {@code name} starts on a node not read to its end yet: an alias to it inside is refused. */
  void open(String name) {
    open.add(name);
  }

  /** The anchor {@code name} is on {@code node}, now read to its end. */
  void close(String name, JsonNode node) {
    open.remove(name);
    anchors.put(name, new Anchored(node, measure(node)));
  }

  /** The anchor {@code name} is on a mapping key, whose text is {@code key}. */
  void key(String name, JsonNode key) {
    anchors.put(name, new Anchored(key, SCALAR_MEASURE));
  }

  /**
   * A copy of the node anchored {@code name}, for an alias standing {@code depth} levels deep: its
   * copy nests as deep below it as the anchored node does, and may not pass {@link YamlReader#MAX_DEPTH}
   * (the parser counts only the levels written; a chain of aliases would nest without bound and
   * overflow the stack of whatever walks the tree, the copy first).
   */
  JsonNode copy(String name, int line, int depth) throws YamlTree.Refused {
    if (open.contains(name)) {
      throw new YamlTree.Refused(line, "alias *" + name + " refers to the node that contains it");
    }
    Anchored anchored = anchors.get(name);
    if (anchored == null) {
      throw new YamlTree.Refused(line, "undefined alias *" + name + " (no anchor &" + name
          + " before it in this document)");
    }
    if (++budget.aliases > YamlReader.MAX_ALIASES) {
      throw new YamlTree.Refused(line, "more than " + YamlReader.MAX_ALIASES + " aliases in one file");
    }
    Measure measure = anchored.measure();
    budget.aliasNodes += measure.size();
    if (budget.aliasNodes > YamlReader.MAX_ALIAS_NODES) {
      throw new YamlTree.Refused(line, "aliases expand to more than " + YamlReader.MAX_ALIAS_NODES
          + " nodes in one file (at *" + name + ")");
    }
    if (depth + measure.levels() > YamlReader.MAX_DEPTH) {
      throw new YamlTree.Refused(line, "alias *" + name + " nests mappings and lists deeper than the nesting depth"
          + " allowed, " + YamlReader.MAX_DEPTH + " levels");
    }
    JsonNode copy = anchored.node().deepCopy();
    if (copy.isContainerNode()) {
      measured.put(copy, measure);
    }
    return copy;
  }

  /**
   * {@code node}'s count of nodes and levels of mappings and lists (0 for a scalar, at most the depth
   * limit), each mapping and list below it walked only when not {@link #measured} yet.
   */
  private Measure measure(JsonNode node) {
    if (!node.isContainerNode()) {
      return SCALAR_MEASURE;
    }
    Measure known = measured.get(node);
    if (known != null) {
      return known;
    }
    int size = 1;
    int deepest = 0;
    for (JsonNode child : node) {
      Measure m = measure(child);
      size += m.size();
      deepest = Math.max(deepest, m.levels());
    }
    Measure m = new Measure(size, deepest + 1);
    measured.put(node, m);
    return m;
  }
}
