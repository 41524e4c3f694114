package dev.gitops.ssh;

/**
 * The contract suites over a host whose file system ignores Unicode normalisation (NFC against NFD)
 * but not case ({@link FoldingHost}), as APFS's case-sensitive variant does since macOS 10.13.
 */
class NormalisingFilesTargetIT extends FoldingFilesTargetIT {
  @Override
  public boolean foldsCase() {
    return false;
  }

  @Override
  public boolean ignoresNormalisation() {
    return true;
  }
}
