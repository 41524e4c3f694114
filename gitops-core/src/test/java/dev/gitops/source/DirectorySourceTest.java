package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.FileMode;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySourceTest {
  @TempDir Path root;

  private void write(String rel, String text) throws Exception {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  @Test
  void theRevisionIsTheContentDigestAndChangesWithTheContent() throws Exception {
    write("app.yaml", "v: 1\n");
    DirectorySource source = DirectorySource.of(root);
    Revision r1 = source.latest();
    assertTrue(r1.id().startsWith("sha256:"), r1.id());
    assertEquals(r1, source.latest());
    Snapshot s1 = source.fetch(r1);
    assertEquals(r1.id(), s1.digest());
    write("app.yaml", "v: 2\n");
    Revision r2 = source.latest();
    assertNotEquals(r1.id(), r2.id());
    assertEquals("v: 2\n", source.fetch(r2).text("app.yaml"));
    SourceException e = assertThrows(SourceException.class, () -> source.fetch(r1));
    assertTrue(e.getMessage().contains("changed"), e.getMessage());
  }

  @Test
  void pathAndGlobsWorkLikeGitSourceAndModesFollowTheExecuteBit() throws Exception {
    write("deploy/a.yaml", "a");
    write("deploy/b.txt", "b");
    write("deploy/secret/c.yaml", "c");
    write("deploy/run.sh", "#!/bin/sh\n");
    write("other/d.yaml", "d");
    root.resolve("deploy/run.sh").toFile().setExecutable(true);
    DirectorySource source = DirectorySource.of(root, "deploy", List.of("*.yaml", "*.sh"), List.of("secret/"));
    Snapshot s = source.fetch(source.latest());
    assertEquals(Set.of("a.yaml", "run.sh"), s.files().keySet());
    assertEquals(FileMode.EXECUTABLE, s.file("run.sh").mode());
    assertEquals(FileMode.REGULAR, s.file("a.yaml").mode());
  }

  @Test
  void aLinkInsideTheRootIsReadAndALinkLeavingItIsRefused(@TempDir Path outside) throws Exception {
    write("app.yaml", "inside\n");
    Files.createSymbolicLink(root.resolve("alias.yaml"), Path.of("app.yaml"));
    DirectorySource source = DirectorySource.of(root);
    Revision r = source.latest();
    assertEquals("inside\n", source.fetch(r).text("alias.yaml"));
    Files.writeString(outside.resolve("passwd"), "secret\n");
    Files.createSymbolicLink(root.resolve("escape.yaml"), outside.resolve("passwd"));
    SourceException e = assertThrows(SourceException.class, source::latest);
    assertTrue(e.getMessage().contains("escape.yaml"), e.getMessage());
  }

  /**
   * A folder of the source path that is a symbolic link (committed to the repository checked out
   * here) is never followed, out of the root nor inside it: the path's last folder was checked, the
   * ones before it were not, and the files of a folder outside the root were read.
   */
  @Test
  void aSymbolicLinkOnTheSourcePathIsRefusedNamedAndNeverFollowed(@TempDir Path outside) throws Exception {
    Files.createDirectories(outside.resolve("prod"));
    Files.writeString(outside.resolve("prod/passwd.yaml"), "secret\n");
    Files.createSymbolicLink(root.resolve("deploy\u001b[2J"), outside);
    SourceException out = assertThrows(SourceException.class,
        () -> DirectorySource.of(root, "deploy\u001b[2J/prod", List.of(), List.of()).latest());
    assertTrue(out.getMessage().indexOf('\u001b') < 0, out.getMessage());
    assertTrue(out.getMessage().endsWith(": 'deploy\\x1b[2J' on the path 'deploy\\x1b[2J/prod' is a symbolic link,"
        + " never followed"), out.getMessage());
    write("real/prod/app.yaml", "inside\n");
    Files.createSymbolicLink(root.resolve("alias"), Path.of("real"));
    SourceException in = assertThrows(SourceException.class,
        () -> DirectorySource.of(root, "alias/prod", List.of(), List.of()).latest());
    assertTrue(in.getMessage().endsWith(": 'alias' on the path 'alias/prod' is a symbolic link, never followed"),
        in.getMessage());
    assertEquals(Set.of("app.yaml"), DirectorySource.of(root, "real/prod", List.of(), List.of()).fetch(
        DirectorySource.of(root, "real/prod", List.of(), List.of()).latest()).files().keySet());
  }

  @Test
  void whatIsNoRegularFileIsRefusedNamedEscapedAndNeverOpened(@TempDir Path outside) throws Exception {
    write("app.yaml", "inside\n");
    Files.writeString(outside.resolve("passwd"), "secret\n");
    Files.createSymbolicLink(root.resolve("evil\u001b[2J.yaml"), outside.resolve("passwd"));
    SourceException link = assertThrows(SourceException.class, DirectorySource.of(root)::latest);
    assertTrue(link.getMessage().contains("'evil\\x1b[2J.yaml' is a symbolic link leaving the root, not a regular file"),
        link.getMessage());
    Files.delete(root.resolve("evil\u001b[2J.yaml"));
    Files.createSymbolicLink(root.resolve("gone\r.yaml"), outside.resolve("nothing"));
    SourceException dangling = assertThrows(SourceException.class, DirectorySource.of(root)::latest);
    assertTrue(dangling.getMessage().contains("'gone\\r.yaml' is a dangling symbolic link"), dangling.getMessage());
    Files.delete(root.resolve("gone\r.yaml"));
    assertEquals(0, new ProcessBuilder("mkfifo", root.resolve("pipe.yaml").toString()).start().waitFor());
    SourceException fifo = assertThrows(SourceException.class, DirectorySource.of(root)::latest);
    assertTrue(fifo.getMessage().contains("'pipe.yaml' is a FIFO, socket or device, not a regular file"), fifo.getMessage());
  }

  @Test
  void fetchOfTheLatestRevisionReusesTheSnapshotJustRead() throws Exception {
    write("app.yaml", "v\n");
    DirectorySource source = DirectorySource.of(root);
    Revision r = source.latest();
    assertSame(source.fetch(r), source.fetch(r));
  }

  @Test
  void aNameThatIsNotUtf8IsRefusedNotRenamed() throws Exception {
    write("ok.conf", "ok\n");
    // a Latin-1 name (caf\xe9.conf): Java cannot name it in UTF-8, so it is made by the shell
    Process p = new ProcessBuilder("sh", "-c", "printf x > \"$(printf 'caf\\351.conf')\"; mkdir \"$(printf 'd\\377')\"")
        .directory(root.toFile()).inheritIO().start();
    assertEquals(0, p.waitFor());
    SourceException e = assertThrows(SourceException.class, DirectorySource.of(root)::latest);
    assertTrue(e.getMessage().contains("'caf\ufffd.conf', 'd\ufffd' have names that are not UTF-8"), e.getMessage());
    DirectorySource excluding = DirectorySource.of(root, "", List.of(), List.of("caf*.conf", "d*/"));
    assertEquals(Set.of("ok.conf"), excluding.fetch(excluding.latest()).files().keySet(), "excluded: no error");
  }

  /**
   * A folder (or file) whose name a target host folds into {@code .git} (HFS+ ignorable code points,
   * NTFS's short name {@code git~1}, trailing dots and spaces, a {@code ::$INDEX_ALLOCATION} stream) is
   * refused naming it, as a Git tree's is; the real {@code .git} is skipped, names merely like it are read.
   */
  @Test
  void aNameAHostFoldsIntoDotGitIsRefusedAndOnesMerelyLikeItAreRead() throws Exception {
    write(".git/config", "[core]\n");
    write("git~2/.g\u200cithub/git~1x/.git.d/x.git", "ok\n");
    assertEquals(Set.of("git~2/.g\u200cithub/git~1x/.git.d/x.git"), DirectorySource.of(root).fetch(
        DirectorySource.of(root).latest()).files().keySet());
    String[][] cases = {{"a/.g\u200cit/config", "a/.g\\u200cit"}, {"a/\ufeff.GIT", "a/\\ufeff.GIT"},
        {"a/git~1/hooks/x", "a/git~1"}, {"a/GIT~1 ./x", "a/GIT~1 ."}, {"a/.git::$INDEX_ALLOCATION/x",
        "a/.git::$INDEX_ALLOCATION"}, {"a/.Git. /x", "a/.Git. "}};
    for (String[] c : cases) {
      write(c[0], "x\n");
      SourceException e = assertThrows(SourceException.class, DirectorySource.of(root)::latest, c[0]);
      assertTrue(e.getMessage().endsWith(": unsafe path '" + c[1] + "': a name a host may write as .git, a"
          + " repository's own folder, which Git never checks out (Git sources refuse it too)"), e.getMessage());
      deleteTree(root.resolve("a"));
    }
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
