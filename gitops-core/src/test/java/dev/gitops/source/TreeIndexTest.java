package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link TreeIndex} against JGit's own {@link TreeWalk#forPath}, on trees built object by object. */
class TreeIndexTest {
  private static final int APPS = 300;
  private final InMemoryRepository repo = new InMemoryRepository(new DfsRepositoryDescription("trees"));
  private ObjectId root;

  /**
   * A root of {@value #APPS} folders {@code app-NNN/} (each {@code app.yaml} and {@code base/kustomization.yaml}),
   * a file, a submodule, a folder named in UTF-8 and one whose name is not UTF-8.
   */
  @BeforeEach
  void build() throws Exception {
    try (ObjectInserter in = repo.newObjectInserter()) {
      List<Named> entries = new ArrayList<>(); // TreeFormatter wants them sorted
      for (int i = 0; i < APPS; i++) {
        ObjectId base = tree(in, List.of(entry("kustomization.yaml", FileMode.REGULAR_FILE, blob(in, "k" + i))));
        ObjectId app = tree(in, List.of(entry("app.yaml", FileMode.REGULAR_FILE, blob(in, "a" + i)),
            entry("base", FileMode.TREE, base)));
        entries.add(entry(String.format(Locale.ROOT, "app-%03d", i), FileMode.TREE, app));
      }
      ObjectId one = tree(in, List.of(entry("one.yaml", FileMode.REGULAR_FILE, blob(in, "one"))));
      entries.add(entry("README.md", FileMode.REGULAR_FILE, blob(in, "readme")));
      entries.add(entry("vendor", FileMode.GITLINK, ObjectId.fromString("0123456789012345678901234567890123456789")));
      entries.add(entry("caf\u00e9", FileMode.TREE, one));
      entries.add(new Named(new byte[] {'o', 'l', (byte) 0xe9}, FileMode.TREE, one));
      entries.sort((a, b) -> compare(a.name(), a.mode(), b.name(), b.mode()));
      root = tree(in, entries);
      in.flush();
    }
  }

  @Test
  void findsWhatTreeWalkFindsForEveryPathAndEveryMiss() throws Exception {
    List<String> paths = new ArrayList<>(List.of("", "README.md", "README.md/x", "vendor", "vendor/x",
        "caf\u00e9", "caf\u00e9/one.yaml", "cafe", "ol\u00e9", "missing", "missing/app.yaml", "app-001//app.yaml",
        "app-001/", "app-9999", "app-001/base/kustomization.yaml/deeper"));
    for (int i = 0; i < APPS; i += 7) {
      String app = String.format(Locale.ROOT, "app-%03d", i);
      paths.addAll(List.of(app, app + "/app.yaml", app + "/base", app + "/base/kustomization.yaml", app + "/nope"));
    }
    TreeIndex index = new TreeIndex();
    try (ObjectReader reader = repo.newObjectReader()) {
      for (String path : paths) {
        TreeIndex.Entry found = index.find(reader, root, path);
        if (path.isEmpty()) {
          assertEquals(root, found.id());
          assertTrue(found.isTree());
          continue;
        }
        try (TreeWalk walk = TreeWalk.forPath(reader, path, root)) {
          if (walk == null) {
            assertNull(found, path);
          } else {
            assertNotNull(found, path);
            assertEquals(walk.getObjectId(0), found.id(), path);
            assertEquals(walk.getFileMode(0), found.mode(), path);
            assertEquals(walk.isSubtree(), found.isTree(), path);
          }
        }
      }
    }
    assertNotNull(index.find(repo.newObjectReader(), root, "caf\u00e9/one.yaml"), "a UTF-8 name is found");
    assertNull(index.find(repo.newObjectReader(), root, "ol\u00e9"),
        "a name that is not UTF-8 does not answer to its UTF-8 spelling (TreeWalk compares bytes)");
  }

  @Test
  void readsEachTreeOnceWhateverTheNumberOfLookups() throws Exception {
    TreeIndex index = new TreeIndex();
    try (ObjectReader reader = repo.newObjectReader()) {
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < APPS; i++) {
          assertTrue(index.find(reader, root, String.format(Locale.ROOT, "app-%03d", i)).isTree());
        }
      }
    }
    assertEquals(1, index.reads(), "the root tree, read once for " + 3 * APPS + " lookups");
  }

  @Test
  void keepsAtMostItsBoundAndStillAnswers() throws Exception {
    TreeIndex index = new TreeIndex(APPS + 40); // the root and about 20 folders
    try (ObjectReader reader = repo.newObjectReader()) {
      for (int i = 0; i < APPS; i++) {
        String app = String.format(Locale.ROOT, "app-%03d", i);
        try (TreeWalk walk = TreeWalk.forPath(reader, app + "/app.yaml", root)) {
          assertEquals(walk.getObjectId(0), index.find(reader, root, app + "/app.yaml").id());
        }
        assertTrue(index.size() <= APPS + 40, "entries kept: " + index.size());
      }
      assertEquals(1 + APPS, index.reads());
      index.find(reader, root, "app-000/app.yaml");
      assertEquals(2 + APPS, index.reads(), "the first folder was dropped and is read again, not the root");
    }
  }

  /** One tree entry to write. */
  private record Named(byte[] name, FileMode mode, ObjectId id) {}

  private static Named entry(String name, FileMode mode, ObjectId id) {
    return new Named(name.getBytes(StandardCharsets.UTF_8), mode, id);
  }

  private static ObjectId blob(ObjectInserter in, String text) throws Exception {
    return in.insert(org.eclipse.jgit.lib.Constants.OBJ_BLOB, text.getBytes(StandardCharsets.UTF_8));
  }

  private static ObjectId tree(ObjectInserter in, List<Named> entries) throws Exception {
    TreeFormatter tree = new TreeFormatter();
    for (Named e : entries) {
      tree.append(e.name(), 0, e.name().length, e.mode(), e.id());
    }
    return in.insert(tree);
  }

  /** Git's tree order: bytes, a tree's name compared as if it ended in {@code /}. */
  private static int compare(byte[] a, FileMode am, byte[] b, FileMode bm) {
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      int c = Byte.toUnsignedInt(a[i]) - Byte.toUnsignedInt(b[i]);
      if (c != 0) {
        return c;
      }
    }
    int ca = a.length > b.length ? Byte.toUnsignedInt(a[b.length]) : am == FileMode.TREE ? '/' : 0;
    int cb = b.length > a.length ? Byte.toUnsignedInt(b[a.length]) : bm == FileMode.TREE ? '/' : 0;
    return ca - cb;
  }
}
