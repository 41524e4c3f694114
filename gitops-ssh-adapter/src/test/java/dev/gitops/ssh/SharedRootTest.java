package dev.gitops.ssh;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SharedRoots} on {@link LocalHost} and on a host whose every file operation is {@code Host}'s
 * shell script ({@link EnvHost}, as over {@link SystemSshHost}). Needs root (files given to {@code nobody}).
 */
class SharedRootTest {
  @TempDir
  Path dir;

  @Test
  void localHostNeverKeepsStateThroughAFolderSwappedInARootOthersMayWrite() throws Exception {
    SharedRoots.stateFolderSwappedAfterItsLook(LocalHost.create(), dir);
  }

  @Test
  void scriptHostNeverKeepsStateThroughAFolderSwappedInARootOthersMayWrite() throws Exception {
    SharedRoots.stateFolderSwappedAfterItsLook(script(), dir);
  }

  @Test
  void localHostWritesUnderATrustedSharedRootAndRefusesItOtherwise() throws Exception {
    SharedRoots.trustedRootIsWrittenUnderAndOnlyIt(LocalHost.create(), dir);
  }

  @Test
  void scriptHostWritesUnderATrustedSharedRootAndRefusesItOtherwise() throws Exception {
    SharedRoots.trustedRootIsWrittenUnderAndOnlyIt(script(), dir);
  }

  @Test
  void localHostJudgesTheFoldersAboveTheRoot() throws Exception {
    SharedRoots.folderAboveTheRootOthersMayWrite(LocalHost.create(), dir);
  }

  @Test
  void scriptHostJudgesTheFoldersAboveTheRoot() throws Exception {
    SharedRoots.folderAboveTheRootOthersMayWrite(script(), dir);
  }

  @Test
  void localHostJudgesTheRootAgainInTheNextRun() throws Exception {
    SharedRoots.rootOpenedBetweenRunsIsJudgedAgain(LocalHost.create(), dir);
  }

  @Test
  void scriptHostJudgesTheRootAgainInTheNextRun() throws Exception {
    SharedRoots.rootOpenedBetweenRunsIsJudgedAgain(script(), dir);
  }

  private static Host script() {
    return new EnvHost(List.of("PATH=" + System.getenv("PATH")));
  }
}
