package dev.gitops.ssh;

import dev.gitops.model.Content;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the tar stream that the read script prints (GNU, ustar or pax, as GNU tar and bsdtar write
 * them): one entry per path, with type, mode, owner names and, for regular files, the bytes.
 *
 * <p>Sizes are {@code long} throughout: octal, GNU base-256 (above 8 GiB) and the pax {@code size}
 * record, which overrides the header's. A regular file over
 * {@link Content.Bytes#LARGE} bytes outside the state folder is digested as it streams by; any other
 * member is held in memory, so one over {@value #MAX_READ} bytes (what a Java array holds) is an
 * {@link IOException} naming the member and its size. Extended headers are decoded as bytes: a pax
 * record's length counts bytes, and {@code path}, {@code uname} and {@code gname} are UTF-8 text of
 * any length (the header's 32-byte owner fields may be cut inside a character). GNU long names
 * ({@code L}) are read too; global pax headers and long link names are skipped. Not part of the
 * public API.
 */
final class Tar {
  /** The most bytes one member held in memory may have. */
  public static final int MAX_READ = Integer.MAX_VALUE - 1024;
  private static final int MAX_EXTENDED = 1 << 20;
  private static final int BLOCK = 512;

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
   * @param data bytes of a regular file, empty otherwise (and for a large one, see {@code sha256})
   * @param size a regular file's length in bytes
   * @param sha256 for a large regular file read by {@link #read(InputStream)}, the SHA-256 of its
   *     bytes ({@code sha256:<hex>}), which were not kept; null otherwise
   * @param uid the numeric owner, {@code -1} when unknown
   */
  public record Entry(String name, Type type, int mode, String owner, String group, byte[] data, long size,
                      String sha256, int uid) {
    /** An entry whose numeric owner is unknown. */
    public Entry(String name, Type type, int mode, String owner, String group, byte[] data, long size,
                 String sha256) {
      this(name, type, mode, owner, group, data, size, sha256, -1);
    }

    /** An entry whose bytes, if any, are held: size from them, no digest, owner unknown by number. */
    public Entry(String name, Type type, int mode, String owner, String group, byte[] data) {
      this(name, type, mode, owner, group, data, data.length, null);
    }

    @Override
    public String toString() {
      return "Entry[" + name + ", " + type + "]";
    }
  }

  /**
   * Reads one archive from {@code in}, up to and including its end-of-archive marker, a member's
   * data at a time: a regular file over {@link Content.Bytes#LARGE} bytes (outside the state folder
   * {@code .gitops/}) is digested as it streams by, never held ({@link Entry#sha256()}), so a read
   * holds at most {@code LARGE} bytes of any file of the tree whatever its size.
   *
   * @throws IOException when the stream ends first or is malformed, or a state file is over
   *     {@value #MAX_READ} bytes
   */
  public static List<Entry> read(InputStream in) throws IOException {
    List<Entry> entries = new ArrayList<>();
    Extended ext = new Extended();
    byte[] header = new byte[BLOCK];
    long pos = 0;
    while (true) {
      readFully(in, header, BLOCK);
      if (isZero(header)) {
        readFully(in, header, BLOCK);
        return entries;
      }
      checkSum(header, pos);
      long size = ext.size(header);
      long padded = padded(size);
      char flag = (char) header[156];
      String name = clean(ext.name(header));
      if (!isExtended(flag) && type(flag) == Type.FILE && size > Content.Bytes.LARGE
          && !name.startsWith(TargetPaths.STATE_DIR + "/")) {
        entries.add(ext.large(header, size, digest(in, size)));
        in.skipNBytes(padded - size);
      } else {
        if (name.startsWith(TargetPaths.STATE_DIR + "/")) {
          BoundedReads.Exceeded.check(name, size);
        }
        if (padded > MAX_READ) {
          throw new IOException("tar member " + ext.name(header) + " is " + size + " bytes, over the "
              + MAX_READ + " bytes one read holds");
        }
        byte[] data = in.readNBytes((int) padded); // grows with what arrives: a header's size is the host's word
        if (data.length < padded) {
          throw new IOException("tar stream ended early");
        }
        Entry e = ext.accept(header, Arrays.copyOf(data, (int) size));
        if (e != null) {
          entries.add(e);
        }
      }
      pos += BLOCK + padded;
    }
  }

  /** The SHA-256 of the next {@code size} bytes of {@code in}, read a buffer at a time. */
  private static String digest(InputStream in, long size) throws IOException {
    MessageDigest d = sha256();
    byte[] buf = new byte[64 * 1024];
    for (long left = size; left > 0; ) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new IOException("tar stream ended early");
      }
      d.update(buf, 0, n);
      left -= n;
    }
    return "sha256:" + HexFormat.of().formatHex(d.digest());
  }

  private static boolean isExtended(char flag) {
    return flag == 'x' || flag == 'g' || flag == 'L' || flag == 'K';
  }

  /**
   * What the extended headers before a member said ({@code x} records, a GNU long name), applied to
   * the next member and then forgotten.
   */
  private static final class Extended {
    private String path;
    private Long size;
    private String owner;
    private String group;

    /** The size of the member whose header this is: a pax {@code size} record wins. */
    long size(byte[] header) throws IOException {
      boolean extended = isExtended((char) header[156]);
      long s = !extended && size != null ? size : number(header, 124, 12);
      if (s < 0) {
        throw new IOException("tar member " + name(header) + " has a negative size");
      }
      if (extended && s > MAX_EXTENDED) {
        throw new IOException("tar extended header of " + s + " bytes, over " + MAX_EXTENDED);
      }
      return s;
    }

    /** The member's name: a pax {@code path} or GNU long name wins over the header's. */
    String name(byte[] header) {
      return path != null ? path : headerName(header);
    }

    /** The entry of a large regular file whose bytes were digested (as {@code sha256}), not kept. */
    Entry large(byte[] header, long length, String sha256) {
      Entry e = new Entry(clean(name(header)), Type.FILE, (int) number(header, 100, 8) & 07777,
          owner != null ? owner : cString(header, 265, 32), group != null ? group : cString(header, 297, 32),
          new byte[0], length, sha256, uid(header));
      path = null;
      size = null;
      owner = null;
      group = null;
      return e;
    }

    /** Takes one header and its data: an entry for a member, or null for an extended header. */
    Entry accept(byte[] header, byte[] data) throws IOException {
      char flag = (char) header[156];
      switch (flag) {
        case 'x' -> {
          records(data);
          return null;
        }
        case 'L' -> {
          path = cString(data, 0, data.length);
          return null;
        }
        case 'g', 'K' -> {
          return null;
        }
        default -> {
          Type type = type(flag);
          Entry e = new Entry(clean(name(header)), type, (int) number(header, 100, 8) & 07777,
              owner != null ? owner : cString(header, 265, 32),
              group != null ? group : cString(header, 297, 32), type == Type.FILE ? data : new byte[0],
              type == Type.FILE ? data.length : 0, null, uid(header));
          path = null;
          size = null;
          owner = null;
          group = null;
          return e;
        }
      }
    }

    /** Pax records {@code "<length> <key>=<value>\n"}, the length counting bytes. */
    private void records(byte[] data) throws IOException {
      int i = 0;
      while (i < data.length && data[i] != 0) {
        int space = indexOf(data, (byte) ' ', i);
        long len = space > i && space - i <= 10 ? decimal(data, i, space) : -1;
        int eq = space < 0 ? -1 : indexOf(data, (byte) '=', space + 1);
        if (len <= 0 || len > data.length - i || eq < 0 || eq >= i + len || data[(int) (i + len - 1)] != '\n') {
          throw new IOException("malformed pax record at byte " + i + " of an extended header");
        }
        int end = (int) (i + len - 1);
        String key = new String(data, space + 1, eq - space - 1, StandardCharsets.UTF_8);
        String value = new String(data, eq + 1, end - eq - 1, StandardCharsets.UTF_8);
        switch (key) {
          case "path" -> path = value;
          case "uname" -> owner = value;
          case "gname" -> group = value;
          case "size" -> size = sizeRecord(value);
          default -> { }
        }
        i = (int) (i + len);
      }
    }

    private static long sizeRecord(String value) throws IOException {
      if (!value.matches("[0-9]{1,19}")) {
        throw new IOException("malformed pax size record '" + value + "'");
      }
      return Long.parseLong(value);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  private static long decimal(byte[] data, int from, int to) {
    long v = 0;
    for (int k = from; k < to; k++) {
      if (data[k] < '0' || data[k] > '9') {
        return -1;
      }
      v = v * 10 + (data[k] - '0');
    }
    return v;
  }

  private static int indexOf(byte[] data, byte b, int from) {
    for (int k = from; k < data.length; k++) {
      if (data[k] == b) {
        return k;
      }
    }
    return -1;
  }

  private static long padded(long size) {
    return (size + BLOCK - 1) / BLOCK * BLOCK;
  }

  private static void readFully(InputStream in, byte[] into, int length) throws IOException {
    if (in.readNBytes(into, 0, length) < length) {
      throw new IOException("tar stream ended early");
    }
  }

  private static String headerName(byte[] header) {
    String name = cString(header, 0, 100);
    String magic = new String(header, 257, 6, StandardCharsets.US_ASCII);
    if (magic.equals("ustar\0")) {
      String prefix = cString(header, 345, 155);
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

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static void checkSum(byte[] header, long at) throws IOException {
    long expected = number(header, 148, 8);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : header[i] & 0xff;
    }
    if (sum != expected) {
      throw new IOException("tar header checksum mismatch at byte " + at);
    }
  }

  /** An octal field, or GNU base-256 when the high bit is set (negative when the first byte is 0xff). */
  /** The header's numeric owner, {@code -1} when it does not fit. */
  private static int uid(byte[] header) {
    long uid = number(header, 108, 8);
    return uid >= 0 && uid <= Integer.MAX_VALUE ? (int) uid : -1;
  }

    private static long number(byte[] buf, int at, int len) {
    if ((buf[at] & 0x80) != 0) {
      if ((buf[at] & 0xff) == 0xff) {
        return -1;
      }
      long v = buf[at] & 0x7f;
      for (int i = 1; i < len; i++) {
        if ((v >>> 55) != 0) {
          return -1;
        }
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
