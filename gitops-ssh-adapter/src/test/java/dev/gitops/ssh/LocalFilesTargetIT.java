package dev.gitops.ssh;

/** The contract suites over {@link LocalHost}. */
class LocalFilesTargetIT extends FilesTargetSuite {
  @Override
  Host openHost() {
    return LocalHost.create();
  }
}
