package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one removal of the folder a write of {@code Host}'s shell left ({@link PrivateScripts#remove}),
 * which a failed write runs at once and the sweep of leftovers later, on every kind of host: it never
 * follows a link and never removes what is not this user's. Before, the write's removal entered a
 * symlink at the folder's name and took as its own a folder whose owner owned the file in it (another
 * user's too), and the sweep deleted the file in a folder whoever owned it.
 */
class LeftFolderTest {
  private static final int NOBODY = 65534;

  @TempDir
  Path dir;
  private Path app;
  private Path tmp;

  @BeforeEach
  void folders() throws Exception {
    app = Files.createDirectories(dir.resolve("root/app"));
    tmp = app.resolve(".gitops-t");
  }

  private void remove(Host host) throws Exception {
    PrivateScripts.remove(host, tmp.toString(), Duration.ofSeconds(30));
  }

  private static boolean root(Path probe) throws Exception {
    return (Integer) Files.getAttribute(probe, "unix:uid", LinkOption.NOFOLLOW_LINKS) == 0;
  }

  private static void giveAway(Path... paths) throws Exception {
    for (Path p : paths) {
      Files.setAttribute(p, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(p, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
    }
  }

  @Test
  void thisUsersFolderIsRemovedWithItsFileOnEveryKindOfHost() throws Exception {
    for (Host host : List.of(LocalHost.create(), new EnvHost(List.of()))) {
      Files.createDirectory(tmp);
      Files.writeString(tmp.resolve(".gitops-t"), "part");
      remove(host);
      assertFalse(Files.exists(tmp, LinkOption.NOFOLLOW_LINKS), host.describe());
    }
  }

  @Test
  void aSymlinkAtTheFoldersNameIsNeitherFollowedNorRemoved() throws Exception {
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Path there = Files.writeString(elsewhere.resolve(".gitops-t"), "a file of that name where it leads");
    Files.createSymbolicLink(tmp, elsewhere);
    remove(LocalHost.create());
    assertTrue(Files.isSymbolicLink(tmp), "the link stays");
    assertTrue(Files.exists(there), "what it leads to stays");
  }

  @Test
  void anotherUsersFolderHoldingAFileOfThatUsersIsLeftAlone() throws Exception {
    Files.createDirectory(tmp);
    Path theirs = Files.writeString(tmp.resolve(".gitops-t"), "theirs");
    assumeTrue(root(theirs), "not root: only root may give a file away");
    giveAway(theirs, tmp);
    remove(LocalHost.create());
    assertTrue(Files.exists(theirs), "another user's file stays");
    assertTrue(Files.isDirectory(tmp), "and its folder");
  }

  @Test
  void aLinkInTheFolderIsRemovedItselfNeverWhatItLeadsTo() throws Exception {
    Path outside = Files.writeString(dir.resolve("outside"), "outside");
    Files.createDirectory(tmp);
    Files.createSymbolicLink(tmp.resolve(".gitops-t"), outside);
    remove(LocalHost.create());
    assertFalse(Files.exists(tmp, LinkOption.NOFOLLOW_LINKS));
    assertEquals("outside", Files.readString(outside));
  }

  @Test
  void aFolderThatHoldsMoreThanItsFileStaysWithWhatElseItHolds() throws Exception {
    Files.createDirectory(tmp);
    Files.writeString(tmp.resolve(".gitops-t"), "part");
    Path other = Files.writeString(tmp.resolve("other"), "kept");
    Files.createDirectory(tmp.resolve("sub"));
    remove(LocalHost.create());
    assertFalse(Files.exists(tmp.resolve(".gitops-t")), "its file is removed");
    assertTrue(Files.exists(other) && Files.isDirectory(tmp.resolve("sub")), "nothing else");
  }

  /**
   * Where the file system gives what this user makes to another owner (NFS with {@code root_squash}),
   * simulated by an {@code ls} first on the script's {@code PATH} that gives the file the removal made next
   * to the folder ({@code ..gitops-*}) to {@code nobody} before it looks: a folder of that owner is this
   * user's, and removed.
   */
  @Test
  void onASquashedFileSystemAFolderOfTheOwnerNewFilesGetIsRemoved() throws Exception {
    Files.createDirectory(tmp);
    Path file = Files.writeString(tmp.resolve(".gitops-t"), "part");
    assumeTrue(root(file), "not root: only root may give a file away");
    giveAway(file, tmp);
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path hook = Files.writeString(bin.resolve("ls"), "#!/bin/sh\nPATH=${PATH#*:}; export PATH\n"
        + "for a do case ${a##*/} in ..gitops-*) chown -h 65534:65534 -- \"$a\" ;; esac; done\nexec ls \"$@\"\n");
    Files.setAttribute(hook, "unix:mode", 0755);
    remove(new ScriptedNeighbour(LocalHost.create(), bin.toString()));
    assertFalse(Files.exists(tmp, LinkOption.NOFOLLOW_LINKS));
    try (var names = Files.list(app)) {
      assertEquals(List.of(), names.toList(), "the probe is removed too");
    }
  }
}
