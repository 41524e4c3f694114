package dev.gitops.model;

import dev.gitops.internal.Digests;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * The bytes of a large file held by reference, counted and digested as they are read: at their
 * end, an {@link IOException} when they are not the size and SHA-256 the content was made with (the
 * file changed since it was read). So a writer that reads to the end before it renames a file into
 * place never installs other bytes than the plan showed. Not thread-safe.
 */
final class CheckedStream extends FilterInputStream {
  private final long size;
  private final String sha256;
  private final MessageDigest digest = Digests.sha256();
  private long read;
  private String failure;
  private boolean checked;

  CheckedStream(InputStream in, long size, String sha256) {
    super(in);
    this.size = size;
    this.sha256 = sha256;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b < 0) {
      check();
    } else {
      digest.update((byte) b);
      grew(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = in.read(buf, off, len);
    if (n < 0) {
      check();
    } else {
      digest.update(buf, off, n);
      grew(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("a checked stream is read, not skipped");
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void grew(int n) throws IOException {
    read += n;
    if (read > size) {
      throw new IOException("the file changed since it was read: it has more than the " + size
          + " bytes it had (" + sha256 + ")");
    }
  }

  private void check() throws IOException {
    if (!checked) {
      checked = true;
      String found = Digests.format(digest);
      if (read != size || !found.equals(sha256)) {
        failure = "the file changed since it was read: " + read + " bytes, " + found + " where " + size
            + " bytes, " + sha256 + " were planned";
      }
    }
    if (failure != null) {
      throw new IOException(failure);
    }
  }
}
