package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.FileMode;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Source} promises, run against each implementation: a stable revision while
 * nothing changes, a new one when something does, and snapshots holding exactly the files of their
 * revision under the configured path.
 */
public interface SourceContract {

  /** A source reading path {@code deploy} of a fresh store holding {@code files}. */
  Source sourceOver(Map<String, String> files) throws Exception;

  /** Changes the store behind the last source: writes the files, a null value deletes. */
  void change(Map<String, String> files) throws Exception;

  @Test
  default void theRevisionIsStableWhileNothingChanges() throws Exception {
    Source source = sourceOver(Map.of("deploy/app.yaml", "v: 1\n"));
    Revision first = source.latest();
    assertEquals(first, source.latest());
    assertEquals(source.fetch(first).digest(), source.fetch(source.latest()).digest());
  }

  @Test
  default void aChangeYieldsANewRevisionWithTheNewFiles() throws Exception {
    Source source = sourceOver(Map.of("deploy/app.yaml", "v: 1\n", "deploy/old.yaml", "old\n"));
    Revision first = source.latest();
    change(Map.of("deploy/app.yaml", "v: 2\n", "deploy/new.yaml", "new\n"));
    change(java.util.Collections.singletonMap("deploy/old.yaml", null));
    Revision second = source.latest();
    assertNotEquals(first.id(), second.id());
    Snapshot s = source.fetch(second);
    assertEquals(Set.of("app.yaml", "new.yaml"), s.files().keySet());
    assertEquals("v: 2\n", s.text("app.yaml"));
    assertNull(s.file("old.yaml"));
  }

  @Test
  default void aSnapshotHoldsTheFilesUnderThePathRelativeToIt() throws Exception {
    Source source = sourceOver(Map.of("deploy/a.yaml", "a", "deploy/sub/b.yaml", "b", "elsewhere/c.yaml", "c"));
    Snapshot s = source.fetch(source.latest());
    assertEquals(Set.of("a.yaml", "sub/b.yaml"), s.files().keySet());
    assertEquals(FileMode.REGULAR, s.file("sub/b.yaml").mode());
    assertEquals(source.latest(), s.revision());
    assertTrue(source.describe().length() > 0);
  }
}
