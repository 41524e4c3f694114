package dev.gitops.ssh;

import static dev.gitops.ssh.FilesTargetContract.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.ActualState;
import dev.gitops.model.ResourceId;
import dev.gitops.target.Lockable;
import dev.gitops.target.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A deploy that ends (its lock released) folds the inventory journal it wrote into the inventory
 * file, so the state folder holds what the owner owns and no history of steps; a fold killed at any
 * point loses nothing. Run over every kind of {@link Host} by {@link FilesTargetSuite}.
 */
interface JournalFoldContract extends FilesTargetContract {

  /** One deploy through {@code target}: read, lock, create or update every path to {@code text}, release. */
  private static void deploy(FilesTarget target, List<String> paths, String text) {
    ActualState actual = target.read(Scope.owned(OWNER));
    try (Lockable.Lock lock = target.lock("ci", null)) {
      for (String p : paths) {
        target.apply(FilesTargetContract.createOrUpdate(actual, text(p, text)), OWNER);
      }
    }
  }

  private static List<String> paths(int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> "d" + (i % 3) + "/f" + i + ".conf").toList();
  }

  /** The state folder's files and their sizes, the lock and the history left out. */
  private Map<String, Long> stateFiles() throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(root().resolve(".gitops"))) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        if (!name.equals("lock") && !name.startsWith("history")) {
          out.put(name, Files.size(p));
        }
      }
    }
    return out;
  }

  private Map<ResourceId, String> owned(FilesTarget target) {
    Map<ResourceId, String> out = new TreeMap<>();
    target.read(Scope.owned(OWNER)).observed().forEach(o -> out.put(o.resource().id(), o.owner()));
    return out;
  }

  @Test
  default void aDeployLeavesTheInventoryAloneInTheStateFolderWhateverHowManyDeploysCame() throws Exception {
    List<String> paths = paths(30);
    deploy(fresh(), paths, "v0\n");
    Map<String, Long> first = stateFiles();
    assertEquals(List.of(OWNER + ".inventory"), List.copyOf(first.keySet()), "no journal after the deploy: " + first);
    for (int round = 1; round <= 4; round++) {
      deploy(fresh(), paths, "v" + round + "\n");
      assertEquals(first, stateFiles(), "round " + round + ": the state folder is the size of what is owned");
    }
    Map<ResourceId, String> owned = owned(fresh());
    assertEquals(30, owned.size(), owned.toString());
    owned.values().forEach(o -> assertEquals(OWNER, o));
    assertEquals("v4\n", Files.readString(root().resolve(paths.get(7))));
  }

  @Test
  default void aReadOnlyRunUnderTheLockWritesNothingToTheStateFolder() throws Exception {
    deploy(fresh(), paths(5), "v0\n");
    Files.writeString(root().resolve(".gitops/" + OWNER + ".journal"), "\n", java.nio.file.StandardOpenOption.CREATE);
    Map<String, Long> before = stateFiles();
    FilesTarget reader = fresh();
    reader.read(Scope.owned(OWNER));
    reader.lock("ci", null).close();
    assertEquals(before, stateFiles(), "a run that wrote no file leaves the journal it found to the next writer");
  }

  /** Deletes of the owner's journal fail: as if the process were killed after the inventory's rename. */
  final class KilledBeforeJournalDelete extends ForwardingHost {
    KilledBeforeJournalDelete(Host host) {
      super(host);
    }

    @Override
    public boolean delete(String path) throws IOException {
      if (path.endsWith("/.gitops/" + OWNER + ".journal")) {
        throw new IOException("killed");
      }
      return host.delete(path);
    }
  }

  /** The inventory's temporary file is written, then the process dies: no rename, no clean-up. */
  final class KilledBeforeInventoryRename extends ForwardingHost {
    private final java.util.Set<String> left = java.util.concurrent.ConcurrentHashMap.newKeySet();

    KilledBeforeInventoryRename(Host host) {
      super(host);
    }

    @Override
    public void writeAndRename(String tmp, String path, byte[] data, int permissions, boolean replace)
        throws IOException {
      if (!path.endsWith("/.gitops/" + OWNER + ".inventory")) {
        host.writeAndRename(tmp, path, data, permissions, replace);
        return;
      }
      host.write(tmp, data, permissions, true);
      left.add(tmp);
      throw new IOException("killed");
    }

    @Override
    public boolean delete(String path) throws IOException {
      if (left.contains(path)) {
        throw new IOException("killed");
      }
      return host.delete(path);
    }
  }

  @Test
  default void aFoldKilledBetweenTheInventorysRenameAndTheJournalsDeleteLosesNothing() throws Exception {
    deploy(fresh(), paths(10), "v0\n");
    FilesTarget killed = FilesTarget.of(new KilledBeforeJournalDelete(files().host()), root().toString());
    deploy(killed, paths(20), "v1\n");
    killed.close();
    assertTrue(stateFiles().containsKey(OWNER + ".journal"), "the fold was cut short: " + stateFiles());
    Map<ResourceId, String> owned = owned(fresh());
    assertEquals(20, owned.size(), owned.toString());
    deploy(fresh(), paths(21), "v2\n");
    assertEquals(List.of(OWNER + ".inventory"), List.copyOf(stateFiles().keySet()), "the next deploy folds it");
    assertEquals(21, owned(fresh()).size());
  }

  @Test
  default void aFoldKilledBeforeTheInventorysRenameLeavesTheOldInventoryAndTheJournal() throws Exception {
    deploy(fresh(), paths(10), "v0\n");
    FilesTarget killed = FilesTarget.of(new KilledBeforeInventoryRename(files().host()), root().toString());
    deploy(killed, paths(20), "v1\n");
    killed.close();
    Map<String, Long> left = stateFiles();
    assertTrue(left.containsKey(OWNER + ".journal") && left.containsKey(OWNER + ".inventory"), left.toString());
    assertEquals(3, left.size(), "and the temporary file the kill left: " + left);
    Map<ResourceId, String> owned = owned(fresh());
    assertEquals(20, owned.size(), owned.toString());
    owned.values().forEach(o -> assertEquals(OWNER, o));
    deploy(fresh(), paths(20), "v2\n");
    assertEquals(List.of(OWNER + ".inventory"), List.copyOf(stateFiles().keySet()),
        "the next deploy folds the journal and sweeps the temporary file");
    assertEquals(20, owned(fresh()).size());
  }
}
