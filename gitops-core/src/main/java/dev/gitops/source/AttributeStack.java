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
 * {@code info/attributes}, global or system file). Only lines that can decide the attribute, directly or
 * through macros, are matched against a path, each in time bounded by the pattern's length times the
 * path's ({@link dev.gitops.internal.glob.Wildmatch}). Not thread-safe. Not part of the public API.
 */
final class AttributeStack {
  private static final Map<String, List<State>> BUILT_IN = Map.of("binary", List.of(
      new State("diff", AttributeLines.UNSET), new State("merge", AttributeLines.UNSET),
      new State("text", AttributeLines.UNSET)));

  private final String attribute;
  private final Map<String, AttributeLines> folders = new HashMap<>();
  private Map<String, List<State>> macros;
  private Set<String> deciding;

  /** For the attribute {@code attribute} ({@code filter}). */
  AttributeStack(String attribute) {
    this.attribute = attribute;
  }

  /** Adds the {@code .gitattributes} of {@code folder} ({@code ""} for the root), its bytes {@code data}. */
  void add(String folder, byte[] data) {
    folders.put(folder, AttributeLines.parse(data, folder.isEmpty()));
    deciding = null;
  }

  /**
   * The attribute's value for the file at {@code path} (from the repository's root): its value, or
   * {@link AttributeLines#SET}, {@link AttributeLines#UNSET}, {@link AttributeLines#UNSPECIFIED}.
   */
  String value(String path) {
    if (deciding == null) {
      prepare();
    }
    byte[] raw = path.getBytes(StandardCharsets.UTF_8);
    Map<String, String> values = new HashMap<>();
    for (int base = folderOf(raw, raw.length); ; base = folderOf(raw, base)) { // the nearest folder first
      AttributeLines lines = folders.get(new String(raw, 0, base, StandardCharsets.UTF_8));
      for (int r = lines == null ? -1 : lines.rules().size() - 1; r >= 0; r--) {
        Rule rule = lines.rules().get(r);
        if (rule.states().stream().anyMatch(s -> deciding.contains(s.name())) && rule.pattern().matches(raw, base)) {
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

  /** The length of the folder holding {@code path[0, end)}: the index of its last '/', 0 for the root. */
  private static int folderOf(byte[] path, int end) {
    int i = end - 1;
    while (i > 0 && path[i] != '/') {
      i--;
    }
    return Math.max(i, 0);
  }

  /** The macros, and the attributes that can decide ours: it, and macros whose states name one of them. */
  private void prepare() {
    macros = new HashMap<>(BUILT_IN);
    AttributeLines root = folders.get("");
    if (root != null) {
      macros.putAll(root.macros());
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
