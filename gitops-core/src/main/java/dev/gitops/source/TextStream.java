package dev.gitops.source;

import java.io.Reader;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.scanner.Constant;

/**
 * SnakeYAML's {@link StreamReader} over a text already in memory, in time linear in its length.
 *
 * <p>SnakeYAML's own (2.5) reads 1,024 characters at a time and copies every code point the
 * scanner has not passed yet into a new window each time; the scanner passes a token only once it
 * has found its end, so a token of n characters with no space or line break in it (a base64 value
 * or a comment on one line) costs n²/2,048 copies: 14 s for one scalar of 8 M characters. This
 * window grows by at least what it keeps, so every code point is copied a bounded number of times.
 * Everything else is SnakeYAML's: the same code points, marks (index, line, column), the end of the
 * text read as 0, and a character YAML does not allow refused at the same point of the scan.
 */
final class TextStream extends StreamReader {
  private static final int CHUNK = 1_024;
  private static final String NAME = "'reader'";

  private final String text;
  private int read;
  private int[] window = new int[0];
  private int length;
  private int pointer;
  private int index;
  private int documentIndex;
  private int line;
  private int column;
  private long moved;
  private int chunkLeft;
  private int chunkStart;
  private int refusedFrom = -1;
  private int refusedAt;
  private int refused;
  private Mark mark;

  TextStream(String text) {
    super(Reader.nullReader());
    this.text = text;
  }

  /** Code points put into a window so far, each copy counted: the reader's work. */
  long moved() {
    return moved;
  }

  /**
   * The mark of this place: the last one given when the scanner has not moved since (it asks
   * several times at a token's start, for a possible key and for the token), else a new one. A
   * mark is immutable and holds the window it was made of, so the same one is what a new one
   * would be as long as window and pointer are the same.
   */
  @Override
  public Mark getMark() {
    if (mark == null || mark.getBuffer() != window || mark.getPointer() != pointer) {
      mark = new Mark(NAME, index, line, column, window, pointer);
    }
    return mark;
  }

  @Override
  public void forward() {
    forward(1);
  }

  @Override
  public void forward(int count) {
    for (int i = 0; i < count && ensure(0); i++) {
      int c = window[pointer++];
      index++;
      documentIndex++;
      if (Constant.LINEBR.has(c) || (c == '\r' && ensure(0) && window[pointer] != '\n')) {
        line++;
        column = 0;
      } else if (c != '\uFEFF') {
        column++;
      }
    }
  }

  @Override
  public int peek() {
    return peek(0);
  }

  @Override
  public int peek(int ahead) {
    return ensure(ahead) ? window[pointer + ahead] : 0;
  }

  @Override
  public String prefix(int count) {
    if (count == 0) {
      return "";
    }
    int available = ensure(count) ? count : Math.min(count, length - pointer); // may move the window
    return new String(window, pointer, available);
  }

  @Override
  public String prefixForward(int count) {
    String prefix = prefix(count);
    pointer += count;
    index += count;
    documentIndex += count;
    column += count;
    return prefix;
  }

  @Override
  public int getColumn() {
    return column;
  }

  @Override
  public int getDocumentIndex() {
    return documentIndex;
  }

  @Override
  public void resetDocumentIndex() {
    documentIndex = 0;
  }

  @Override
  public int getIndex() {
    return index;
  }

  @Override
  public int getLine() {
    return line;
  }

  /**
   * True when the code point {@code ahead} of the pointer is in the window, reading it if needed.
   * A character YAML does not allow is refused once the scanner needs any code point of the
   * 1,024-character chunk holding it, as SnakeYAML reads it, so that the same error comes at the
   * same token.
   */
  private boolean ensure(int ahead) {
    if (refusedFrom >= 0 && index + ahead >= refusedFrom) {
      throw new ReaderException(NAME, refusedAt, refused, "special characters are not allowed");
    }
    if (pointer + ahead >= length && read < text.length() && refusedFrom < 0) {
      fill(pointer + ahead + 1 - length);
    }
    return pointer + ahead < length;
  }

  /**
   * A new window holding what the scanner has not passed and at least {@code missing} more code
   * points, and as many more as it keeps (at least a chunk), so that copies stay linear; reading
   * stops after a character YAML does not allow.
   */
  private void fill(int missing) {
    int keep = length - pointer;
    int[] next = new int[keep + Math.max(missing, Math.max(keep, CHUNK))];
    System.arraycopy(window, pointer, next, 0, keep);
    int n = keep;
    while (n < next.length && read < text.length() && refusedFrom < 0) {
      if (chunkLeft <= 0) { // a pair across the boundary stays in its chunk, as SnakeYAML reads it
        chunkStart = index + n;
        chunkLeft = CHUNK;
      }
      int c = text.codePointAt(read);
      read += Character.charCount(c);
      chunkLeft -= Character.charCount(c);
      next[n++] = c;
      if (!isPrintable(c)) {
        refusedFrom = chunkStart;
        refusedAt = index + n - 1;
        refused = c;
      }
    }
    moved += n;
    window = next;
    length = n;
    pointer = 0;
  }
}
