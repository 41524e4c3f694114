package dev.gitops.ssh.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the tar stream (GNU or ustar, with GNU long names and pax path records) that the read
 * script prints: one entry per path, with type, mode, owner names and, for regular files, the bytes.
 * Not part of the public API.
 */
public final class Tar {
  private Tar() {}

  /** Entry types. */
  public enum Type { FILE, DIRECTORY, SYMLINK, OTHER }

  /**
   * One member.
   *
   * @param name path as archived, without a leading {@code ./} or trailing {@code /}
   * @param type what it is
   * @param mode permission bits
   * @param owner user name
   * @param group group name
   * @param data bytes of a regular file, empty otherwise
   */
  public record Entry(String name, Type type, int mode, String owner, String group, byte[] data) {
    @Override
    public String toString() {
      return "Entry[" + name + ", " + type + "]";
    }
  }

  /**
   * Parses {@code buf} from {@code offset}.
   *
   * @throws IOException when the stream is truncated or malformed (no end-of-archive marker)
   */
  public static List<Entry> parse(byte[] buf, int offset) throws IOException {
    List<Entry> entries = new ArrayList<>();
    int pos = offset;
    String longName = null;
    while (true) {
      int header = pos;
      if (header + 512 > buf.length) {
        throw new IOException("tar stream truncated at byte " + header);
      }
      if (isZero(buf, header)) {
        return entries;
      }
      checkSum(buf, header);
      long size = number(buf, header + 124, 12);
      char flag = (char) buf[header + 156];
      if (size < 0 || header + 512 + size > buf.length) {
        throw new IOException("tar member larger than the stream at byte " + header);
      }
      byte[] data = Arrays.copyOfRange(buf, header + 512, header + 512 + (int) size);
      pos = header + 512 + (int) ((size + 511) / 512 * 512);
      if (flag == 'L') {
        longName = cString(data, 0, data.length);
      } else if (flag == 'x') {
        String path = paxPath(data);
        longName = path != null ? path : longName;
      } else if (flag != 'g' && flag != 'K') {
        String name = longName != null ? longName : headerName(buf, header);
        longName = null;
        Type type = type(flag);
        entries.add(new Entry(clean(name), type, (int) number(buf, header + 100, 8) & 07777,
            cString(buf, header + 265, 32), cString(buf, header + 297, 32),
            type == Type.FILE ? data : new byte[0]));
      }
    }
  }

  /**
   * Copies one archive from {@code in}, up to and including its end-of-archive marker (two zero
   * blocks), following member sizes so that zero blocks inside file data are never mistaken for it.
   *
   * @throws IOException when the stream ends first
   */
  public static byte[] copyArchive(java.io.InputStream in) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] block = new byte[512];
    while (true) {
      readFully(in, block);
      out.write(block);
      if (isZero(block, 0)) {
        readFully(in, block);
        out.write(block);
        return out.toByteArray();
      }
      long size = number(block, 124, 12);
      long padded = (size + 511) / 512 * 512;
      for (long done = 0; done < padded; done += 512) {
        readFully(in, block);
        out.write(block);
      }
    }
  }

  private static void readFully(java.io.InputStream in, byte[] block) throws IOException {
    int n = in.readNBytes(block, 0, block.length);
    if (n < block.length) {
      throw new IOException("tar stream ended early");
    }
  }

  private static String headerName(byte[] buf, int header) {
    String name = cString(buf, header, 100);
    String magic = new String(buf, header + 257, 6, StandardCharsets.US_ASCII);
    if (magic.equals("ustar\0")) {
      String prefix = cString(buf, header + 345, 155);
      if (!prefix.isEmpty()) {
        return prefix + "/" + name;
      }
    }
    return name;
  }

  private static Type type(char flag) {
    return switch (flag) {
      case '0', '\0', '7' -> Type.FILE;
      case '5' -> Type.DIRECTORY;
      case '2' -> Type.SYMLINK;
      default -> Type.OTHER;
    };
  }

  private static String clean(String name) {
    String n = name;
    while (n.startsWith("./")) {
      n = n.substring(2);
    }
    while (n.length() > 1 && n.endsWith("/")) {
      n = n.substring(0, n.length() - 1);
    }
    return n.isEmpty() || n.equals("./") ? "." : n;
  }

  private static String paxPath(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    int i = 0;
    while (i < data.length) {
      int space = text.indexOf(' ', i);
      if (space < 0) {
        break;
      }
      int len = Integer.parseInt(text.substring(i, space));
      byte[] rec = Arrays.copyOfRange(data, i, i + len);
      String record = new String(rec, StandardCharsets.UTF_8);
      int eq = record.indexOf('=');
      String key = record.substring(record.indexOf(' ') + 1, eq);
      if (key.equals("path")) {
        return record.substring(eq + 1, record.length() - 1);
      }
      i += len;
    }
    return null;
  }

  private static boolean isZero(byte[] buf, int pos) {
    for (int i = pos; i < pos + 512; i++) {
      if (buf[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static void checkSum(byte[] buf, int pos) throws IOException {
    long expected = number(buf, pos + 148, 8);
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : buf[pos + i] & 0xff;
    }
    if (sum != expected) {
      throw new IOException("tar header checksum mismatch at byte " + pos);
    }
  }

  private static long number(byte[] buf, int at, int len) {
    if ((buf[at] & 0x80) != 0) {
      long v = buf[at] & 0x7f;
      for (int i = 1; i < len; i++) {
        v = (v << 8) | (buf[at + i] & 0xff);
      }
      return v;
    }
    long v = 0;
    for (int i = at; i < at + len; i++) {
      byte b = buf[i];
      if (b >= '0' && b <= '7') {
        v = v * 8 + (b - '0');
      } else if (b == 0 || (b == ' ' && v > 0)) {
        break;
      }
    }
    return v;
  }

  private static String cString(byte[] buf, int at, int len) {
    int end = at;
    while (end < at + len && end < buf.length && buf[end] != 0) {
      end++;
    }
    return new String(buf, at, end - at, StandardCharsets.UTF_8);
  }
}
