package dev.gitops.source;

import static dev.gitops.source.RawTrees.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Snapshot;
import java.nio.file.Path;
import java.util.Set;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trees a contributor can push that Git's own checkout refuses or treats specially: names that leave
 * or enter a repository folder, symbolic links out of the repository (attributes: {@link GitCheckoutFiltersIT}).
 * The source reads trees directly, so it must refuse (or read as they are) what checkout would.
 */
class GitHostileTreesIT {
  @TempDir Path tmp;
  @AutoClose private RawTrees raw;

  @BeforeEach
  void setUp() {
    raw = RawTrees.init(tmp.resolve("remote"));
  }

  private SourceException refused(String path) {
    try (GitSource source = raw.source(tmp.resolve("cache")).path(path)
        .build()) {
      return assertThrows(SourceException.class, () -> source.fetch(source.latest()));
    }
  }

  private Snapshot read() {
    try (GitSource source = raw.source(tmp.resolve("cache")).build()) {
      return source.fetch(source.latest());
    }
  }

  private void commitFileAt(String path) throws Exception {
    raw.commit(raw.tree(entry("ok.yaml", FileMode.REGULAR_FILE, raw.blob("a: 1\n")),
        entry("deploy", FileMode.TREE, raw.at(path, FileMode.REGULAR_FILE, raw.blob("x\n")))));
  }

  @Test
  void aDotGitFolderInAnyCaseIsRefusedAsGitRefusesIt() throws Exception {
    String[][] cases = {{".git/hooks/post-checkout", "deploy/.git"}, {"app/.GIT/config", "deploy/app/.GIT"},
        {"app/.Git. /config", "deploy/app/.Git. "}};
    for (String[] c : cases) {
      commitFileAt(c[0]);
      SourceException e = refused("deploy");
      assertTrue(e.getMessage().endsWith(": unsafe path '" + c[1] + "' in tree: a folder named .git (in any case)"
          + " is a repository's own, which Git never checks out"), e.getMessage());
    }
  }

  @Test
  void dotDotAndBackslashNamesAreRefusedPrintedEscaped() throws Exception {
    commitFileAt("e\u001b[2J/../passwd");
    assertTrue(refused("").getMessage().endsWith(": unsafe path 'deploy/e\\x1b[2J/..' in tree"),
        "escaped, from the repository's root");
    commitFileAt("..\\..\\etc\\cron.d\\x");
    assertTrue(refused("deploy").getMessage().endsWith(": unsafe path 'deploy/..\\\\..\\\\etc\\\\cron.d\\\\x' in tree"));
    commitFileAt(".");
    assertTrue(refused("deploy").getMessage().endsWith(": unsafe path 'deploy/.' in tree"));
  }

  @Test
  void namesGitAllowsStayAsTheyAre() throws Exception {
    String longPath = ("d".repeat(200) + "/").repeat(21) + "f.yaml"; // 4,206 bytes: a files target refuses it
    commitFileAt(longPath);
    assertEquals(Set.of("ok.yaml", "deploy/" + longPath), read().files().keySet());
    commitFileAt(".gitignore.d/.github/.gitx");
    assertEquals(Set.of("ok.yaml", "deploy/.gitignore.d/.github/.gitx"), read().files().keySet());
  }

  @Test
  void aSymbolicLinkOutOfTheRepositoryIsRefusedAndNeverFollowed() throws Exception {
    ObjectId passwd = raw.blob("/etc/passwd");
    ObjectId up = raw.blob("../../secrets");
    raw.commit(raw.tree(entry("ok.yaml", FileMode.REGULAR_FILE, raw.blob("a: 1\n")),
        entry("manifests", FileMode.TREE, raw.tree(entry("x.yaml", FileMode.SYMLINK, passwd),
            entry("secrets", FileMode.SYMLINK, up)))));
    SourceException e = refused("");
    assertTrue(e.getMessage().contains(": 2 symbolic links are not supported: 'manifests/secrets',"
        + " 'manifests/x.yaml'. Remove them"), e.getMessage());
    assertFalse(e.getMessage().contains("root:"), "no byte of the machine's file");
  }
}
