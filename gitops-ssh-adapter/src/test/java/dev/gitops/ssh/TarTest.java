package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader on what GNU tar writes on this machine (pax and GNU formats), and on edge cases of the format. */
class TarTest {
  private static final String NAME = "dé/ünïcødé-日本語.txt";
  private static final String OWNER = "ünïcødé-ünïcødé-ünïcødé-owner";
  private static final String GROUP = "grüppe-grüppe-grüppe-grüppe-g";
  private static final long GIB = 1L << 30;

  @TempDir
  Path dir;

  @Test
  void paxNamesAndOwnersInUtf8AreReadWhole() throws Exception {
    byte[] tar = paxArchive();
    Tar.Entry e = only(Tar.parse(tar, 0));
    assertEquals(NAME, e.name());
    assertEquals(OWNER, e.owner(), "the header's 32-byte field cuts this name inside a character");
    assertEquals(GROUP, e.group());
    assertEquals(0640, e.mode());
    assertArrayEquals("hello\n".getBytes(StandardCharsets.UTF_8), e.data());
    assertArrayEquals(tar, Tar.copyArchive(Tape.of(tar)));
  }

  @Test
  void paxRecordLengthsCountBytesWhateverTheRecordOrder() throws Exception {
    byte[] tar = paxArchive();
    byte[] reordered = pathRecordLast(tar);
    Tar.Entry e = only(Tar.parse(reordered, 0));
    assertEquals(NAME, e.name());
    assertEquals(OWNER, e.owner());
    assertArrayEquals(reordered, Tar.copyArchive(Tape.of(reordered)));
  }

  @Test
  void gnuLongNamesInUtf8AreReadWhole() throws Exception {
    String name = "ü".repeat(60) + "/日本語-" + "é".repeat(40) + ".txt";
    write(name, "x");
    Tar.Entry e = only(Tar.parse(tar("--format=gnu", "-cf", "-", name), 0));
    assertEquals(name, e.name());
    assertArrayEquals(new byte[] {'x'}, e.data());
  }

  @Test
  void sizesAboveTwoGibibytesAreReadAsLongsInEveryEncoding() throws Exception {
    for (String[] c : new String[][] {{"gnu", "3"}, {"gnu", "9"}, {"posix", "3"}, {"posix", "9"}}) {
      long size = Long.parseLong(c[1]) * GIB;
      byte[] head = headerOf(c[0], size);
      // the whole archive as tar wrote it, the data of the member being zeros: sparse file
      byte[] end = new byte[1024];
      Tape tape = Tape.of(head).zeros(size).bytes(end).bytes("gitops-end 0\n".getBytes(StandardCharsets.US_ASCII));
      IOException e = assertThrows(IOException.class, () -> Tar.copyArchive(tape), c[0]);
      assertTrue(e.getMessage().contains("big is " + size + " bytes"), c[0] + ": " + e.getMessage());
      assertEquals("gitops-end 0\n", new String(tape.readAllBytes(), StandardCharsets.US_ASCII),
          c[0] + " " + c[1] + " GiB: the stream is left just past the archive");
      IOException p = assertThrows(IOException.class, () -> Tar.parse(concat(head, end), 0));
      assertTrue(p.getMessage().contains("big (" + size + " bytes)"), c[0] + ": " + p.getMessage());
    }
  }

  @Test
  void membersThatFitTogetherButNotInOneReadAreRefusedAfterTheArchive() throws Exception {
    write("a", "a".repeat(3000));
    write("b", "b".repeat(3000));
    byte[] tar = tar("--format=gnu", "-cf", "-", "a", "b");
    assertEquals(tar.length, Tar.copyArchive(Tape.of(tar), tar.length).length);
    Tape tape = Tape.of(tar).bytes(new byte[] {'!'});
    IOException e = assertThrows(IOException.class, () -> Tar.copyArchive(tape, 6 * 1024));
    assertTrue(e.getMessage().startsWith("tar member b is 3000 bytes"), e.getMessage());
    assertTrue(e.getMessage().contains("with the members before it"), e.getMessage());
    assertEquals('!', tape.read());
  }

  @Test
  void malformedStreamsAreRefused() throws Exception {
    byte[] tar = paxArchive();
    byte[] bad = tar.clone();
    bad[0x20] ^= 1;
    assertThrows(IOException.class, () -> Tar.parse(bad, 0), "checksum");
    assertThrows(IOException.class, () -> Tar.parse(Arrays.copyOf(tar, 1536), 0), "truncated");
    assertThrows(IOException.class, () -> Tar.copyArchive(Tape.of(Arrays.copyOf(tar, 1536))), "ended early");
    byte[] record = withPaxData(tar, "99 path=x\n".getBytes(StandardCharsets.UTF_8));
    assertThrows(IOException.class, () -> Tar.parse(record, 0), "a record longer than its header");
  }

  // --- archives GNU tar writes

  private byte[] paxArchive() throws Exception {
    write(NAME, "hello\n");
    Files.setPosixFilePermissions(dir.resolve(NAME), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
    return tar("--format=posix", "--owner=" + OWNER + ":1000", "--group=" + GROUP + ":1000", "-cf", "-", NAME);
  }

  /** The first blocks tar writes for a sparse file of {@code size} bytes named {@code big}: its headers. */
  private byte[] headerOf(String format, long size) throws Exception {
    Path big = dir.resolve("big");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(size);
    }
    Process p = start("--format=" + format, "-cf", "-", "big");
    byte[] head;
    try (InputStream out = p.getInputStream()) {
      head = out.readNBytes(format.equals("posix") ? 1536 : 512);
    } finally {
      p.destroyForcibly().waitFor();
    }
    Files.delete(big);
    return head;
  }

  private byte[] tar(String... args) throws Exception {
    Process p = start(args);
    byte[] out = p.getInputStream().readAllBytes();
    assertEquals(0, p.waitFor(), "tar " + String.join(" ", args));
    return out;
  }

  private Process start(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("tar", "--mtime=@0", "-b", "1"));
    cmd.addAll(List.of(args));
    ProcessBuilder b = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
    b.environment().put("LC_ALL", "C.UTF-8");
    return b.start();
  }

  private void write(String name, String text) throws IOException {
    Files.createDirectories(dir.resolve(name).getParent());
    Files.writeString(dir.resolve(name), text);
  }

  // --- editing an archive: the pax header of the first member

  /** The archive with the first member's pax {@code path} record moved after the others. */
  private static byte[] pathRecordLast(byte[] tar) {
    String records = new String(paxData(tar), StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(List.of(records.split("(?<=\n)")));
    String path = lines.stream().filter(l -> l.contains(" path=")).findFirst().orElseThrow();
    lines.remove(path);
    lines.add(path);
    assertTrue(lines.subList(0, lines.size() - 1).stream()
        .anyMatch(l -> l.getBytes(StandardCharsets.UTF_8).length != l.length()),
        "a record with multi-byte text now comes before path: " + lines);
    return withPaxData(tar, String.join("", lines).getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] paxData(byte[] tar) {
    assertEquals('x', tar[156]);
    int size = Integer.parseInt(new String(tar, 124, 11, StandardCharsets.US_ASCII).trim(), 8);
    return Arrays.copyOfRange(tar, 512, 512 + size);
  }

  /** The archive with the first member's pax data replaced (same block count), header size and checksum fixed. */
  private static byte[] withPaxData(byte[] tar, byte[] data) {
    byte[] out = tar.clone();
    Arrays.fill(out, 512, 1024, (byte) 0);
    System.arraycopy(data, 0, out, 512, data.length);
    byte[] size = String.format("%011o\0", data.length).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(size, 0, out, 124, 12);
    Arrays.fill(out, 148, 156, (byte) ' ');
    int sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += out[i] & 0xff;
    }
    byte[] check = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(check, 0, out, 148, 8);
    return out;
  }

  private static Tar.Entry only(List<Tar.Entry> entries) {
    assertEquals(1, entries.size(), entries.toString());
    return entries.get(0);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }

  /** A stream of byte arrays and runs of zeros, which skips runs without producing them. */
  private static final class Tape extends InputStream {
    private final List<Object> parts = new ArrayList<>();
    private long at;

    static Tape of(byte[] bytes) {
      return new Tape().bytes(bytes);
    }

    Tape bytes(byte[] bytes) {
      parts.add(bytes);
      return this;
    }

    Tape zeros(long count) {
      parts.add(count);
      return this;
    }

    private long length(Object part) {
      return part instanceof byte[] b ? b.length : (Long) part;
    }

    @Override
    public int read() {
      while (!parts.isEmpty() && at == length(parts.get(0))) {
        parts.remove(0);
        at = 0;
      }
      if (parts.isEmpty()) {
        return -1;
      }
      Object part = parts.get(0);
      int b = part instanceof byte[] bytes ? bytes[(int) at] & 0xff : 0;
      at++;
      return b;
    }

    @Override
    public int read(byte[] into, int off, int len) {
      int n = 0;
      while (n < len) {
        int b = read();
        if (b < 0) {
          return n == 0 ? -1 : n;
        }
        into[off + n++] = (byte) b;
      }
      return n;
    }

    @Override
    public long skip(long n) {
      long skipped = 0;
      while (skipped < n && !parts.isEmpty()) {
        long step = Math.min(n - skipped, length(parts.get(0)) - at);
        at += step;
        skipped += step;
        if (at == length(parts.get(0))) {
          parts.remove(0);
          at = 0;
        }
      }
      return skipped;
    }
  }
}
