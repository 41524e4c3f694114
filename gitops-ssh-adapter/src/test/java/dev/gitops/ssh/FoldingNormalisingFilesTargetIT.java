package dev.gitops.ssh;

/**
 * The contract suites over a host whose file system ignores both case and Unicode normalisation
 * ({@link FoldingHost}), case with Unicode's full case folding ({@code ß} as {@code ss}), as APFS does by
 * default and ext4 or f2fs directories with casefold do.
 */
class FoldingNormalisingFilesTargetIT extends FoldingFilesTargetIT {
  @Override
  public boolean ignoresNormalisation() {
    return true;
  }

  @Override
  public boolean foldsCaseFully() {
    return true;
  }
}
