package dev.gitops.source;

import static dev.gitops.source.RawTrees.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@link TreeReader} reads the trees of a commit: each selected tree judged by JGit's object
 * checker and parsed from the same bytes (inflated once), and a tree the checker refuses named by
 * its place, the selected root too. Read straight from the repository that holds the trees (JGit's
 * upload-pack serves no corrupt tree).
 */
class TreeReaderTreesIT {
  @TempDir Path tmp;
  @AutoClose private RawTrees raw;

  @BeforeEach
  void setUp() {
    raw = RawTrees.init(tmp.resolve("remote"));
  }

  private static Map<String, ?> read(Repository repo, ObjectId commit, String path) throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      return TreeReader.read(repo, walk.parseCommit(commit), path, Globs.of(List.of(), List.of("skipped/")), "where",
          BlobDigests.inMemory(), new TreeIndex(), ReadLimits.DEFAULTS);
    }
  }

  @Test
  void everySelectedTreeIsInflatedOnceAndAnExcludedOneNever() throws Exception {
    ObjectId a = raw.tree(entry("x.yaml", FileMode.REGULAR_FILE, raw.blob("x: 1\n")));
    ObjectId skipped = raw.tree(entry("y.yaml", FileMode.REGULAR_FILE, raw.blob("y: 1\n")));
    ObjectId deploy = raw.tree(entry("a", FileMode.TREE, a), entry("skipped", FileMode.TREE, skipped),
        entry("z.yaml", FileMode.REGULAR_FILE, raw.blob("z: 1\n")));
    ObjectId root = raw.tree(entry("deploy", FileMode.TREE, deploy));
    ObjectId commit = raw.commit(root);
    Map<ObjectId, Integer> opened = new HashMap<>();
    try (Repository counting = new FileRepository(raw.repository().getDirectory()) {
      @Override
      public ObjectReader newObjectReader() {
        return counted(super.newObjectReader(), opened);
      }
    }) {
      assertEquals(Set.of("deploy/a/x.yaml", "deploy/z.yaml"), read(counting, commit, "").keySet());
    }
    assertEquals(Map.of(root, 1, deploy, 1, a, 1), opened, "opened once each, by id");
  }

  @Test
  void aCorruptSelectedRootIsRefusedNamedAndNothingOfItRead() throws Exception {
    ObjectId twice = raw.tree(entry("x.yaml", FileMode.REGULAR_FILE, raw.blob("x: 1\n")),
        entry("x.yaml", FileMode.REGULAR_FILE, raw.blob("x: 2\n")));
    ObjectId commit = raw.commit(twice);
    SourceException e = assertThrows(SourceException.class, () -> read(raw.repository(), commit, ""));
    assertTrue(e.getMessage().startsWith("where: corrupt tree object at '.' (a tree no Git writes; nothing of it is"
        + " read): "), e.getMessage());
    assertTrue(e.getMessage().contains("duplicate entry names"), e.getMessage());
    ObjectId at = raw.commit(raw.tree(entry("deploy", FileMode.TREE, twice)));
    e = assertThrows(SourceException.class, () -> read(raw.repository(), at, "deploy"));
    assertTrue(e.getMessage().startsWith("where: corrupt tree object at 'deploy' "), e.getMessage());
  }

  /**
   * The trees on the way to the source's path are judged too: a root whose entry name holds a NUL
   * (the rest of the entry read as an object id, every later entry misread) is refused as the
   * corrupt tree it is, not searched for the path.
   */
  @Test
  void aCorruptTreeOnTheWayToTheSourcesPathIsRefusedNamed() throws Exception {
    ObjectId deploy = raw.tree(entry("x.yaml", FileMode.REGULAR_FILE, raw.blob("x: 1\n")));
    ObjectId app = raw.tree(entry("deploy", FileMode.TREE, deploy));
    ObjectId commit = raw.commit(raw.tree(entry("a\0b", FileMode.REGULAR_FILE, raw.blob("a\n")),
        entry("app", FileMode.TREE, app)));
    SourceException e = assertThrows(SourceException.class, () -> read(raw.repository(), commit, "app/deploy"));
    assertTrue(e.getMessage().startsWith("where: corrupt tree object at '.' (a tree no Git writes; nothing of it is"
        + " read): "), e.getMessage());
    ObjectId inner = raw.commit(raw.tree(entry("app", FileMode.TREE, raw.tree(entry("a\0b", FileMode.REGULAR_FILE,
        raw.blob("a\n")), entry("deploy", FileMode.TREE, deploy)))));
    e = assertThrows(SourceException.class, () -> read(raw.repository(), inner, "app/deploy"));
    assertTrue(e.getMessage().startsWith("where: corrupt tree object at 'app' "), e.getMessage());
  }

  /** {@code reader}, counting in {@code opened} each tree it opens, by id. */
  private static ObjectReader counted(ObjectReader reader, Map<ObjectId, Integer> opened) {
    return new ObjectReader.Filter() {
      @Override
      protected ObjectReader delegate() {
        return reader;
      }

      @Override
      public ObjectLoader open(AnyObjectId id, int typeHint) throws IOException {
        ObjectLoader loader = reader.open(id, typeHint);
        if (loader.getType() == Constants.OBJ_TREE) {
          opened.merge(id.copy(), 1, Integer::sum);
        }
        return loader;
      }

      @Override
      public ObjectLoader open(AnyObjectId id) throws IOException {
        return open(id, OBJ_ANY);
      }
    };
  }
}
