package dev.gitops.source;

/**
 * How much a {@link GitSource} reads from one commit: the files its path and globs select, and the
 * bytes those hold together, each occurrence counted (a blob under two names is held twice). Checked
 * from the tree and each blob's header, before a blob is inflated. Not part of the public API.
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

  /** The error for a commit whose selected files pass a limit, naming it, the file that passed it and the way out. */
  SourceException passed(String where, String what) {
    return new SourceException(where + ": " + what + " (the source's limits: " + files + " files and " + bytes
        + " bytes; GitSource.builder(url).limits(files, bytes) raises them): narrow the source's path or globs to"
        + " the desired state, or raise the limit if this is it");
  }
}
