package dev.gitops.internal.plan;

import dev.gitops.model.ResourceId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fingerprint fields of the planner's apply steps' ids (a 4-byte big-endian length, then the
 * id's text {@code [group/]Kind/namespace/name} in UTF-8), written one after the other into one
 * array while the planner has each id in cache. The fingerprint then reads them in wave order from
 * this array instead of following every step to its id and name again: in a plan of 100,000
 * resources those are cache misses. Step {@code i} is the {@code i}-th id added. Single-use, not
 * thread-safe. Not part of the public API.
 */
public final class IdFields {
  private byte[] bytes;
  private int[] starts;
  private int count;
  private int used;

  /** Room for about {@code expected} ids. */
  public IdFields(int expected) {
    bytes = new byte[Math.max(64, expected * 48)];
    starts = new int[Math.max(1, expected) + 1];
  }

  /** Appends the field of {@code id} as the next step. */
  public void add(ResourceId id) {
    String group = id.group();
    int length = (group.isEmpty() ? 0 : group.length() + 1) + id.kind().length() + 1
        + id.namespace().length() + 1 + id.name().length();
    room(4 + length);
    int start = used;
    length(length);
    boolean ascii = true;
    if (!group.isEmpty()) {
      ascii = append(group);
      bytes[used++] = '/';
    }
    ascii &= append(id.kind());
    bytes[used++] = '/';
    ascii &= append(id.namespace());
    bytes[used++] = '/';
    if (!(ascii & append(id.name()))) {
      used = start;
      byte[] text = ((group.isEmpty() ? "" : group + "/") + id.kind() + "/" + id.namespace() + "/" + id.name())
          .getBytes(StandardCharsets.UTF_8); // the raw parts, not toString()'s escaped form
      room(4 + text.length);
      length(text.length);
      System.arraycopy(text, 0, bytes, used, text.length);
      used += text.length;
    }
    if (count + 1 >= starts.length) {
      starts = Arrays.copyOf(starts, starts.length * 2);
    }
    starts[count] = start;
    starts[++count] = used;
  }

  /** How many ids were added. */
  public int size() {
    return count;
  }

  /** The array holding every field; step {@code i}'s is {@code [start(i), end(i))}. */
  byte[] bytes() {
    return bytes;
  }

  int start(int step) {
    return starts[step];
  }

  int end(int step) {
    return starts[step + 1];
  }

  private void room(int more) {
    if (used + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + more));
    }
  }

  private void length(int length) {
    prefix(length, bytes, used);
    used += 4;
  }

  /** Writes a field's length prefix (4 bytes, big-endian) into {@code out} at {@code at}. */
  static void prefix(int length, byte[] out, int at) {
    out[at] = (byte) (length >>> 24);
    out[at + 1] = (byte) (length >>> 16);
    out[at + 2] = (byte) (length >>> 8);
    out[at + 3] = (byte) length;
  }

  /** Appends {@code s} a byte per char; true when it is ASCII (the bytes are then its UTF-8). */
  private boolean append(String s) {
    boolean ascii = ascii(s, bytes, used);
    used += s.length();
    return ascii;
  }

  /**
   * Writes {@code s} into {@code out} from {@code at}, a byte per char (the caller made room), and
   * returns true when {@code s} is ASCII: those bytes are then its UTF-8 form. One pass.
   */
  static boolean ascii(String s, byte[] out, int at) {
    int seen = 0;
    for (int i = 0, len = s.length(); i < len; i++) {
      char c = s.charAt(i);
      seen |= c;
      out[at + i] = (byte) c;
    }
    return seen < 0x80;
  }
}
