package dev.gitops.source;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code .gitattributes} blob, read line by line as Git reads one from its index or a tree (attr.c
 * {@code read_attr_from_buf}, {@code parse_attr_line}, {@code parse_attr}): reading stops at the first
 * NUL; a line is split on blanks (space, tab, CR, LF); empty lines, comments and lines of 2048 bytes or
 * more are skipped; a pattern may be C-quoted ({@code "a b"}); a line naming an invalid attribute
 * ({@code [-._0-9A-Za-z]}, not starting with {@code -}) or with a {@code !} pattern (Git refuses negative
 * patterns in attributes) is skipped whole; {@code [attr]name} lines define macros, only in the root's
 * file (elsewhere Git skips them). A line naming an attribute {@code builtin_*} (a state's or a macro's
 * name) is read and marked {@linkplain Rule#reserved reserved}: Git before 2.43 reads it as any other
 * (checked with {@code git check-attr} 2.39.5), Git from 2.43 skips it whole with a warning (attr.c
 * {@code attr_name_reserved}, called by {@code parse_attr} and {@code parse_attr_line}), so each
 * reading can be computed ({@link AttributeStack}). No byte-order mark is removed (Git removes one only
 * from a working tree's file). Immutable. Not part of the public API.
 *
 * @param rules the pattern lines, in the file's order
 * @param macros the macro definitions by name, the last of a name kept, as Git before 2.43 reads them
 * @param newerMacros the same without the definitions naming a {@code builtin_*} attribute, as Git
 *     from 2.43 reads them
 */
record AttributeLines(List<Rule> rules, Map<String, List<State>> macros, Map<String, List<State>> newerMacros) {
  /** Git ignores a line of this many bytes or more ({@code ATTR_MAX_LINE_LENGTH} in attr.c). */
  static final int LINE_MAX = 2048;
  /** The value of a state {@code name}: set. */
  static final String SET = "\0set";
  /** The value of a state {@code -name}: unset. */
  static final String UNSET = "\0unset";
  /** The value of a state {@code !name}: unspecified, which hides what a later-read line says. */
  static final String UNSPECIFIED = "\0unspecified";

  private static final byte[] MACRO = "[attr]".getBytes(StandardCharsets.US_ASCII);
  /** The names Git from 2.43 reserves for its own attributes ({@code builtin_objectmode}). */
  private static final String RESERVED = "builtin_";

  /** True when {@code value} is a value given with {@code name=value}, not one of the three states. */
  static boolean isValue(String value) {
    return !value.equals(SET) && !value.equals(UNSET) && !value.equals(UNSPECIFIED);
  }

  /** What one line says of one attribute: a value, or {@link #SET}, {@link #UNSET}, {@link #UNSPECIFIED}. */
  record State(String name, String value) {}

  /**
   * A pattern line: where it applies, and what it says there, in the line's order; {@code reserved} when
   * it names a {@code builtin_*} attribute, which Git from 2.43 skips.
   */
  record Rule(AttributePattern pattern, List<State> states, boolean reserved) {}

  /** Reads {@code data}; {@code root} when it is the root folder's, where macros may be defined. */
  static AttributeLines parse(byte[] data, boolean root) {
    List<Rule> rules = new ArrayList<>();
    Map<String, List<State>> macros = new LinkedHashMap<>();
    Map<String, List<State>> newerMacros = new LinkedHashMap<>();
    int end = 0;
    while (end < data.length && data[end] != 0) {
      end++;
    }
    for (int start = 0; start < end; ) {
      int eol = start;
      while (eol < end && data[eol] != '\n') {
        eol++;
      }
      line(Arrays.copyOfRange(data, start, eol), root, rules, macros, newerMacros);
      start = eol + 1;
    }
    return new AttributeLines(List.copyOf(rules), Map.copyOf(macros), Map.copyOf(newerMacros));
  }

  private static void line(byte[] line, boolean root, List<Rule> rules, Map<String, List<State>> macros,
      Map<String, List<State>> newerMacros) {
    int cp = skipBlanks(line, 0);
    if (cp == line.length || line[cp] == '#' || line.length >= LINE_MAX) {
      return;
    }
    byte[] name;
    int states;
    int[] quoteEnd = new int[1];
    byte[] unquoted = line[cp] == '"' ? unquote(line, cp + 1, quoteEnd) : null;
    if (unquoted != null) {
      name = unquoted;
      states = quoteEnd[0];
    } else {
      int e = token(line, cp);
      name = Arrays.copyOfRange(line, cp, e);
      states = e;
    }
    List<State> parsed = states(line, skipBlanks(line, states));
    if (parsed == null) {
      return;
    }
    boolean reserved = parsed.stream().anyMatch(s -> s.name().startsWith(RESERVED));
    if (name.length > MACRO.length && Arrays.equals(name, 0, MACRO.length, MACRO, 0, MACRO.length)) {
      int from = skipBlanks(name, MACRO.length);
      String macro = new String(name, from, token(name, from) - from, StandardCharsets.ISO_8859_1);
      if (root && valid(macro)) {
        macros.remove(macro); // the last definition wins
        macros.put(macro, parsed);
        if (!reserved && !macro.startsWith(RESERVED)) {
          newerMacros.remove(macro);
          newerMacros.put(macro, parsed);
        }
      }
      return;
    }
    int nul = 0;
    while (nul < name.length && name[nul] != 0) {
      nul++;
    }
    if (nul > 0 && name[0] == '!') {
      return; // attr.c: "Negative patterns are ignored in git attributes"
    }
    rules.add(new Rule(AttributePattern.of(Arrays.copyOf(name, nul)), parsed, reserved));
  }

  /** The states from {@code cp} to the line's end; null when one names no valid attribute. */
  private static List<State> states(byte[] line, int cp) {
    List<State> states = new ArrayList<>();
    while (cp < line.length) {
      int end = token(line, cp);
      int equals = cp;
      while (equals < end && line[equals] != '=') {
        equals++;
      }
      byte sign = line[cp];
      int from = sign == '-' || sign == '!' ? cp + 1 : cp;
      String name = from <= equals ? new String(line, from, equals - from, StandardCharsets.ISO_8859_1) : "";
      if (!valid(name)) {
        return null;
      }
      String value = sign == '-' ? UNSET : sign == '!' ? UNSPECIFIED : equals == end ? SET
          : new String(line, equals + 1, end - equals - 1, StandardCharsets.UTF_8);
      states.add(new State(name, value));
      cp = skipBlanks(line, end);
    }
    return states;
  }

  /** attr.c {@code attr_name_valid}: not empty, not starting with {@code -}, of {@code [-._0-9A-Za-z]}. */
  private static boolean valid(String name) {
    if (name.isEmpty() || name.charAt(0) == '-') {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c == '-' || c == '.' || c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * quote.c {@code unquote_c_style} from just past the opening quote: the bytes up to the closing quote
   * with {@code \a \b \f \n \r \t \v \\ \"} and three-digit octal escapes read; null when the quote is
   * not closed or an escape is another (the token is then read unquoted). {@code end[0]} is set past the
   * closing quote.
   */
  private static byte[] unquote(byte[] line, int from, int[] end) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = from; i < line.length; ) {
      int c = line[i++] & 0xff;
      if (c == '"') {
        end[0] = i;
        return out.toByteArray();
      }
      if (c != '\\') {
        out.write(c);
        continue;
      }
      if (i >= line.length) {
        return null;
      }
      c = line[i++] & 0xff;
      int escaped = "abfnrtv".indexOf(c);
      if (escaped >= 0) {
        out.write("\u0007\b\f\n\r\t\u000b".charAt(escaped));
      } else if (c == '\\' || c == '"') {
        out.write(c);
      } else if (c >= '0' && c <= '3' && i + 1 < line.length && octal(line[i]) && octal(line[i + 1])) {
        out.write(((c - '0') << 6) | ((line[i] - '0') << 3) | (line[i + 1] - '0'));
        i += 2;
      } else {
        return null;
      }
    }
    return null;
  }

  private static boolean octal(byte b) {
    return b >= '0' && b <= '7';
  }

  private static boolean blank(byte b) {
    return b == ' ' || b == '\t' || b == '\r' || b == '\n';
  }

  private static int skipBlanks(byte[] s, int i) {
    while (i < s.length && blank(s[i])) {
      i++;
    }
    return i;
  }

  /** The end of the token at {@code i}: the next blank, NUL or the end. */
  private static int token(byte[] s, int i) {
    while (i < s.length && !blank(s[i]) && s[i] != 0) {
      i++;
    }
    return i;
  }
}
