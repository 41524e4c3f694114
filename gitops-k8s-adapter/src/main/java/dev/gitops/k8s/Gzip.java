package dev.gitops.k8s;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The bytes {@link GZIPOutputStream} writes for a whole input, from a few reused deflaters: a new
 * {@code GZIPOutputStream} sets up (and zeroes) zlib's window and hash tables for every record,
 * which a fleet's cold start pays for every object it creates. Thread-safe.
 */
final class Gzip {
  /** The header {@code GZIPOutputStream} writes on this JVM (its OS byte varies by version). */
  private static final byte[] HEADER = header();
  private static final BlockingQueue<Deflater> IDLE = new ArrayBlockingQueue<>(8);

  private Gzip() {}

  /** The gzip member of {@code data}, byte for byte as {@code GZIPOutputStream} makes it. */
  static byte[] of(byte[] data) {
    Deflater deflater = IDLE.poll();
    if (deflater == null) {
      deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
      out.write(HEADER, 0, HEADER.length);
      deflater.setInput(data);
      deflater.finish();
      byte[] buf = new byte[Math.max(512, data.length / 2)];
      while (!deflater.finished()) {
        out.write(buf, 0, deflater.deflate(buf));
      }
      CRC32 crc = new CRC32();
      crc.update(data);
      int size = data.length; // modulo 2^32, as the trailer wants it
      long sum = crc.getValue();
      byte[] trailer = {(byte) sum, (byte) (sum >> 8), (byte) (sum >> 16), (byte) (sum >> 24),
          (byte) size, (byte) (size >> 8), (byte) (size >> 16), (byte) (size >> 24)};
      out.write(trailer, 0, trailer.length);
      return out.toByteArray();
    } finally {
      deflater.reset();
      if (!IDLE.offer(deflater)) {
        deflater.end();
      }
    }
  }

  private static byte[] header() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Arrays.copyOf(out.toByteArray(), 10);
  }
}
