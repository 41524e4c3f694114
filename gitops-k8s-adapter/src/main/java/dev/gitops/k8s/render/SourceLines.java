package dev.gitops.k8s.render;

import dev.gitops.model.Snapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the line a rendered resource came from in its source file, by a light scan of the file's
 * text (documents, their top-level {@code kind} and {@code metadata.name}): Kustomize's origin
 * annotation names the file, not the line. Thread-safe; a file is scanned once per instance (one
 * per rendered snapshot).
 */
final class SourceLines {
  private final Snapshot snapshot;
  private final Map<String, List<Head>> heads = new ConcurrentHashMap<>();
  private final Map<String, String[]> lines = new ConcurrentHashMap<>();

  /** A document of a source file: its first line, kind and name ({@code ""} when not found). */
  record Head(int line, String kind, String name) {}

  SourceLines(Snapshot snapshot) {
    this.snapshot = snapshot;
  }

  /**
   * The line of the document in {@code file} that declares a {@code kind} whose rendered name is
   * {@code rendered} (the source name, possibly with a prefix and suffix added); 1 when unsure.
   */
  int resource(String file, String kind, String rendered) {
    List<Head> docs = heads.computeIfAbsent(file, this::scan);
    Head best = null;
    for (Head h : docs) {
      if (!h.kind().equals(kind) || h.name().isEmpty() || !rendered.contains(h.name())) {
        continue;
      }
      if (best == null || h.name().length() > best.name().length()) {
        best = h;
      }
    }
    if (best == null) {
      best = docs.stream().filter(h -> h.kind().equals(kind)).findFirst()
          .orElse(docs.isEmpty() ? null : docs.get(0));
    }
    return best == null ? 1 : best.line();
  }

  /**
   * The line in kustomization {@code file} of the generator entry (under {@code field}, e.g.
   * {@code configMapGenerator}) whose name the rendered name {@code rendered} contains; else, when
   * the file has no {@code field}, that of a plug-in configuration written in place under
   * {@code generators} (its {@code name:} line, or the field's: Kustomize's origin names the
   * kustomization for both); else the line of {@code field}; else 1.
   */
  int generator(String file, String field, String rendered) {
    int line = generatorLine(file, field, rendered);
    return line > 0 || field.equals("generators") ? Math.max(line, 1) : Math.max(generatorLine(file, "generators",
        rendered), 1);
  }

  /** As {@link #generator}, 0 when the file has no {@code field}. */
  private int generatorLine(String file, String field, String rendered) {
    String[] text = lines(file);
    int fieldLine = 0;
    int best = 0;
    int bestLength = 0;
    boolean inField = false;
    for (int i = 0; i < text.length; i++) {
      String l = text[i];
      if (!l.isEmpty() && !Character.isWhitespace(l.charAt(0)) && !l.startsWith("#") && !l.startsWith("-")) {
        inField = l.startsWith(field + ":");
        fieldLine = inField && fieldLine == 0 ? i + 1 : fieldLine;
        continue;
      }
      String t = l.strip();
      t = t.startsWith("- ") ? t.substring(2).strip() : t;
      if (inField && t.startsWith("name:")) {
        String name = unquote(t.substring(5));
        if (!name.isEmpty() && rendered.contains(name) && name.length() > bestLength) {
          best = i + 1;
          bestLength = name.length();
        }
      }
    }
    return best > 0 ? best : fieldLine;
  }

  /** The documents of {@code file}, scanned once. */
  List<Head> heads(String file) {
    return heads.computeIfAbsent(file, this::scan);
  }

  /**
   * The documents of {@code file}: a walk over its text, line by line, that makes no string but the
   * kind and name values it finds (the scan runs while Kustomize runs, over every source file: what
   * it allocates the collector must clear, taking CPU from Kustomize).
   */
  private List<Head> scan(String file) {
    String text = snapshot.text(file); // not kept: a scanned file's lines are not needed again
    List<Head> docs = new ArrayList<>();
    if (text == null) {
      return docs;
    }
    int start = 0;
    String kind = "";
    String name = "";
    boolean inMetadata = false;
    int childIndent = -1;
    int n = text.length();
    int from = 0;
    for (int i = 0; ; i++) {
      boolean end = from > n; // past the last line: the end ends the last document
      int nl = end ? -1 : text.indexOf('\n', from);
      int to = end ? from : nl < 0 ? n : nl > from && text.charAt(nl - 1) == '\r' ? nl - 1 : nl;
      if (end || text.startsWith("---", from) && to - from >= 3) {
        if (start > 0) {
          docs.add(new Head(start, kind, name));
        }
        if (end) {
          return docs;
        }
        start = 0;
        kind = "";
        name = "";
        inMetadata = false;
        childIndent = -1;
        from = nl < 0 ? n + 1 : nl + 1;
        continue;
      }
      int lineFrom = from;
      int first = from;
      while (first < to && Character.isWhitespace(text.charAt(first))) {
        first++;
      }
      int last = to; // exclusive
      while (last > first && Character.isWhitespace(text.charAt(last - 1))) {
        last--;
      }
      from = nl < 0 ? n + 1 : nl + 1;
      if (first == last || text.charAt(first) == '#') {
        continue;
      }
      if (start == 0) {
        start = i + 1;
      }
      int indent = first - lineFrom;
      if (indent == 0) {
        inMetadata = last - first == 9 && text.startsWith("metadata:", first);
        if (text.startsWith("kind:", first)) {
          kind = unquote(text.substring(first + 5, last));
        }
      } else if (inMetadata) {
        childIndent = childIndent < 0 ? indent : childIndent;
        if (indent == childIndent && text.startsWith("name:", first) && name.isEmpty()) {
          name = unquote(text.substring(first + 5, last));
        }
      }
    }
  }

  private String[] lines(String file) {
    return lines.computeIfAbsent(file, f -> {
      String text = snapshot.text(f);
      return text == null ? new String[0] : split(text);
    });
  }

  /** {@code text.split("\r?\n", -1)} without a regular expression. */
  static String[] split(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      out.add(text.substring(start, nl > start && text.charAt(nl - 1) == '\r' ? nl - 1 : nl));
      start = nl + 1;
    }
    out.add(text.substring(start));
    return out.toArray(String[]::new);
  }

  /**
   * Scans ahead of need every YAML file under {@code folders} ({@code ""} for all), so that
   * mapping origins later finds them scanned (a loader does it while Kustomize runs).
   */
  void prescan(Collection<String> folders) {
    for (String file : snapshot.files().keySet()) {
      if ((file.endsWith(".yaml") || file.endsWith(".yml")) && under(file, folders)) {
        heads.computeIfAbsent(file, this::scan);
      }
    }
  }

  private static boolean under(String file, Collection<String> folders) {
    for (String f : folders) {
      if (f.isEmpty() || file.startsWith(f + "/")) {
        return true;
      }
    }
    return false;
  }

  private static String unquote(String value) {
    String v = value.strip();
    int hash = v.indexOf(" #");
    v = hash >= 0 ? v.substring(0, hash).strip() : v;
    if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
      v = v.substring(1, v.length() - 1);
    }
    return v;
  }
}
