package dev.gitops.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;

/**
 * A blob's bytes as a stream of their own, for a file whose bytes are read after the tree was (held by
 * reference, or read on demand): inflated as read, its reader released when the stream closes.
 */
final class BlobStream {
  private BlobStream() {}

  /** A stream of {@code blob}'s bytes from {@code repo}; closing it releases the reader it opened. */
  static InputStream open(Repository repo, ObjectId blob) throws IOException {
    ObjectReader reader = repo.newObjectReader();
    try {
      InputStream in = reader.open(blob).openStream();
      return new FilterInputStream(in) {
        @Override
        public void close() throws IOException {
          try {
            super.close();
          } finally {
            reader.close();
          }
        }
      };
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
  }
}
