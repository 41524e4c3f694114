package dev.gitops.ssh;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * The contract suites over a host whose file system folds case but not Unicode normalisation
 * ({@link FoldingHost} over {@link LocalHost}), one character for one, as Windows' and SMB shares' do by default: no such
 * file system can be mounted on the test machines. Subclasses ignore normalisation too, or instead.
 */
class FoldingFilesTargetIT extends FilesTargetSuite {
  @Override
  Host openHost() {
    return new FoldingHost(LocalHost.create(), foldsCase(), foldsCaseFully(), ignoresNormalisation());
  }

  @Override
  public boolean foldsCase() {
    return true;
  }

  @Override
  @Test
  @Disabled("the folding host keeps no long-running reader: every read is one command")
  public void readTakesOneCommandWhateverTheNumberOfFiles() {
  }

  @Override
  @Test
  @Disabled("the folding host keeps no long-running reader, which alone proves files by digest")
  public void aToldReadOfUnchangedFilesTransfersDigestsNotBytes() {
  }
}
