package dev.gitops.ssh;

/**
 * The naming contracts over a host whose file system ignores Unicode normalisation (NFC against NFD)
 * but not case ({@link FoldingHost}), as APFS's case-sensitive variant does since macOS 10.13. The
 * rest of the suite runs over the hosts that fold case alone and both
 * ({@link FoldingFilesTargetIT}, {@link FoldingNormalisingFilesTargetIT}): nothing else in it
 * depends on which of the two a host ignores.
 */
@org.junit.jupiter.api.extension.ExtendWith(NamingContractsOnly.class)
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
