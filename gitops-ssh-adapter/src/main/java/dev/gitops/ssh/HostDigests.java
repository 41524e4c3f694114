package dev.gitops.ssh;

import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Resource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Files a read proves by digest instead of transferring them: the host reports mode, size, owner,
 * group and SHA-256 of each candidate (GNU {@code stat} and {@code sha256sum} over NUL-separated
 * names on standard input, never a shell line), and a file whose type, size and SHA-256 are those of
 * the desired bytes reads as those bytes. Everything else (a different digest, not a regular file,
 * an unknown owner, a missing record, a host without the tools) is read as before, bytes and all.
 * Not part of the public API.
 */
final class HostDigests {
  /** Candidates' total size from which a read asks for digests (below, the tools' start-up costs more). */
  static final long FROM_BYTES = 64L << 10;
  private static final int MAX_SECTION = 64 << 20;

  private HostDigests() {}

  /**
   * What the host reported of one candidate.
   *
   * @param rawMode the whole {@code st_mode}: type and permission bits
   * @param size bytes
   * @param owner user name ({@code UNKNOWN} when the host has none), or the user id when the read asked
   *     for numbers ({@link ReadSession#read(java.util.Set, java.util.Set, boolean, java.util.function.Consumer)})
   * @param group group name ({@code UNKNOWN} when the host has none), or the group id likewise
   */
  record Stat(int rawMode, long size, String owner, String group) {
    /** {@return true for a regular file with a user and group name (tar reports those as names)} */
    boolean plainFile() {
      return (rawMode & 0170000) == 0100000 && !owner.equals("UNKNOWN") && !group.equals("UNKNOWN");
    }
  }

  /**
   * The digest section of an answer.
   *
   * @param stats by relative path
   * @param sha256 {@code sha256:<hex>} by relative path, regular files only
   */
  record Answer(Map<String, Stat> stats, Map<String, String> sha256) {
    /** Nothing proven: every candidate is read with its bytes. */
    static final Answer NONE = new Answer(Map.of(), Map.of());
  }

  /**
   * The desired files of {@code paths} worth proving by digest: held in memory (not large), named
   * without {@code \n} or {@code \\} (which {@code sha256sum} would escape), and only when together
   * they hold at least {@link #FROM_BYTES}; otherwise none.
   */
  static Map<String, Content.Bytes> candidates(Collection<String> paths, Map<String, Content.Bytes> expected) {
    Map<String, Content.Bytes> out = new TreeMap<>();
    long bytes = 0;
    for (String p : paths) {
      Content.Bytes c = expected.get(p);
      if (c != null && !c.isLarge() && p.indexOf('\n') < 0 && p.indexOf('\\') < 0 && !p.startsWith(".gitops/")) {
        out.put(p, c);
        bytes += c.size();
      }
    }
    return bytes >= FROM_BYTES ? out : Map.of();
  }

  /** The desired files' contents held as bytes, by path. */
  static Map<String, Content.Bytes> expected(DesiredState desired) {
    Map<String, Content.Bytes> out = new HashMap<>();
    for (Resource r : desired.resources()) {
      if (r.id().isFile() && r.content() instanceof Content.Bytes bytes) {
        out.put(r.id().name(), bytes);
      }
    }
    return out;
  }

  /** Standard input of the digest step: {@code ./path} NUL-separated (so no name reads as an option). */
  static byte[] stdin(Collection<String> candidates) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String p : candidates) {
      out.writeBytes(("./" + p).getBytes(StandardCharsets.UTF_8));
      out.write(0);
    }
    return out.toByteArray();
  }

  /** Ends the {@code stat} records: no record is only this (each starts with a hexadecimal mode). */
  private static final byte[] STATS_END = "\0gitops-sums\0".getBytes(StandardCharsets.US_ASCII);
  /** Ends the {@code sha256sum} lines: no line is this (each starts with a digest or {@code \\}). */
  private static final byte[] SUMS_END = "\ngitops-digests-end\n".getBytes(StandardCharsets.US_ASCII);

  /**
   * Reads the section the script prints after the archive: {@code gitops-digests 2\n}, the
   * {@code stat} records ({@code <hex mode> <size> <user> <group> ./<path>\0}) up to
   * {@code \0gitops-sums\0}, then the {@code sha256sum} lines up to {@code \ngitops-digests-end\n};
   * or {@code gitops-digests -\n} when the host lacks the tools. Names hold neither NUL nor a line
   * break ({@link #candidates}), so neither marker can occur inside the records or lines.
   *
   * @throws IOException when the section is not what the script prints, or longer than 64 MiB
   */
  static Answer read(InputStream in) throws IOException {
    String head = TreeRead.line(in);
    if (head.equals("gitops-digests -")) {
      return Answer.NONE;
    }
    if (!head.equals("gitops-digests 2")) {
      throw new IOException("reader out of step: no digest section");
    }
    byte[] stats = until(in, STATS_END);
    byte[] sums = until(in, SUMS_END);
    return new Answer(stats(new String(stats, StandardCharsets.UTF_8)), sums(new String(sums, StandardCharsets.UTF_8)));
  }

  /**
   * The bytes before {@code end}, which is read too; at most {@link #MAX_SECTION} of them. From a
   * stream that can be reset (the reader's buffered answers) a buffer at a time, and what was read past
   * {@code end} is given back: byte by byte, a read of 1,000 files' section cost 30 ms of a command's
   * start-up in locks and tail checks. Byte by byte from any other stream.
   */
  private static byte[] until(InputStream in, byte[] end) throws IOException {
    Section out = new Section();
    byte[] chunk = new byte[in.markSupported() ? 8192 : 1];
    while (true) {
      in.mark(chunk.length);
      int n = in.read(chunk);
      if (n < 0) {
        throw new IOException("reader ended");
      }
      int from = Math.max(0, out.size() - end.length + 1);
      out.write(chunk, 0, n);
      int at = out.indexOf(end, from);
      if (at > MAX_SECTION || at < 0 && out.size() > MAX_SECTION) {
        throw new IOException("reader out of step: digest section over " + MAX_SECTION + " bytes");
      }
      if (at >= 0) {
        int past = out.size() - at - end.length; // what this read took beyond the marker: given back
        if (past > 0) {
          in.reset();
          in.skipNBytes(n - past);
        }
        return Arrays.copyOf(out.bytes(), at);
      }
    }
  }

  /** A growing buffer that can search itself without copying. */
  private static final class Section extends ByteArrayOutputStream {
    Section() {
      super(8192);
    }

    /** The first index from {@code from} at which {@code end} starts, or -1. */
    int indexOf(byte[] end, int from) {
      for (int i = from, last = count - end.length; i <= last; i++) {
        int j = 0;
        while (j < end.length && buf[i + j] == end[j]) {
          j++;
        }
        if (j == end.length) {
          return i;
        }
      }
      return -1;
    }

    byte[] bytes() {
      return buf;
    }
  }

  private static Map<String, Stat> stats(String text) {
    Map<String, Stat> out = new HashMap<>();
    for (String record : text.split("\0")) {
      String[] f = record.split(" ", 5);
      if (f.length == 5 && f[4].startsWith("./")) {
        try {
          out.put(f[4].substring(2), new Stat(Integer.parseInt(f[0], 16), Long.parseLong(f[1]), f[2], f[3]));
        } catch (NumberFormatException e) {
          // not a record of ours: the file is read with its bytes
        }
      }
    }
    return out;
  }

  /**
   * True for a {@code sha256sum} line of a name under {@code ./}: 64 lowercase hex digits, two
   * characters each a space or {@code *}, {@code ./} and a name without line terminators (what the
   * regular expression {@code [0-9a-f]{64}[ *][ *]\./.*} matches), checked a character at a time: a read
   * checks one line per file.
   */
  static boolean isSumLine(String line) {
    if (line.length() <= 68 || line.charAt(66) != '.' || line.charAt(67) != '/') {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = line.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return false;
      }
    }
    for (int i = 64; i < 66; i++) {
      if (line.charAt(i) != ' ' && line.charAt(i) != '*') {
        return false;
      }
    }
    for (int i = 68; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\r' || c == '\n' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
        return false;
      }
    }
    return true;
  }

  private static Map<String, String> sums(String text) {
    Map<String, String> out = new HashMap<>();
    for (String line : text.split("\n")) {
      if (isSumLine(line)) {
        out.put(line.substring(68), "sha256:" + line.substring(0, 64));
      }
    }
    return out;
  }
}
