package dev.gitops.benchmarks.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The benchmark's remote: a bare repository of {@code files} YAML files (1-2 KB each) and
 * {@code commits} commits on {@code main}, each later commit changing a few files. Written with
 * JGit straight into the object database (no working tree). Not thread-safe.
 */
final class BenchRepo implements AutoCloseable {
  private static final PersonIdent WHO = new PersonIdent("Bench", "bench@example.com", 1_700_000_000_000L, 0);
  private final Repository repo;
  private final Map<String, ObjectId> blobs = new TreeMap<>();
  private ObjectId head;
  private int counter;

  private BenchRepo(Repository repo) {
    this.repo = repo;
  }

  /** Creates the repository in {@code dir} with its history. */
  static BenchRepo create(Path dir, int files, int commits) throws IOException {
    Repository r = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
    r.create(true);
    BenchRepo b = new BenchRepo(r);
    try (ObjectInserter ins = r.newObjectInserter()) {
      for (int i = 0; i < files; i++) {
        b.blobs.put(String.format(Locale.ROOT, "apps/app-%02d/config-%04d.yaml", i % 50, i), ins.insert(
            Constants.OBJ_BLOB, yaml(i, 0)));
      }
      b.commit(ins, "initial: " + files + " files");
      for (int c = 1; c < commits; c++) {
        b.change(ins, 5);
        b.commit(ins, "change " + c);
      }
      ins.flush();
    }
    return b;
  }

  /** Adds one commit that changes one file; returns its id. */
  ObjectId advance() throws IOException {
    try (ObjectInserter ins = repo.newObjectInserter()) {
      change(ins, 1);
      commit(ins, "advance " + counter);
      ins.flush();
    }
    return head;
  }

  private void change(ObjectInserter ins, int n) throws IOException {
    String[] names = blobs.keySet().toArray(new String[0]);
    for (int k = 0; k < n; k++) {
      counter++;
      int i = (counter * 7919) % names.length;
      blobs.put(names[i], ins.insert(Constants.OBJ_BLOB, yaml(i, counter)));
    }
  }

  private void commit(ObjectInserter ins, String message) throws IOException {
    DirCache index = DirCache.newInCore();
    DirCacheBuilder builder = index.builder();
    blobs.forEach((path, id) -> {
      DirCacheEntry e = new DirCacheEntry(path);
      e.setFileMode(FileMode.REGULAR_FILE);
      e.setObjectId(id);
      builder.add(e);
    });
    builder.finish();
    CommitBuilder cb = new CommitBuilder();
    cb.setTreeId(index.writeTree(ins));
    if (head != null) {
      cb.setParentId(head);
    }
    cb.setAuthor(WHO);
    cb.setCommitter(WHO);
    cb.setMessage(message);
    head = ins.insert(cb);
    ins.flush();
    RefUpdate ru = repo.updateRef("refs/heads/main");
    ru.setNewObjectId(head);
    ru.forceUpdate();
  }

  private static byte[] yaml(int i, int version) {
    StringBuilder s = new StringBuilder();
    s.append("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-").append(i)
        .append("\n  namespace: app-").append(i % 50).append("\ndata:\n  version: \"").append(version).append("\"\n");
    for (int k = 0; k < 20 + i % 30; k++) {
      s.append("  key-").append(k).append(": value-").append(i).append('-').append(k).append("-lorem-ipsum\n");
    }
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    repo.close();
  }
}
