package dev.gitops.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tabs that go-yaml (so kubectl, through sigs.k8s.io/yaml) reads as white space between tokens
 * where SnakeYAML takes only spaces, each replaced by a space: one character for one, so that lines,
 * columns and every value stay as they are. YAML allows a tab as separation within a line, and
 * go-yaml's scanner takes one in the flow context, after a token no simple key may follow on its
 * line ({@code key:}, an anchor, an alias, a tag, a quoted scalar, {@code ]} or {@code ---}), after a
 * block scalar's indicators ({@code |-\t# c}) and in the indentation of a plain scalar's next line
 * past the indentation it needs; it refuses one at the start of a line in the block context and after
 * {@code -} or {@code ?}, and SnakeYAML then refuses it too. Tabs inside a scalar (quoted, block or
 * plain) and in comments are left as they are, but for a double-quoted {@code \} followed by a tab, an
 * escape of the tab to go-yaml, which is written {@code \t} for SnakeYAML. go-yaml's other escape that
 * SnakeYAML does not know, a double-quoted {@code \'} (kubectl reads {@code "x\'y"} as {@code x'y}), is
 * written {@code \x27}: the one change that is not one character for one, it moves what follows it on
 * its line two columns right in the text parsed (an error's column is counted back in the text as
 * written, {@link #column(int, int)}), and brings a quoted key's ':' two characters nearer the 1,024 a
 * simple key may span. A text without a tab or {@code \'} is not scanned. A tab in the
 * indentation of a block scalar's line, which SnakeYAML reads as text after spaces and go-yaml refuses,
 * is a {@link #refusal()}.
 *
 * <p>This follows go-yaml's scanner as far as tabs need: flow level, whether a simple key may start
 * (its {@code simple_key_allowed}), possible simple keys (one line, 1,024 characters), the block
 * indentation stack, and the extent of scalars. Where go-yaml would refuse the text, scanning stops
 * and the tabs after it stay: SnakeYAML refuses the text there or before.
 */
final class YamlTabs extends YamlCursor {
  /** How far from its start a simple key's ':' may be, in characters, as go-yaml scans it. */
  private static final int KEY_REACH = 1024;

  /** A possible simple key at one flow level: where it starts. */
  private static final class Key {
    boolean possible;
    int index;
    int line;
    int column;
  }

  private final List<Key> keys = new ArrayList<>(List.of(new Key()));
  private int flow;
  private boolean allowed = true;
  private int indent = -1;
  private int[] indents = new int[16];
  private int depth;
  private YamlErrors.Located refusal;

  private YamlTabs(String text) {
    super(text);
  }

  /** Reads {@code text} as go-yaml's scanner does, as far as its tabs need. */
  static YamlTabs scan(String text) {
    YamlTabs tabs = new YamlTabs(text);
    if (text.indexOf('\t') >= 0 || text.contains("\\'")) {
      while (tabs.toNextToken() && tabs.pos < tabs.length && tabs.token()) {
        // each token moves on
      }
    }
    return tabs;
  }

  /**
   * The text with the tabs go-yaml reads as separating white space replaced by spaces and its escapes
   * SnakeYAML does not know rewritten; the text itself when none.
   */
  String text() {
    return changedText();
  }

  /**
   * A tab that go-yaml refuses and SnakeYAML may read, in the indentation of a block scalar's line
   * (SnakeYAML takes it as text after spaces) or of a plain scalar's next line; null when none.
   */
  YamlErrors.Located refusal() {
    return refusal;
  }

  /** go-yaml's scan_to_next_token: spaces, tabs where it takes them, comments and line breaks. */
  private boolean toNextToken() {
    while (true) {
      if (column == 0 && at('\uFEFF')) {
        advance(1);
      }
      while (at(' ') || at('\t') && (flow > 0 || !allowed)) {
        spaced();
      }
      if (at('#')) {
        skipToBreak();
      }
      if (!atBreak()) {
        return true;
      }
      newline();
      allowed |= flow == 0;
    }
  }

  /** One token, told apart as go-yaml's fetch_next_token does; false where go-yaml would refuse the text. */
  private boolean token() {
    staleKeys();
    unroll(column);
    char c = text.charAt(pos);
    boolean indicator = column == 0 && (c == '%' || documentMarker()) || c == ']' || c == '}' || c == ',';
    if (indicator || c == '-' && blankz(pos + 1) || c == '?' && (flow > 0 || blankz(pos + 1))) {
      return indicator ? endOf(c) : entry(c);
    }
    if (c == ':' && (flow > 0 || blankz(pos + 1))) {
      return value();
    }
    if (c == '[' || c == '{' || c == '*' || c == '&' || c == '!') {
      saveKey();
      allowed = c == '[' || c == '{';
      advance(1);
      if (allowed && flow == YamlReader.MAX_DEPTH) {
        return false; // the parser refuses nesting this deep at this line, or before
      }
      if (allowed) {
        flow++;
        keys.add(new Key());
      }
      while (!allowed && !blankz(pos) && (c == '!' || anchorCharacter(text.charAt(pos)))) {
        advance(1);
      }
      return true;
    }
    if ((c == '|' || c == '>') && flow == 0) {
      keys.get(flow).possible = false;
      allowed = true;
      return blockScalar();
    }
    boolean quoted = c == '\'' || c == '"';
    if (!quoted && !startsPlain(c)) {
      return false;
    }
    saveKey();
    allowed = false;
    return quoted ? quoted(c) : plain();
  }

  /** A directive, document marker, flow collection end or flow entry: no possible key is left. */
  private boolean endOf(char c) {
    boolean document = column == 0 && (c == '%' || documentMarker());
    if (document) {
      unroll(-1);
    }
    keys.get(flow).possible = false;
    if (!document && c != ',' && flow > 0) {
      keys.remove(flow--);
    }
    allowed = c == ',' && !document;
    if (c == '%' && document) {
      skipToBreak(); // a directive's line as it is
    } else {
      advance(document ? 3 : 1);
    }
    return true;
  }

  /** A block entry '-' or a key '?', after which a simple key may follow (after '?' in the block context only). */
  private boolean entry(char c) {
    if (flow == 0 && !allowed) {
      return false;
    }
    roll(column);
    keys.get(flow).possible = false;
    allowed = c == '-' || flow == 0;
    advance(1);
    return true;
  }

  /** ':': after a possible simple key no other may follow on its line; after none, in the block context, one may. */
  private boolean value() {
    Key key = keys.get(flow);
    if (key.possible) {
      roll(key.column);
      key.possible = false;
      allowed = false;
    } else {
      if (flow == 0 && !allowed) {
        return false;
      }
      roll(column);
      allowed = flow == 0;
    }
    advance(1);
    return true;
  }

  private boolean startsPlain(char c) {
    return !(blankz(pos) || "-?:,[]{}#&*!|>'\"%@`".indexOf(c) >= 0)
        || c == '-' && !blank(pos + 1)
        || flow == 0 && (c == '?' || c == ':') && !blankz(pos + 1);
  }

  /**
   * A plain scalar; a tab in the indentation of its next lines is white space past the indentation
   * it needs, and refused before (false).
   */
  private boolean plain() {
    int least = indent + 1;
    boolean leadingBlanks = false;
    while (!(column == 0 && documentMarker()) && !at('#')) {
      while (!blankz(pos) && !(at(':') && blankz(pos + 1)) && !(flow > 0 && ",?[]{}".indexOf(text.charAt(pos)) >= 0)) {
        leadingBlanks = false;
        advance(1);
      }
      if (!(blank(pos) || atBreak())) {
        break;
      }
      while (blank(pos) || atBreak()) {
        if (atBreak()) {
          newline();
          leadingBlanks = true;
        } else if (leadingBlanks && at('\t') && column < least) { // go-yaml: "a tab character that violates indentation"
          refusal = error("a tab: YAML indents with spaces only");
          return false;
        } else if (leadingBlanks) {
          spaced();
        } else {
          advance(1);
        }
      }
      if (flow == 0 && column < least) {
        break;
      }
    }
    allowed |= leadingBlanks;
    return true;
  }

  /** A single- or double-quoted scalar, every character of it kept. */
  private boolean quoted(char quote) {
    advance(1);
    while (!(column == 0 && documentMarker()) && pos < length) {
      while (!blankz(pos)) {
        char c = text.charAt(pos);
        boolean escape = quote == '"' && c == '\\' && pos + 1 < length;
        if (quote == '\'' && c == '\'' && text.startsWith("''", pos)) {
          advance(2);
        } else if (c == quote) {
          advance(1);
          return true;
        } else if (escape && lineBreak(pos + 1)) {
          advance(1);
          newline();
          break;
        } else if (escape) {
          if (text.charAt(pos + 1) == '\t') {
            put(pos + 1, 't'); // go-yaml's escape of a tab written as a tab, which SnakeYAML does not know
          } else if (text.charAt(pos + 1) == '\'') {
            widen(pos + 1, "x27"); // go-yaml's (libyaml's) \' for ', which SnakeYAML does not know
          }
          advance(2);
        } else {
          advance(1);
        }
      }
      while (blank(pos) || atBreak()) {
        if (atBreak()) {
          newline();
        } else {
          advance(1);
        }
      }
    }
    return false;
  }

  /** A literal or folded scalar: its header's white space, then its lines, every character kept. */
  private boolean blockScalar() {
    int start = line + 1;
    advance(1);
    int increment = 0;
    if (at('+') || at('-')) {
      advance(1);
      increment = digit();
    } else if (pos < length && Character.isDigit(text.charAt(pos))) {
      increment = digit();
      if (at('+') || at('-')) {
        advance(1);
      }
    }
    while (at(' ') || at('\t')) {
      spaced();
    }
    if (at('#')) {
      skipToBreak();
    }
    if (increment < 0 || pos < length && !atBreak()) {
      return false;
    }
    if (pos < length) {
      newline();
    }
    int least = breaks(increment == 0 ? 0 : indent >= 0 ? indent + increment : increment, start);
    while (least > 0 && column == least && pos < length) {
      skipToBreak();
      if (pos < length) {
        newline();
      }
      least = breaks(least, start);
    }
    return least > 0;
  }

  /** An indentation indicator 1 to 9, 0 when none, -1 for 0 (which go-yaml refuses). */
  private int digit() {
    if (pos >= length || text.charAt(pos) < '0' || text.charAt(pos) > '9') {
      return 0;
    }
    int digit = text.charAt(pos) - '0';
    advance(1);
    return digit == 0 ? -1 : digit;
  }

  /**
   * go-yaml's scan_block_scalar_breaks: the indentation spaces and empty lines before a line of the
   * scalar starting at line {@code start}; its indentation ({@code least}, or found from them when 0),
   * or -1 for a tab where an indentation space is expected.
   */
  private int breaks(int least, int start) {
    int max = 0;
    while (true) {
      while ((least == 0 || column < least) && at(' ')) {
        advance(1);
      }
      max = Math.max(max, column);
      if ((least == 0 || column < least) && at('\t')) {
        refusal = error("a tab in the indentation of a block scalar ('|' or '>' at line " + start + "): YAML indents"
            + " with spaces only, and kubectl refuses it; indent with spaces, or quote the value and write \\t");
        return -1;
      }
      if (!atBreak()) {
        return least != 0 ? least : Math.max(Math.max(max, indent + 1), 1);
      }
      newline();
    }
  }

  private void saveKey() {
    if (allowed) {
      Key key = keys.get(flow);
      key.possible = true;
      key.index = index;
      key.line = line;
      key.column = column;
    }
  }

  /**
   * A possible simple key is one no more once on an earlier line or too far back. Only the current
   * flow level's key is ever asked whether it is possible, and a key once stale stays stale (line and
   * index only grow), so judging it alone, when it is asked, is judging every level at each token as
   * go-yaml does, without the time that grows with the depth (two million {@code [} took n^2/2 looks).
   */
  private void staleKeys() {
    Key key = keys.get(flow);
    key.possible &= key.line == line && key.index + KEY_REACH >= index;
  }

  private void roll(int at) {
    if (flow == 0 && indent < at) {
      if (depth == indents.length) {
        indents = Arrays.copyOf(indents, depth * 2);
      }
      indents[depth++] = indent;
      indent = at;
    }
  }

  private void unroll(int at) {
    while (flow == 0 && indent > at) {
      indent = indents[--depth];
    }
  }

  private static boolean anchorCharacter(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-';
  }

  /** Moves past a blank, which when a tab is read as a space. */
  private void spaced() {
    if (at('\t')) {
      put(pos, ' ');
    }
    advance(1);
  }
}
