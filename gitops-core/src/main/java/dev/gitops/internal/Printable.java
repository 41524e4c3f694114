package dev.gitops.internal;

/**
 * The one rule by which the core prints names (resource ids, paths, file names) in plans, logs and
 * errors: every character that prints nothing, moves the text around it, or passes for a space is
 * escaped, never dropped, so that two names that differ never print alike. Not part of the public API.
 *
 * <p>A character is <em>hidden</em> when it is a control (C0, DEL, C1), a format character (zero-width
 * space and joiners, direction marks, embeddings, overrides and isolates, soft hyphen, byte order
 * mark, tag characters...), a line or paragraph separator, a space other than U+0020, private-use,
 * unassigned (noncharacters too) or an unpaired surrogate, by {@link Character#getType}; or when it
 * is one of Unicode's {@code Default_Ignorable_Code_Point}s (Unicode 16 {@code DerivedCoreProperties.txt}:
 * variation selectors, Hangul fillers, the combining grapheme joiner, Mongolian free variation
 * selectors... which the JDK's tables file as letters or marks); or U+2800, a braille pattern that prints
 * as a blank. Unassigned follows the JDK's Unicode version: a character assigned later prints
 * escaped on an older JDK.
 *
 * <p>Escapes: {@code \n}, {@code \r}, {@code \t}; {@code \xHH} for the other controls up to U+009F
 * (C0, DEL, C1); <code>&#92;uHHHH</code> from U+00A0 on (the no-break space is <code>&#92;u00a0</code>);
 * a character beyond U+FFFF as the <code>&#92;uHHHH</code> of each of its two UTF-16 units (U+E0001
 * is <code>&#92;udb40&#92;udc01</code>), which is how {@code ResourceId.unescape} reads it back.
 */
public final class Printable {
  /**
   * {@code Default_Ignorable_Code_Point}, Unicode 16.0.0, as inclusive ranges ({@code 2065} and
   * {@code 2066..206F} merged with {@code 2060..2064}; the {@code E0000..E0FFF} lines merged).
   */
  private static final int[] IGNORABLE = {
      0x00ad, 0x00ad, 0x034f, 0x034f, 0x061c, 0x061c, 0x115f, 0x1160, 0x17b4, 0x17b5, 0x180b, 0x180f,
      0x200b, 0x200f, 0x202a, 0x202e, 0x2060, 0x206f, 0x3164, 0x3164, 0xfe00, 0xfe0f, 0xfeff, 0xfeff,
      0xffa0, 0xffa0, 0xfff0, 0xfff8, 0x1bca0, 0x1bca3, 0x1d173, 0x1d17a, 0xe0000, 0xe0fff};

  private Printable() {}

  /**
   * Whether {@code c} must print escaped (see the class comment). The backslash is not hidden: how
   * it prints is up to each escape.
   *
   * @param c a code point, or a lone surrogate
   * @return true when {@code c} prints nothing, moves text, or passes for a space
   */
  public static boolean hidden(int c) {
    if (c < 0x7f) {
      return c < 0x20;
    }
    if (c < 0xa0) {
      return true; // DEL and C1
    }
    for (int i = 0; i < IGNORABLE.length && c >= IGNORABLE[i]; i += 2) {
      if (c <= IGNORABLE[i + 1]) {
        return true;
      }
    }
    return switch (Character.getType(c)) {
      case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED, Character.PRIVATE_USE, Character.SURROGATE,
          Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> true;
      default -> c == 0x2800;
    };
  }

  /**
   * {@code text} with every hidden character and every backslash escaped: reversible, the same
   * text when nothing needs escaping.
   *
   * @param text any text, such as a name; not null
   * @return the printed form
   */
  public static String escape(String text) {
    return escape(text, true, false);
  }

  /**
   * {@code text} with every hidden character but the tab escaped and backslashes left as they are:
   * for text that holds escapes of its own (JSON quoted in a message) or is content (the lines of a
   * diff), where the escape need not be read back.
   *
   * @param text any text; not null
   * @return {@code text}, its hidden characters escaped
   */
  public static String escapeHidden(String text) {
    return escape(text, false, true);
  }

  /**
   * {@code text} with every hidden character escaped, the tab too, and backslashes left as they are:
   * for a message on one line that may quote names escaped already (an exception's message, a
   * parser's words), which are not escaped twice. Applied to its own result it changes nothing.
   *
   * @param text any text; not null
   * @return {@code text} on one line, its hidden characters escaped
   */
  public static String escapeMessage(String text) {
    return escape(text, false, false);
  }

  private static String escape(String text, boolean backslash, boolean keepTab) {
    int i = 0;
    while (i < text.length()) {
      char unit = text.charAt(i);
      if (unit >= 0x20 && unit < 0x7f && unit != '\\') {
        i++; // printable ASCII: most names are nothing else
        continue;
      }
      int c = text.codePointAt(i);
      if (needsEscape(c, backslash, keepTab)) {
        break;
      }
      i += Character.charCount(c);
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, i);
    while (i < text.length()) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (!needsEscape(c, backslash, keepTab)) {
        out.appendCodePoint(c);
      } else if (c == '\\') {
        out.append("\\\\");
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c < 0xa0) {
        out.append('\\').append('x').append(hex(c, 2));
      } else {
        for (char unit : Character.toChars(c)) {
          out.append('\\').append('u').append(hex(unit, 4));
        }
      }
    }
    return out.toString();
  }

  private static boolean needsEscape(int c, boolean backslash, boolean keepTab) {
    return c == '\\' ? backslash : c == '\t' ? !keepTab : hidden(c);
  }

  private static String hex(int value, int digits) {
    String h = Integer.toHexString(value);
    return "0".repeat(digits - h.length()) + h;
  }
}
