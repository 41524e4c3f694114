package dev.gitops.source;

import dev.gitops.model.ResourceId;

/**
 * What kubectl's document splitter (k8s.io/apimachinery's YAMLReader, which cuts a stream at every
 * line starting with {@code ---} before go-yaml reads each part) refuses, or reads otherwise than
 * YAML does, in a file's lines: a {@code ---} line with more than a comment on it, a directive
 * ({@code %YAML}, {@code %TAG}), which the cut leaves without its document, and a byte order mark
 * starting a line other than the file's first, which it reads as text of a key or drops.
 */
final class Yaml11Lines {
  private Yaml11Lines() {
  }

  /** The first such line of {@code text}, or null when there is none. */
  static YamlErrors.Located problem(String text) {
    int line = 1;
    int start = text.startsWith("\uFEFF") ? 1 : 0; // the one byte order mark a file may start with
    while (start <= text.length()) {
      int end = text.indexOf('\n', start);
      end = end < 0 ? text.length() : end;
      String problem = problem(text, start, end);
      if (problem != null) {
        return new YamlErrors.Located(line, problem);
      }
      start = end + 1;
      line++;
    }
    return null;
  }

  private static String problem(String text, int start, int end) {
    if (start == end) {
      return null;
    }
    char first = text.charAt(start);
    if (first == '\uFEFF') {
      return "a byte order mark (U+FEFF) starts this line, as where files were joined: kubectl reads it as text of"
          + " the key or value that follows, or drops it, depending on where it stands; remove it";
    }
    if (first == '%') {
      return "a YAML directive ('" + ResourceId.escape(text.substring(start, Math.min(end, start + 20)).strip())
          + "'), which kubectl cannot read: it cuts the file into documents at each '---' line first, which leaves"
          + " the directive apart from its document; remove it";
    }
    if (text.startsWith("---", start)) {
      String rest = text.substring(start + 3, end).strip();
      if (!rest.isEmpty() && !rest.startsWith("#")) {
        return "'---' followed by '" + ResourceId.escape(rest.length() > 20 ? rest.substring(0, 20) + "..." : rest)
            + "' on its line: kubectl takes a line starting with '---' as a document separator and refuses more"
            + " than a comment after it; start the document on the next line";
      }
    }
    return null;
  }
}
