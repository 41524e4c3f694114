package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.testing.ssh.OpenSshd;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: a file four times larger than the heap pushes with bounded memory, end to end. A JVM of
 * 64 MiB heap ({@link LargeFilePush}) reads a 256 MiB file (sparse, made on the fly) from the source,
 * plans, saves and reads back the plan, deploys it to a local directory or over OpenSSH on loopback,
 * then plans again: empty. The file on the target is checked byte for byte by its SHA-256.
 */
class LargeFileIT {
  private static final long SIZE = 256L << 20;
  @TempDir Path tmp;

  /** A sparse file of {@link #SIZE} bytes with a few marks, so a cut or shifted copy shows. */
  private static void sparse(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(SIZE);
      for (long at : new long[] {0, 12_345_678, SIZE / 2 + 3, SIZE - 5}) {
        f.seek(at);
        f.write(("mark@" + at).getBytes(StandardCharsets.US_ASCII), 0, 5);
      }
    }
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        d.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(d.digest());
  }

  /** Runs {@link LargeFilePush} in a 64 MiB heap; returns its output after checking it succeeded. */
  private String push(List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-cp", System.getProperty("java.class.path"), LargeFilePush.class.getName()));
    command.addAll(args);
    Path log = tmp.resolve("push.log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
    }
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  private void check(String out, Path site) throws Exception {
    assertTrue(out.contains("plan: Plan: 2 to create, 0 to update, 0 to delete, 0 to adopt."), out);
    assertTrue(out.contains("saved plan holds base64 of the large file: false"), out);
    assertTrue(out.contains("deployed: true"), out);
    assertTrue(out.contains("plan again: empty"), out);
    assertTrue(out.contains("max heap: ") && Long.parseLong(out.replaceAll("(?s).*max heap: (\\d+).*", "$1")) <= 64L << 20, out);
    long saved = Long.parseLong(out.replaceAll("(?s).*saved plan bytes: (\\d+).*", "$1"));
    assertTrue(saved < 64 * 1024, "the saved plan holds size and digest, not the file: " + saved + " bytes");
    assertEquals(SIZE, Files.size(site.resolve("img/disk.img")));
    assertEquals(sha256(tmp.resolve("src/img/disk.img")), sha256(site.resolve("img/disk.img")));
    assertEquals("port=80\n", Files.readString(site.resolve("app.conf")));
  }

  private Path source() throws IOException {
    Path src = tmp.resolve("src");
    sparse(src.resolve("img/disk.img"));
    Files.writeString(src.resolve("app.conf"), "port=80\n");
    return src;
  }

  @Test
  void aFileFourTimesTheHeapPushesToALocalDirectoryThenPlansEmpty() throws Exception {
    Path src = source();
    Path site = tmp.resolve("site");
    check(push(List.of("dir", src.toString(), "local", site.toString())), site);
  }

  @Test
  void aFileFourTimesTheHeapPushesOverOpenSshThenPlansEmpty() throws Exception {
    assumeTrue(OpenSshd.available(), "OpenSSH sshd not installed at /usr/sbin/sshd: skipping");
    Path src = source();
    Path site = tmp.resolve("site");
    try (OpenSshd sshd = OpenSshd.start(tmp.resolve("sshd"))) {
      check(push(List.of("dir", src.toString(), "ssh", site.toString(), String.valueOf(sshd.port()),
          OpenSshd.user(), sshd.userKey().toString(), sshd.knownHosts().toString())), site);
    }
  }
}
