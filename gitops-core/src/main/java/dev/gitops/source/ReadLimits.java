package dev.gitops.source;

/**
 * How much a {@link GitSource} reads from one commit, or a {@link DirectorySource} from its directory:
 * the files its path and globs select, and the bytes those hold together, each occurrence counted (a
 * blob under two names, or a file and a symbolic link to it, held twice). Checked from the tree and
 * each blob's header, or from each file's size, before the bytes are read. Not part of the public API.
 *
 * @param files the most files selected; at least 1
 * @param bytes the most bytes they hold together; at least 1
 */
record ReadLimits(int files, long bytes) {
  /** 100,000 files and 1 GiB: many times a repository of manifests, far below a heap's end. */
  static final ReadLimits DEFAULTS = new ReadLimits(100_000, 1L << 30);

  ReadLimits {
    if (files < 1 || bytes < 1) {
      throw new IllegalArgumentException("limits must be at least 1 file and 1 byte, not " + files + " files and "
          + bytes + " bytes");
    }
  }

  /**
   * A count of the files one read selects, starting at none.
   *
   * @param where prefix for error messages (the source, and the ref for a Git source)
   * @param raise the call that raises the limits, named in the error ({@code GitSource.builder(url).limits})
   * @return a new count; not thread-safe
   */
  Count count(String where, String raise) {
    return new Count(where, raise);
  }

  /** The files and bytes selected so far by one read, checked against the limits as each file is added. */
  final class Count {
    private final String where;
    private final String raise;
    private int selected;
    private long held;

    private Count(String where, String raise) {
      this.where = where;
      this.raise = raise;
    }

    /**
     * Counts one more selected file, before its bytes are read.
     *
     * @param name the file as printed in errors (escaped)
     * @param size its length in bytes
     * @throws SourceException naming the limit, {@code name} and how to raise the limits when this file
     *     passes one
     */
    void add(String name, long size) {
      if (selected == files) {
        throw passed("more than " + files + " files selected, '" + name + "' one more");
      }
      selected++;
      held += size;
      if (held > bytes) {
        throw passed("the selected files hold more than " + bytes + " bytes with '" + name + "' (" + size + " bytes)");
      }
    }

    /** The error for a read whose selected files pass a limit, naming it, the file that passed it and the way out. */
    private SourceException passed(String what) {
      return new SourceException(where + ": " + what + " (the source's limits: " + files + " files and " + bytes
          + " bytes; " + raise + "(files, bytes) raises them): narrow the source's path or globs to"
          + " the desired state, or raise the limit if this is it");
    }
  }
}
