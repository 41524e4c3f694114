package dev.gitops.source;

import java.util.Arrays;

/**
 * A place in a YAML text counted as go-yaml's scanner counts its marks (a character is a code point;
 * CR LF is one line break, as are CR, LF, U+0085, U+2028 and U+2029), with its character classes and
 * a copy of the text, made on the first change, where single characters may be replaced, or widened
 * into several on their line.
 */
abstract class YamlCursor {
  final String text;
  final int length;
  private char[] changed;
  /** Where characters are widened, in order (their offset, 0-based line and column in {@link #text}), and into what. */
  private int[] wideAt = new int[0];
  private int[] wideLine = new int[0];
  private int[] wideColumn = new int[0];
  private String[] wideAs = new String[0];
  private int wide;
  /** Where the cursor is, in UTF-16 units of {@link #text}. */
  int pos;
  /** Characters (code points) before the cursor, a CR LF counted as two, as go-yaml's mark index. */
  int index;
  /** 0-based line. */
  int line;
  /** 0-based column, in characters. */
  int column;

  YamlCursor(String text) {
    this.text = text;
    this.length = text.length();
  }

  /** The text with the characters {@link #put} or {@link #widen widened} there; the text itself when none was. */
  String changedText() {
    String put = changed == null ? text : new String(changed);
    if (wide == 0) {
      return put;
    }
    StringBuilder out = new StringBuilder(put.length() + 4 * wide);
    int from = 0;
    for (int i = 0; i < wide; i++) {
      out.append(put, from, wideAt[i]).append(wideAs[i]);
      from = wideAt[i] + 1;
    }
    return out.append(put, from, put.length()).toString();
  }

  /**
   * Makes the character at {@code at} (one UTF-16 unit on the cursor's line, at or after the cursor and
   * past every one widened before) {@code into}, which holds no line break, in {@link #changedText()}:
   * lines stay, columns after it on its line move, and {@link #column(int, int)} moves them back.
   */
  void widen(int at, String into) {
    if (wide == wideAt.length) {
      int size = Math.max(4, wide * 2);
      wideAt = Arrays.copyOf(wideAt, size);
      wideLine = Arrays.copyOf(wideLine, size);
      wideColumn = Arrays.copyOf(wideColumn, size);
      wideAs = Arrays.copyOf(wideAs, size);
    }
    wideAt[wide] = at;
    wideLine[wide] = line;
    wideColumn[wide] = column + text.codePointCount(pos, at);
    wideAs[wide++] = into;
  }

  /**
   * The 0-based column in {@link #text} of what stands at the 0-based {@code column} of the 0-based
   * {@code line} in {@link #changedText()} (columns counted in characters, as the parser's marks): less
   * what the characters {@link #widen widened} before it on its line added; a widened character's own.
   */
  int column(int line, int column) {
    int added = 0;
    for (int i = 0; i < wide && wideLine[i] <= line; i++) {
      if (wideLine[i] < line) {
        continue;
      }
      int from = wideColumn[i] + added;
      if (column < from) {
        break;
      }
      int width = wideAs[i].codePointCount(0, wideAs[i].length());
      if (column < from + width) {
        return wideColumn[i];
      }
      added += width - 1;
    }
    return column - added;
  }

  /** Makes the character at {@code at} (a tab or another of one UTF-16 unit) {@code c} in {@link #changedText()}. */
  void put(int at, char c) {
    if (changed == null) {
      changed = text.toCharArray();
    }
    changed[at] = c;
  }

  boolean at(char c) {
    return pos < length && text.charAt(pos) == c;
  }

  boolean blank(int at) {
    return at < length && (text.charAt(at) == ' ' || text.charAt(at) == '\t');
  }

  /** A blank, a line break or the end. */
  boolean blankz(int at) {
    return at >= length || blank(at) || lineBreak(at);
  }

  boolean atBreak() {
    return lineBreak(pos);
  }

  boolean lineBreak(int at) {
    if (at >= length) {
      return false;
    }
    char c = text.charAt(at);
    return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
  }

  /** True at {@code ---} or {@code ...} followed by a blank, a line break or the end. */
  boolean documentMarker() {
    return (text.startsWith("---", pos) || text.startsWith("...", pos)) && blankz(pos + 3);
  }

  void skipToBreak() {
    while (pos < length && !atBreak()) {
      advance(1);
    }
  }

  /** Moves past {@code count} characters of one line. */
  void advance(int count) {
    for (int i = 0; i < count && pos < length; i++) {
      pos += Character.isHighSurrogate(text.charAt(pos)) && pos + 1 < length
          && Character.isLowSurrogate(text.charAt(pos + 1)) ? 2 : 1;
      index++;
      column++;
    }
  }

  /** Moves past a line break. */
  void newline() {
    int width = text.startsWith("\r\n", pos) ? 2 : 1;
    pos += width;
    index += width;
    line++;
    column = 0;
  }

  /** An error at the cursor, as {@link YamlErrors} words them. */
  YamlErrors.Located error(String what) {
    return new YamlErrors.Located(line + 1, "invalid YAML at column " + (column + 1) + ": " + what);
  }
}
