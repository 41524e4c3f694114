package dev.gitops.source;

import dev.gitops.model.ResourceId;

/**
 * What kubectl's document splitter (k8s.io/apimachinery's YAMLReader, which cuts a stream into parts
 * at every LF-ended line starting with {@code ---} before go-yaml reads the first document of each
 * part) refuses, or reads otherwise than YAML does, in a file's lines: a {@code ---} line with more
 * than a comment on it; a directive ({@code %YAML}, {@code %TAG}), which the cut leaves without its
 * document; a byte order mark starting a line other than the file's first, which it reads as text of
 * a key or drops; a part that starts with {@code ...}, which go-yaml refuses ("did not find expected
 * node content") where YAML reads an empty document; and a {@code ---} after a line break other than
 * LF (a lone CR, U+0085, U+2028, U+2029), which the cut does not see, so that kubectl reads the
 * document before it and drops the ones after it.
 */
final class Yaml11Lines {
  private Yaml11Lines() {
  }

  /** The first such line of {@code text}, or null when there is none. */
  static YamlErrors.Located problem(String text) {
    YamlErrors.Located hidden = hiddenMarker(text);
    int line = 1;
    int start = text.startsWith("\uFEFF") ? 1 : 0; // the one byte order mark a file may start with
    Part part = new Part();
    while (start <= text.length() && (hidden == null || line < hidden.line())) {
      int end = text.indexOf('\n', start);
      end = end < 0 ? text.length() : end;
      String problem = problem(text, start, end);
      if (problem == null) {
        problem = part.next(text, start, end);
      }
      if (problem != null) {
        return new YamlErrors.Located(line, problem);
      }
      start = end + 1;
      line++;
    }
    return hidden;
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

  /**
   * The part of the file the splitter is cutting: whether it holds a line yet, whether it starts with
   * its own {@code ---} line (the splitter keeps a separator it meets with nothing held, as at the
   * file's first line), and whether a line other than a blank or a comment came yet.
   */
  private static final class Part {
    private boolean holds;
    private boolean opened;
    private boolean content;

    /** Takes the line from {@code start} to {@code end}; why kubectl refuses its part there, or null. */
    String next(String text, int start, int end) {
      if (text.startsWith("---", start)) { // a separator: one with more on its line was refused before
        opened = !holds;
        holds = opened;
        content = false;
        return null;
      }
      holds = true;
      int first = start;
      while (!content && first < end && Character.isWhitespace(text.charAt(first))) {
        first++;
      }
      if (content || first == end || text.charAt(first) == '#') {
        return null;
      }
      content = true;
      boolean documentEnd = text.startsWith("...", start) && (start + 3 == end || blank(text.charAt(start + 3)));
      return documentEnd && !opened ? "'...' (the end of a document) where no document started: kubectl cuts the"
          + " file into parts at each '---' line and refuses a part that starts with '...' (go-yaml: \"did not find"
          + " expected node content\"); remove this line" : null;
    }
  }

  /**
   * A {@code ---} document marker after a line break other than LF, which YAML takes as a new document
   * and kubectl's splitter, cutting at LF only, does not: go-yaml reads the first document of the part
   * and kubectl drops the rest without a word.
   */
  private static YamlErrors.Located hiddenMarker(String text) {
    for (int at = text.indexOf("---"); at >= 0; at = text.indexOf("---", at + 3)) {
      char before = at == 0 ? '\n' : text.charAt(at - 1);
      if ((before == '\r' || before == '\u0085' || before == '\u2028' || before == '\u2029')
          && (at + 3 == text.length() || blank(text.charAt(at + 3)) || isBreak(text.charAt(at + 3)))) {
        return new YamlErrors.Located(lineOf(text, at), "'---' after a line break other than LF (a lone CR, U+0085,"
            + " U+2028 or U+2029): kubectl cuts a file into documents at LF-ended '---' lines only, so it would read"
            + " the document before this one and drop the ones after it without a word; end lines with LF (or CR LF)");
      }
    }
    return null;
  }

  private static boolean blank(char c) {
    return c == ' ' || c == '\t' || isBreak(c);
  }

  private static boolean isBreak(char c) {
    return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
  }

  /** The 1-based line of {@code at}, lines broken as YAML breaks them (CR LF once). */
  private static int lineOf(String text, int at) {
    int line = 1;
    for (int i = 0; i < at; i++) {
      char c = text.charAt(i);
      line += isBreak(c) && !(c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') ? 1 : 0;
    }
    return line;
  }
}
