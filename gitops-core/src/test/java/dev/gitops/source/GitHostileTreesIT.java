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

  /**
   * Names a host's file system folds into {@code .git}: HFS+ ignores the code points U+200C..U+200F,
   * U+202A..U+202E, U+206A..U+206F and U+FEFF and case; NTFS drops trailing dots and spaces, reads
   * {@code git~1} as the 8.3 short name of {@code .git} and {@code .git::$INDEX_ALLOCATION} as its
   * folder stream (git's {@code is_hfs_dotgit} and {@code is_ntfs_dotgit} in {@code utf8.c} and
   * {@code path.c}, JGit's {@code ObjectChecker} under {@code core.protectHFS}/{@code protectNTFS}).
   */
  @Test
  void aNameAHostFoldsIntoDotGitIsRefusedNamedEscaped() throws Exception {
    String[][] cases = {{".g\u200cit/config", "deploy/.g\\u200cit"}, {"\ufeff.git/hooks/post-checkout",
        "deploy/\\ufeff.git"}, {"app/.GI\u200eT\u206a/config", "deploy/app/.GI\\u200eT\\u206a"},
        {"git~1/config", "deploy/git~1"}, {"GIT~1 ./hooks/x", "deploy/GIT~1 ."},
        {".git::$INDEX_ALLOCATION/config", "deploy/.git::$INDEX_ALLOCATION"}};
    for (String[] c : cases) {
      commitFileAt(c[0]);
      SourceException e = refused("deploy");
      assertTrue(e.getMessage().endsWith(": unsafe path '" + c[1] + "' in tree: a name a host may write as .git,"
          + " a repository's own folder, which Git never checks out"), e.getMessage());
    }
  }

  /**
   * A tree object written by hand may hold an entry named {@code a/b}, {@code .}, {@code ..} or one
   * with a NUL (which ends the name where Git reads it, the rest read as the object id): none is read
   * as a path, each refused naming where it is. JGit's upload-pack serves no tree with a NUL in a
   * name, so that one is read from a repository that holds it (a pack a server sent as it is).
   */
  @Test
  void anEntryNameNoGitWritesIsRefusedNamingItsPlace() throws Exception {
    for (String name : new String[] {"a/b", "..", "."}) {
      raw.commit(raw.tree(entry("ok.yaml", FileMode.REGULAR_FILE, raw.blob("a: 1\n")),
          entry("deploy", FileMode.TREE, raw.tree(entry(name, FileMode.REGULAR_FILE, raw.blob("x\n"))))));
      SourceException e = refused("");
      assertTrue(e.getMessage().endsWith(": unsafe path 'deploy/" + name + "' in tree"), e.getMessage());
    }
    ObjectId commit = raw.commit(raw.tree(entry("ok.yaml", FileMode.REGULAR_FILE, raw.blob("a: 1\n")),
        entry("deploy", FileMode.TREE, raw.tree(entry("x\0../../etc", FileMode.REGULAR_FILE, raw.blob("x\n")),
            entry("y", FileMode.REGULAR_FILE, raw.blob("y\n"))))));
    refused(""); // the fetch itself fails
    try (org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(raw.repository())) {
      SourceException e = assertThrows(SourceException.class, () -> TreeReader.read(raw.repository(),
          walk.parseCommit(commit), "", Globs.of(java.util.List.of(), java.util.List.of()), "where",
          BlobDigests.inMemory(), new TreeIndex(), ReadLimits.DEFAULTS), "read from a repository that holds it");
      assertTrue(e.getMessage().startsWith("where: corrupt tree object at 'deploy' (a tree no Git writes; nothing"
          + " of it is read): "), e.getMessage());
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
    commitFileAt("git~2/.g\u200cithub/git~1x/.git.d/x.git");
    assertEquals(Set.of("ok.yaml", "deploy/git~2/.g\u200cithub/git~1x/.git.d/x.git"), read().files().keySet());
  }

  /**
   * A {@code .gitmodules} is read only to name a refused submodule's URL, and only as Git reads one: a
   * file. One that is itself a gitlink (its object in another repository), a tree or a symbolic link
   * (Git refuses to check out a symlinked {@code .gitmodules}, fsck's {@code gitmodulesSymlink}) names
   * no URL, and the submodule is refused all the same, never followed; so does one larger than 1 MiB.
   */
  @Test
  void aGitmodulesThatIsNoFileNamesNoUrlAndTheSubmoduleIsRefused() throws Exception {
    ObjectId elsewhere = ObjectId.fromString("0123456789abcdef0123456789abcdef01234567");
    String modules = "[submodule \"lib\"]\n\tpath = deploy/lib\n\turl = https://example.com/evil.git\n";
    ObjectId[] notFiles = {elsewhere, raw.tree(entry("x", FileMode.REGULAR_FILE, raw.blob(modules))),
        raw.blob(modules)};
    FileMode[] modes = {FileMode.GITLINK, FileMode.TREE, FileMode.SYMLINK, FileMode.REGULAR_FILE};
    notFiles = java.util.Arrays.copyOf(notFiles, 4);
    notFiles[3] = raw.blob(modules + "#".repeat(1 << 20) + "\n"); // past the 1 MiB bound: not read
    for (int i = 0; i < modes.length; i++) {
      raw.commit(raw.tree(entry(".gitmodules", modes[i], notFiles[i]), entry("deploy", FileMode.TREE,
          raw.tree(entry("lib", FileMode.GITLINK, elsewhere), entry("ok.yaml", FileMode.REGULAR_FILE, raw.blob("a: 1\n"))))));
      SourceException e = refused("deploy");
      assertTrue(e.getMessage().contains(": a submodule is not supported: 'deploy/lib' (no URL in .gitmodules)."),
          modes[i] + ": " + e.getMessage());
    }
  }

  /**
   * A {@code .gitmodules} whose comments fill its 1 MiB is read at once (JGit's parser takes minutes
   * over such a comment; the comments are dropped first, as Git reads them), and what is quoted or
   * escaped stays.
   */
  @Test
  void aGitmodulesFullOfCommentsNamesItsUrlAtOnce() throws Exception {
    assertEquals("[s \"a#b\"] \n\tk = \"x;y\" \n\tu = a\\#b\\\n\n",
        Submodules.withoutComments("[s \"a#b\"] ; c\n\tk = \"x;y\" # z\n\tu = a\\#b\\\n#\n"));
    ObjectId elsewhere = ObjectId.fromString("0123456789abcdef0123456789abcdef01234567");
    raw.commit(raw.tree(entry(".gitmodules", FileMode.REGULAR_FILE, raw.blob("[submodule \"lib\"]\n\tpath = deploy/lib"
        + "\n\turl = https://example.com/lib.git ;" + "x".repeat((1 << 20) - 100) + "\n")),
        entry("deploy", FileMode.TREE, raw.tree(entry("lib", FileMode.GITLINK, elsewhere)))));
    SourceException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
        () -> refused("deploy"));
    assertTrue(e.getMessage().contains("'deploy/lib' (URL https://example.com/lib.git)"), e.getMessage());
  }

  /**
   * A tree may hold a file mode no Git writes ({@code 100645}, {@code 100610}: fsck warns {@code badFilemode},
   * a push passes): git 2.39's checkout writes such a file {@code 0755} when its owner may execute it and
   * {@code 0644} otherwise, whatever the group's and others' bits (checked with {@code git clone}: f100001,
   * f100610 and f100645 {@code -rw-r--r--}, f100700 and f100775 {@code -rwxr-xr-x}). JGit's
   * {@code FileMode.fromBits} calls any execute bit executable, which made the first three {@code 0755}.
   */
  @Test
  void aFileModeIsTheOneGitsCheckoutWritesOwnerExecuteDeciding() throws Exception {
    raw.commit(raw.tree(entry("m", FileMode.TREE, raw.treeOfModes(raw.blob("x\n"),
        "100001", "100610", "100645", "100664", "100644", "100700", "100755", "100775"))));
    Snapshot s = read();
    for (String m : new String[] {"100001", "100610", "100645", "100664", "100644"}) {
      assertEquals(dev.gitops.model.FileMode.REGULAR, s.file("m/f" + m).mode(), m);
    }
    for (String m : new String[] {"100700", "100755", "100775"}) {
      assertEquals(dev.gitops.model.FileMode.EXECUTABLE, s.file("m/f" + m).mode(), m);
    }
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
