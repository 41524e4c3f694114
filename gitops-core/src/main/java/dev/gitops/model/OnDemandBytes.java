package dev.gitops.model;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/** A small file's bytes, read once when first asked for and checked against size and digest. */
final class OnDemandBytes {
  private final Content.Opener opener;
  private final long size;
  private final String sha256;
  private volatile byte[] bytes;

  OnDemandBytes(Content.Opener opener, long size, String sha256) {
    this.opener = Objects.requireNonNull(opener, "opener");
    this.size = size;
    this.sha256 = sha256;
  }

  byte[] bytes() {
    byte[] b = bytes;
    if (b == null) {
      synchronized (this) {
        b = bytes;
        if (b == null) {
          b = read();
          bytes = b;
        }
      }
    }
    return b;
  }

  private byte[] read() {
    try (InputStream in = new CheckedStream(opener.open(), size, sha256)) {
      return in.readAllBytes(); // to its end, where the stream checks size and digest
    } catch (IOException e) {
      throw new IllegalStateException("cannot read a file of " + size + " bytes (" + sha256 + "): "
          + e.getMessage(), e);
    }
  }
}
