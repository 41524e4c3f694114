package dev.gitops.samples.cli;

import dev.gitops.model.ResourceId;

/**
 * The command line's last guard for text it did not write itself and prints to a person: a commit
 * message, a failure an API server, a host or a library put into words, a diff's field path. Every
 * character that a terminal acts on, that prints nothing or that moves the text around it (an
 * escape, a carriage return, a line or paragraph separator, a direction override) prints as the
 * escape {@link ResourceId#escape} writes for it ({@code \x1b}, {@code \r}, <code>&#92;u2028</code>,
 * <code>&#92;u202e</code>), so that no such text can rewrite or forge a line of the output. Tabs and
 * backslashes print as they are: text the library has escaped already prints unchanged. Stateless.
 */
public final class Printed {
  private Printed() {}

  /**
   * {@code text} for one line: its line breaks escaped too.
   *
   * @param text any text; null prints as {@code null}
   * @return the text with every hidden character escaped
   */
  public static String line(String text) {
    return escape(String.valueOf(text), false);
  }

  /**
   * {@code text} for a message of several lines: its {@code \n} line breaks kept, every other hidden
   * character (a lone {@code \r} too) escaped.
   *
   * @param text any text; null prints as {@code null}
   * @return the text with every hidden character but {@code \n} escaped
   */
  public static String lines(String text) {
    return escape(String.valueOf(text), true);
  }

  private static String escape(String text, boolean keepNewlines) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      int n = Character.charCount(c);
      boolean plain = (c >= 0x20 && c < 0x7f) || c == '\t' || (keepNewlines && c == '\n');
      String shown = plain ? null : ResourceId.escape(text.substring(i, i + n)); // the one rule names print by
      if (shown != null && c != '\\' && !shown.equals(text.substring(i, i + n))) {
        if (out == null) {
          out = new StringBuilder(text.length() + 16).append(text, 0, i);
        }
        out.append(shown);
      } else if (out != null) {
        out.append(text, i, i + n);
      }
      i += n;
    }
    return out == null ? text : out.toString();
  }
}
