package dev.gitops.ssh;

import static dev.gitops.ssh.FilesTargetContract.OWNER;
import static dev.gitops.ssh.FilesTargetContract.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.FileMode;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.Scope;
import dev.gitops.target.TargetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LocalHost} writing a file of a tree while a neighbour who can write the target's folder acts
 * between two of the write's steps ({@link PrivateFolder.Neighbour}): whatever is at the temporary name
 * then (a file, or the write's own folder: renamed away, the neighbour's put in its place) becomes a hard
 * link to a file outside the root. Before, {@code LocalHost} wrote the temporary file, set mode and owner
 * and renamed it by its name in the target's folder: the file outside was given the mode ({@code 0644}),
 * the kept owner, and was renamed into place.
 */
class LocalHostSwapTest {
  /** {@code nobody} and {@code nogroup} on Debian: ids no test user has. */
  private static final int NOBODY = 65534;

  @TempDir
  Path dir;

  private static int attr(Path file, String which) throws IOException {
    return (Integer) Files.getAttribute(file, "unix:" + which, LinkOption.NOFOLLOW_LINKS);
  }

  /** Between the folder's {@code mkdir} and its open: the neighbour's folder is refused. */
  @Test
  void aFolderSwappedInBeforeItIsOpenedIsRefused() throws Exception {
    swapBefore("open");
  }

  @Test
  void aSwapBeforeTheWriteGivesNothingAway() throws Exception {
    swapBefore("write");
  }

  @Test
  void aHardLinkSwappedInBeforeTheModeIsSetIsNotGivenIt() throws Exception {
    swapBefore("chmod");
  }

  @Test
  void aHardLinkSwappedInBeforeTheOwnerIsSetIsNotGivenIt() throws Exception {
    swapBefore("chown");
  }

  @Test
  void aHardLinkSwappedInBeforeTheRenameIsNotRenamedIntoPlace() throws Exception {
    swapBefore("rename");
  }

  /**
   * The folder the write made is not this user's once made (NFS with {@code root_squash} gives root's to
   * {@code nobody}; simulated by giving it away right after the {@code mkdir}): not written through from
   * Java, which cannot prove it the user's, but by {@code Host}'s one script, run here, which can
   * ({@code SquashedFolderTest}); nothing is left at the temporary name.
   */
  @Test
  void aFolderThatIsNotThisUsersOnceMadeIsLeftToTheShellScript() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path probe = Files.writeString(dir.resolve("probe"), "");
    assumeTrue(attr(probe, "uid") == 0, "not root: only root may give a folder away");
    boolean[] acted = {false};
    PrivateFolder.Neighbour squash = (at, tmp) -> {
      if (at.equals("open")) {
        acted[0] = true;
        Files.setAttribute(Path.of(tmp), "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
      }
    };
    try (FilesTarget target = FilesTarget.of(LocalHost.withNeighbour(squash), root.toString())) {
      target.apply(new Action.Create(file("app/a.conf", "v1\n", FileMode.of(0640))), OWNER);
    }
    assertTrue(acted[0]);
    assertEquals("v1\n", Files.readString(root.resolve("app/a.conf")));
    assertEquals(0640, attr(root.resolve("app/a.conf"), "mode") & 07777);
    try (var names = Files.list(root.resolve("app"))) {
      assertEquals(java.util.List.of("a.conf"), names.map(p -> p.getFileName().toString()).toList());
    }
  }

  /**
   * A file too large to hold with a setuid bit (which {@code java.nio} sets only by a path), its owner kept
   * (nobody's): before, it took one call a step by the temporary file's name in the target's folder (the
   * stream, {@code lchown}, {@code chmod}, a look, the rename), and a hard link swapped in before the
   * {@code chown} was given the kept owner and mode {@code 04755} (setuid to {@code nobody}) and renamed into
   * place. Now it takes {@code Host}'s private-folder script, run here ({@link PrivateScripts#stream}): no
   * step by that name is left for a neighbour.
   */
  @Test
  void aLargeSetuidFileTakesNoStepByItsTemporaryName() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path file = Files.writeString(Files.createDirectories(root.resolve("app")).resolve("tool"), "v1\n");
    assumeTrue(attr(file, "uid") == 0, "the tests do not run as root: only root may give a file away");
    Files.setAttribute(file, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(file, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
    Path secret = Files.writeString(Files.createDirectories(dir.resolve("outside")).resolve("shadow"), "secret\n");
    Files.setAttribute(secret, "unix:mode", 0600);
    PrivateFolder.Neighbour neighbour = (at, tmp) -> {
      if (at.equals("chown")) {
        swap(Path.of(tmp), secret);
      }
    };
    byte[] data = new byte[(int) dev.gitops.model.Content.Bytes.LARGE + 1];
    java.util.Arrays.fill(data, (byte) 'x');
    Resource v2 = Resource.of(ResourceId.file("app/tool"), dev.gitops.model.Content.bytes(data, FileMode.of(04755)));
    try (FilesTarget target = FilesTarget.of(LocalHost.withNeighbour(neighbour), root.toString())) {
      Observed read = target.read(Scope.of(OWNER, java.util.Set.of(v2.id()))).get(v2.id());
      try {
        target.apply(new Action.Adopt(v2, ResourceDiff.none(v2.id()), read.fingerprint()), OWNER);
      } catch (TargetException e) {
        assertTrue(e.getMessage().contains("not renamed into place"), e.getMessage());
      }
    }
    assertEquals("secret\n", Files.readString(secret), "the file outside is not written");
    assertEquals(0600, attr(secret, "mode") & 07777, "nor given the setuid mode");
    assertEquals(0, attr(secret, "uid"), "nor the owner kept");
    assertFalse(Files.isSameFile(file, secret), "the file outside is not renamed into place");
    assertEquals(data.length, Files.size(file), "the file written");
    assertEquals(04755, attr(file, "mode") & 07777);
    assertEquals(NOBODY, attr(file, "uid"), "its owner kept");
    try (var names = Files.list(root.resolve("app"))) {
      assertEquals(java.util.List.of("tool"), names.map(p -> p.getFileName().toString()).toList(), "nothing left");
    }
  }

  /**
   * The state folder's files (inventory, lock) are written flat, by name: {@code .gitops} is the user's
   * and {@code 0700}, and what a killed run leaves there must be a file, which the fold's sweep removes.
   */
  @Test
  void stateFilesAreWrittenFlatAndTreeFilesInAFolderOfTheirOwn() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    java.util.List<String> steps = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (FilesTarget target = FilesTarget.of(LocalHost.withNeighbour((at, tmp) -> steps.add(at + " " + tmp)),
        root.toString())) {
      target.read(Scope.owned(OWNER));
      target.apply(new Action.Create(file("a.conf", "x\n", FileMode.of(0644))), OWNER);
      target.flush();
      target.lock("ci", null).close();
    }
    assertTrue(steps.stream().anyMatch(s -> s.startsWith("mkdir " + root + "/.gitops-")), steps.toString());
    assertTrue(steps.stream().noneMatch(s -> s.contains("/.gitops/")), steps.toString());
  }

  /**
   * The tests' seam in {@link LocalHost#chown}: the neighbour acts before a {@code chown} of a tree's
   * temporary file's name ({@link TempNames}), and of no other name; a host without one
   * ({@link PrivateFolder.Neighbour#NONE}) does not look at the name at all.
   */
  @Test
  void theNeighbourActsBeforeAChownOfATreesTemporaryNameOnly() throws Exception {
    java.util.List<String> seen = new java.util.ArrayList<>();
    LocalHost host = LocalHost.withNeighbour((at, tmp) -> seen.add(at + " " + tmp));
    Path tmp = Files.writeString(dir.resolve(".gitops-" + "0123456789ab".repeat(2) + ".tmp"), "");
    Path conf = Files.writeString(dir.resolve("a.conf"), "");
    Path state = Files.writeString(dir.resolve(".a.conf.gitops-0123456789ab.tmp"), "");
    for (Path p : java.util.List.of(conf, tmp, state)) {
      host.chown(p.toString(), "", Groups.of(p));
    }
    assertEquals(java.util.List.of("chown " + tmp), seen);
  }

  /**
   * Adopts {@code app/secret.yaml} (nobody's, {@code 0600}; written {@code 0644}, its owner kept) while
   * the neighbour acts once, right before {@code step}; checks that the file outside keeps its bytes,
   * mode and owner and is not what is in place.
   */
  private void swapBefore(String step) throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path app = Files.createDirectories(root.resolve("app"));
    Path file = app.resolve("secret.yaml");
    Files.writeString(file, "v1\n");
    Files.setAttribute(file, "unix:mode", 0600);
    assumeTrue(attr(file, "uid") == 0, "the tests do not run as root: only root may give a file away");
    Files.setAttribute(file, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS); // an update keeps it: a chown
    Files.setAttribute(file, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
    Path secret = Files.writeString(Files.createDirectories(dir.resolve("outside")).resolve("shadow"), "secret\n");
    Files.setAttribute(secret, "unix:mode", 0600);
    boolean[] acted = {false};
    PrivateFolder.Neighbour neighbour = (at, tmp) -> {
      if (at.equals(step) && !acted[0]) {
        acted[0] = true;
        swap(Path.of(tmp), secret);
      }
    };
    Resource v2 = file("app/secret.yaml", "v2\n", FileMode.of(0644));
    try (FilesTarget target = FilesTarget.of(LocalHost.withNeighbour(neighbour), root.toString())) {
      Observed read = target.read(Scope.of(OWNER, java.util.Set.of(v2.id()))).get(ResourceId.file("app/secret.yaml"));
      try {
        target.apply(new Action.Adopt(v2, ResourceDiff.none(v2.id()), read.fingerprint()), OWNER);
      } catch (TargetException e) {
        assertTrue(e.getMessage().contains("swapped"), e.getMessage());
      }
    }
    assertTrue(acted[0], "the neighbour acted");
    assertEquals("secret\n", Files.readString(secret), "the file outside is not written");
    assertEquals(0600, attr(secret, "mode") & 07777, "nor given the mode of the file written");
    assertEquals(0, attr(secret, "uid"), "nor the owner kept");
    assertFalse(Files.isSymbolicLink(file));
    assertFalse(Files.isSameFile(file, secret), "the file outside is not renamed into place");
    String now = Files.readString(file);
    assertTrue(now.equals("v2\n") || now.equals("v1\n"), "the file written, or the one it replaces: " + now);
    assertEquals(NOBODY, attr(file, "uid"), "the file in place keeps its owner");
  }

  /**
   * What a neighbour does: a file at {@code tmp} becomes a hard link to {@code secret}; the write's
   * folder there is renamed away and a folder of the neighbour's ({@code nobody}'s) put in its place,
   * holding such a link under the file's name.
   */
  private static void swap(Path tmp, Path secret) throws IOException {
    if (Files.isDirectory(tmp, LinkOption.NOFOLLOW_LINKS)) {
      Files.move(tmp, tmp.resolveSibling(tmp.getFileName() + ".moved"), StandardCopyOption.ATOMIC_MOVE);
      Files.createDirectory(tmp);
      Files.setAttribute(tmp, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
      Files.createLink(tmp.resolve(tmp.getFileName()), secret);
    } else if (Files.exists(tmp, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(tmp);
      Files.createLink(tmp, secret);
    }
  }
}
