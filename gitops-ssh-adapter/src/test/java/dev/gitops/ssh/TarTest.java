package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
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
  private static final String BIG = TargetPaths.STATE_DIR + "/big";

  @TempDir
  Path dir;

  @Test
  void paxNamesAndOwnersInUtf8AreReadWhole() throws Exception {
    byte[] tar = paxArchive();
    ByteArrayInputStream in = new ByteArrayInputStream(Arrays.copyOf(tar, tar.length + 1));
    Tar.Entry e = only(Tar.read(in));
    assertEquals(NAME, e.name());
    assertEquals(OWNER, e.owner(), "the header's 32-byte field cuts this name inside a character");
    assertEquals(GROUP, e.group());
    assertEquals(0640, e.mode());
    assertArrayEquals("hello\n".getBytes(StandardCharsets.UTF_8), e.data());
    assertEquals(1, in.available(), "the stream is left just past the archive's end marker");
  }

  @Test
  void paxRecordLengthsCountBytesWhateverTheRecordOrder() throws Exception {
    byte[] reordered = pathRecordLast(paxArchive());
    Tar.Entry e = only(read(reordered));
    assertEquals(NAME, e.name());
    assertEquals(OWNER, e.owner());
  }

  @Test
  void gnuLongNamesInUtf8AreReadWhole() throws Exception {
    String name = "ü".repeat(60) + "/日本語-" + "é".repeat(40) + ".txt";
    write(name, "x");
    Tar.Entry e = only(read(tar("--format=gnu", "-cf", "-", name)));
    assertEquals(name, e.name());
    assertArrayEquals(new byte[] {'x'}, e.data());
  }

  @Test
  void sizesAboveTwoGibibytesAreReadAsLongsInEveryEncoding() throws Exception {
    for (String[] c : new String[][] {{"gnu", "3"}, {"gnu", "9"}, {"posix", "3"}, {"posix", "9"}}) {
      long size = Long.parseLong(c[1]) * GIB;
      // a state file is held in memory, so one this size is refused, naming the size its header gave
      byte[] head = headerOf(c[0], size);
      IOException e = assertThrows(IOException.class, () -> read(head), c[0]);
      assertTrue(e.getMessage().contains(BIG + " is " + size + " bytes"), c[0] + ": " + e.getMessage());
    }
  }

  /**
   * A host's answer whose header claims a state file just under its limit (256 MiB) and then ends:
   * the read fails as ended early, having held no more than what came (before, it made the whole
   * array first, so a few hostile headers from several targets at once could end the JVM with
   * OutOfMemoryError). Past the limit the header alone is refused ({@code StateFileBoundsIT}).
   */
  @Test
  void aHeaderThatClaimsAHugeMemberAllocatesOnlyWhatArrives() throws Exception {
    byte[] head = headerOf("gnu", BoundedReads.INVENTORY - 4096L);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    IOException e = assertThrows(IOException.class, () -> read(Arrays.copyOf(head, head.length + 4096)));
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(e.getMessage().contains("ended early"), e.getMessage());
    assertTrue(allocated < 64L << 20, "allocated " + allocated + " bytes for 4 KiB that came");
  }

  @Test
  void malformedStreamsAreRefused() throws Exception {
    byte[] tar = paxArchive();
    byte[] bad = tar.clone();
    bad[0x20] ^= 1;
    assertThrows(IOException.class, () -> read(bad), "checksum");
    assertThrows(IOException.class, () -> read(Arrays.copyOf(tar, 1536)), "ended early");
    byte[] record = withPaxData(tar, "99 path=x\n".getBytes(StandardCharsets.UTF_8));
    assertThrows(IOException.class, () -> read(record), "a record longer than its header");
  }

  private static List<Tar.Entry> read(byte[] tar) throws IOException {
    return Tar.read(new ByteArrayInputStream(tar));
  }

  // --- archives GNU tar writes

  private byte[] paxArchive() throws Exception {
    write(NAME, "hello\n");
    Files.setPosixFilePermissions(dir.resolve(NAME), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
    return tar("--format=posix", "--owner=" + OWNER + ":1000", "--group=" + GROUP + ":1000", "-cf", "-", NAME);
  }

  /** The first blocks tar writes for a sparse state file of {@code size} bytes ({@link #BIG}): its headers. */
  private byte[] headerOf(String format, long size) throws Exception {
    Path big = dir.resolve(BIG);
    Files.createDirectories(big.getParent());
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(size);
    }
    Process p = start("--format=" + format, "-cf", "-", BIG);
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
}
