package dev.gitops.internal;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * JSON escapes for text a person, a terminal or a log viewer may show: besides what JSON itself
 * escapes (the quote, the backslash, C0 controls), every character {@link Printable#hidden} names —
 * DEL, C1 controls, direction overrides and isolates, line and paragraph separators, zero-width and
 * other format characters, unusual spaces — is written as a {@code \}{@code uXXXX} escape, which every
 * JSON reader reads back as the same character. Jackson escapes C0 controls only. Characters are
 * judged one UTF-16 unit at a time (Jackson's unit), so a surrogate pair (an emoji) is written as its
 * two escapes, as the hidden tag characters must be. Stateless. Not part of the public API.
 */
public final class HiddenEscapes extends CharacterEscapes {
  /** The one instance. */
  public static final HiddenEscapes INSTANCE = new HiddenEscapes();
  private static final long serialVersionUID = 1L;
  private static final int[] ASCII = ascii();

  private HiddenEscapes() {}

  private static int[] ascii() {
    int[] codes = CharacterEscapes.standardAsciiEscapesForJSON();
    codes[0x7f] = CharacterEscapes.ESCAPE_STANDARD; // DEL: hidden, and JSON leaves it raw
    return codes;
  }

  @Override
  public int[] getEscapeCodesForAscii() {
    return ASCII;
  }

  @Override
  public SerializableString getEscapeSequence(int ch) {
    if (!Printable.hidden(ch)) {
      return null;
    }
    String hex = Integer.toHexString(ch).toUpperCase(java.util.Locale.ROOT);
    return new SerializedString("\\u" + "0".repeat(4 - hex.length()) + hex);
  }
}
