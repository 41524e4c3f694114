package dev.gitops.k8s.render;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Texts of a kustomization with {@code originAnnotations} inserted, each a candidate that the
 * caller keeps only when it reads back as the kustomization plus that entry: the user's own text
 * stays as written, so Kustomize types every scalar of it as it would alone.
 */
final class OriginEdits {
  private static final String KEY = "buildMetadata: [originAnnotations]";
  private static final Pattern FLOW_LIST = Pattern.compile("[\"']?buildMetadata[\"']?\\s*:\\s*\\[");

  private OriginEdits() {}

  /**
   * A new {@code buildMetadata} key in a non-empty root mapping whose first key (or flow {@code {}) is on
   * {@code line}: appended at the end, at that key's indentation (no line above moves), then
   * inserted above the first key, then right after the opening brace of a flow mapping.
   */
  static List<String> withKey(String text, int line) {
    List<String> edits = new ArrayList<>();
    int start = lineStart(text, line);
    if (start < 0) {
      return edits;
    }
    String indent = indent(text, start);
    edits.add(text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + indent + KEY + "\n");
    edits.add(text.substring(0, start) + indent + KEY + "\n" + text.substring(start));
    int brace = start + indent.length();
    if (brace < text.length() && text.charAt(brace) == '{') {
      edits.add(text.substring(0, brace + 1) + KEY + ", " + text.substring(brace + 1));
    }
    return edits;
  }

  /**
   * {@code originAnnotations} as the first entry of a {@code buildMetadata} list whose value starts
   * on {@code line}: a block entry above the first {@code -}, or the first entry after the
   * {@code [} of a flow list.
   */
  static List<String> withEntry(String text, int line, boolean empty) {
    List<String> edits = new ArrayList<>();
    int start = lineStart(text, line);
    if (start < 0) {
      return edits;
    }
    String indent = indent(text, start);
    if (text.startsWith("- ", start + indent.length()) || text.startsWith("-\n", start + indent.length())) {
      edits.add(text.substring(0, start) + indent + "- originAnnotations\n" + text.substring(start));
    }
    int end = text.indexOf('\n', start);
    Matcher m = FLOW_LIST.matcher(text).region(start, end < 0 ? text.length() : end);
    if (m.find()) {
      edits.add(text.substring(0, m.end()) + "originAnnotations" + (empty ? "" : ", ") + text.substring(m.end()));
    }
    return edits;
  }

  /** The offset where 1-based {@code line} starts, or -1 past the end. */
  private static int lineStart(String text, int line) {
    int at = 0;
    for (int i = 1; i < line; i++) {
      at = text.indexOf('\n', at) + 1;
      if (at == 0) {
        return -1;
      }
    }
    return at;
  }

  private static String indent(String text, int start) {
    int i = start;
    while (i < text.length() && text.charAt(i) == ' ') {
      i++;
    }
    return text.substring(start, i);
  }
}
