package dev.gitops.source;

import dev.gitops.source.AttributeLines.Rule;
import dev.gitops.source.AttributeLines.State;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code .gitattributes} of a commit's folders, and the value they give one attribute for a file,
 * computed as Git's attr.c {@code collect_some_attrs} and {@code fill} compute it: the nearest folder's
 * file first, up to the root's; in a file the later line first; in a line the later state first; the
 * first line that decides the attribute wins (a {@code !name} decides it unspecified); a macro set by a
 * line (the root's last definition of it, else Git's built-in {@code binary}) gives its states
 * there and then, each deciding only what is still undecided. Nothing outside the commit counts (no
 * {@code info/attributes}, global or system file). Lines naming a {@code builtin_*} attribute are read
 * as Git before 2.43 reads them, or skipped as Git from 2.43 does ({@code newer}). Only lines that can
 * decide the attribute, directly or through macros, are matched against a path (the others are set
 * aside once, before any path), each in time bounded by the pattern's length times the path's
 * ({@link dev.gitops.internal.glob.Wildmatch}); {@link #steps} bounds a path's total beforehand. Not
 * thread-safe. Not part of the public API.
 */
final class AttributeStack {
  private static final Map<String, List<State>> BUILT_IN = Map.of("binary", List.of(
      new State("diff", AttributeLines.UNSET), new State("merge", AttributeLines.UNSET),
      new State("text", AttributeLines.UNSET)));

  private final String attribute;
  private final boolean newer;
  private final Map<String, AttributeLines> folders = new HashMap<>();
  private Map<String, List<State>> macros;
  private Set<String> deciding;
  /** By folder, the lines that can decide the attribute, in the file's order, and the sum of their sizes. */
  private Map<String, List<Rule>> rules;
  private Map<String, Long> sizes;

  /**
   * For the attribute {@code attribute} ({@code filter}), the lines naming a {@code builtin_*} attribute
   * skipped when {@code newer} (Git from 2.43), read otherwise (Git before 2.43).
   */
  AttributeStack(String attribute, boolean newer) {
    this.attribute = attribute;
    this.newer = newer;
  }

  /** Adds the {@code .gitattributes} of {@code folder} ({@code ""} for the root), its bytes {@code data}. */
  void add(String folder, byte[] data) {
    add(folder, AttributeLines.parse(data, folder.isEmpty()));
  }

  /** Adds the {@code .gitattributes} of {@code folder} ({@code ""} for the root), read as {@code lines}. */
  void add(String folder, AttributeLines lines) {
    folders.put(folder, lines);
    deciding = null;
  }

  /**
   * The attribute's value for the file at {@code path} (from the repository's root): its value, or
   * {@link AttributeLines#SET}, {@link AttributeLines#UNSET}, {@link AttributeLines#UNSPECIFIED}.
   */
  String value(String path) {
    prepare();
    byte[] raw = path.getBytes(StandardCharsets.UTF_8);
    Map<String, String> values = new HashMap<>();
    for (int base = folderOf(raw, raw.length); ; base = folderOf(raw, base)) { // the nearest folder first
      List<Rule> lines = rules.getOrDefault(new String(raw, 0, base, StandardCharsets.UTF_8), List.of());
      for (int r = lines.size() - 1; r >= 0; r--) {
        Rule rule = lines.get(r);
        if (rule.pattern().matches(raw, base)) {
          fill(rule.states(), values);
          if (values.containsKey(attribute)) {
            return values.get(attribute);
          }
        }
      }
      if (base == 0) {
        break;
      }
    }
    return AttributeLines.UNSPECIFIED;
  }

  /**
   * The most steps {@link #value} takes for the file at {@code path}: each line it may match, its
   * {@linkplain AttributePattern#size size} times the path's length plus one, summed. Each folder's part
   * is added to {@code byFolder}.
   */
  long steps(String path, Map<String, Long> byFolder) {
    prepare();
    byte[] raw = path.getBytes(StandardCharsets.UTF_8);
    long total = 0;
    for (int base = folderOf(raw, raw.length); ; base = folderOf(raw, base)) {
      String folder = new String(raw, 0, base, StandardCharsets.UTF_8);
      long steps = sizes.getOrDefault(folder, 0L) * (raw.length + 1);
      if (steps > 0) {
        byFolder.merge(folder, steps, Long::sum);
        total += steps;
      }
      if (base == 0) {
        return total;
      }
    }
  }

  /** The length of the folder holding {@code path[0, end)}: the index of its last '/', 0 for the root. */
  private static int folderOf(byte[] path, int end) {
    int i = end - 1;
    while (i > 0 && path[i] != '/') {
      i--;
    }
    return Math.max(i, 0);
  }

  /**
   * Once after files are added: the macros, the attributes that can decide ours (it, and macros whose
   * states name one of them), and each folder's lines that name one of those.
   */
  private void prepare() {
    if (deciding != null) {
      return;
    }
    macros = new HashMap<>(BUILT_IN);
    AttributeLines root = folders.get("");
    if (root != null) {
      macros.putAll(newer ? root.newerMacros() : root.macros());
    }
    deciding = new HashSet<>(Set.of(attribute));
    for (boolean grew = true; grew; ) {
      grew = false;
      for (Map.Entry<String, List<State>> macro : macros.entrySet()) {
        if (!deciding.contains(macro.getKey())
            && macro.getValue().stream().anyMatch(s -> deciding.contains(s.name()))) {
          deciding.add(macro.getKey());
          grew = true;
        }
      }
    }
    rules = new HashMap<>();
    sizes = new HashMap<>();
    folders.forEach((folder, lines) -> {
      List<Rule> kept = new ArrayList<>();
      long size = 0;
      for (Rule rule : lines.rules()) {
        if (!(newer && rule.reserved()) && rule.states().stream().anyMatch(s -> deciding.contains(s.name()))) {
          kept.add(rule);
          size += rule.pattern().size();
        }
      }
      rules.put(folder, kept);
      sizes.put(folder, size);
    });
  }

  /**
   * attr.c {@code fill_one}: the states of a matching line, the last first; one that decides an
   * attribute still undecided, and sets a macro, gives the macro's states next.
   */
  private void fill(List<State> states, Map<String, String> values) {
    List<State> todo = new ArrayList<>(states);
    while (!todo.isEmpty()) {
      State state = todo.remove(todo.size() - 1);
      if (!deciding.contains(state.name()) || values.containsKey(state.name())) {
        continue;
      }
      values.put(state.name(), state.value());
      List<State> macro = macros.get(state.name());
      if (macro != null && state.value().equals(AttributeLines.SET)) {
        todo.addAll(macro);
      }
    }
  }
}
