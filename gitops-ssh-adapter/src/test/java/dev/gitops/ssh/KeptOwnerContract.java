package dev.gitops.ssh;

import static dev.gitops.ssh.FilesTargetContract.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/**
 * The owner and group of a file an update replaces, when Git names none ({@link KeptOwner}): kept
 * when the connecting user is root, as Ansible's {@code copy} keeps them; a new file is the connecting
 * user's. Run over every kind of {@link Host} by {@link FilesTargetSuite}; skipped unless the tests
 * run as root (the hosts in the tests connect as the user the tests run as).
 */
interface KeptOwnerContract extends FileNamesContract {
  /** {@code nobody} and {@code nogroup} on Debian: ids no test user has. */
  int NOBODY = 65534;

  /**
   * False for a host whose SFTP server answers a {@code setstat} of owner and group with OK and
   * leaves them (MINA SSHD's, 2.20.0): there the update is written and the file is root's.
   */
  default boolean setsOwners() {
    return true;
  }

  private static int id(Path file, String which) throws Exception {
    return (Integer) Files.getAttribute(file, "unix:" + which, LinkOption.NOFOLLOW_LINKS);
  }

  /** Creates {@code path} with {@code mode}, then gives it to nobody:nogroup and sets the mode again. */
  private Path createOwnedByNobody(String path, FileMode mode) throws Exception {
    files().apply(new Action.Create(file(path, "v1\n", mode)), OWNER);
    Path file = root().resolve(path);
    assumeTrue(id(file, "uid") == 0, "the tests do not run as root: only root may give a file away");
    Files.setAttribute(file, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(file, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(file, "unix:mode", mode.permissions(), LinkOption.NOFOLLOW_LINKS); // chown cleared setuid
    return file;
  }

  private void update(String path, FileMode mode) {
    Resource v2 = file(path, "v2\n", mode);
    Observed read = fresh().read(Scope.owned(OWNER)).get(ResourceId.file(path));
    files().apply(new Action.Update(v2, ResourceDiff.none(v2.id()), read.fingerprint()), OWNER);
  }

  /**
   * An app's config, {@code 0600} and owned by the app's user: an update as root used to give it to
   * root (the temporary file is root's, renamed over the old one), and the app could no longer read it.
   */
  @Test
  default void anUpdateAsRootKeepsTheOwnerAndGroupOfTheFileItReplaces() throws Exception {
    Path file = createOwnedByNobody("app/config.yaml", FileMode.of(0600));
    update("app/config.yaml", FileMode.of(0600));
    assertEquals("v2\n", Files.readString(file));
    int kept = setsOwners() ? NOBODY : 0;
    assertEquals(kept, id(file, "uid"), "the owner of the file replaced");
    assertEquals(kept, id(file, "gid"), "the group of the file replaced");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  /** A group named in Git is set; the owner it does not name is the replaced file's, not root's. */
  @Test
  default void aGroupNamedInGitIsSetAndTheOwnerItDoesNotNameIsKept() throws Exception {
    Path file = createOwnedByNobody("app/grouped.yaml", FileMode.of(0640));
    String group = Groups.of(root()); // root's, the tests running as root
    update("app/grouped.yaml", new FileMode(0640, "", group));
    assertEquals("v2\n", Files.readString(file));
    assertEquals(setsOwners() ? NOBODY : 0, id(file, "uid"), "the owner Git does not name");
    assertEquals(group, Groups.of(file), "the group Git names");
  }

  /** chown clears setuid and setgid: they are set again after it, and checked before the rename. */
  @Test
  default void aKeptOwnerKeepsSetuidAndSetgidBits() throws Exception {
    assumeTrue(keepsSpecialModeBits() && setsOwners(), "this host's SFTP server drops setuid and setgid bits");
    Path file = createOwnedByNobody("bin/tool", FileMode.of(06755));
    update("bin/tool", FileMode.of(06755));
    assertEquals("v2\n", Files.readString(file));
    assertEquals(NOBODY, id(file, "uid"));
    assertEquals(NOBODY, id(file, "gid"));
    assertEquals(06755, id(file, "mode") & 07777);
  }

  /**
   * The temporary file swapped for a symlink to a file outside the root just before its owner is
   * set: the owner is set on the link itself (lchown), never on the file it leads to, and the link
   * is not renamed into place; the file replaced keeps its bytes and owner. A host that only runs
   * commands writes the file in one script, with no call between the write and the owner for the
   * neighbour to act before: the file is written, and nothing outside changes (inside the script:
   * {@link #aTemporaryFileSwappedForASymlinkInsideTheOneWriteScriptGivesNothingOutsideAway}).
   */
  @Test
  default void aTemporaryFileSwappedForASymlinkBeforeTheKeptOwnerIsSetGivesNothingOutsideAway() throws Exception {
    Path file = createOwnedByNobody("app/secret.yaml", FileMode.of(0600));
    Path outside = Files.createDirectories(root().resolveSibling("outside-owner"));
    Path secret = Files.writeString(outside.resolve("shadow"), "secret\n");
    Files.setAttribute(secret, "unix:mode", 0600);
    Tamper neighbour = new Tamper(files().host(), "chown", p -> p.contains(".gitops-"), p -> {
      Files.delete(Path.of(p));
      Files.createSymbolicLink(Path.of(p), secret);
    });
    boolean steps = ForwardingHost.takesSteps(files().host());
    try (FilesTarget target = FilesTarget.of(neighbour, root().toString())) {
      Observed read = target.read(Scope.owned(OWNER)).get(ResourceId.file("app/secret.yaml"));
      Resource v2 = file("app/secret.yaml", "v2\n", FileMode.of(0600));
      Action update = new Action.Update(v2, ResourceDiff.none(v2.id()), read.fingerprint());
      if (steps) {
        TargetException e = assertThrows(TargetException.class, () -> target.apply(update, OWNER));
        assertTrue(neighbour.acted() && e.getMessage().contains("symlink"), e.getMessage());
      } else {
        target.apply(update, OWNER);
        assertFalse(neighbour.acted(), "one script: no chown call to act before");
      }
    }
    assertEquals(0, id(secret, "uid"), "the file the link leads to is not given away");
    assertEquals(0, id(secret, "gid"));
    assertEquals(0600, id(secret, "mode") & 07777);
    assertFalse(Files.isSymbolicLink(file));
    assertEquals(steps ? "v1\n" : "v2\n", Files.readString(file), "nothing renamed into place, or the file written");
    assertEquals(NOBODY, id(file, "uid"));
    try (var left = Files.list(file.getParent())) {
      assertFalse(left.anyMatch(p -> p.getFileName().toString().contains(".gitops-")), "no temporary file stays");
    }
  }

  /**
   * {@link SystemSshHost}'s one write script (write, {@code chown}, looks, rename), with the temporary
   * file's folder changed inside the script, right before its {@code chown}, by a neighbour who can
   * write the target's folder: a temporary file swapped for a symlink to a file outside the root. The
   * file outside keeps its owner, mode and bytes, and what is renamed into place is the file written.
   */
  @Test
  default void aTemporaryFileSwappedForASymlinkInsideTheOneWriteScriptGivesNothingOutsideAway() throws Exception {
    swapInsideTheOneWriteScript(false, "chown", true, 0600);
  }

  /**
   * As {@link #aTemporaryFileSwappedForASymlinkInsideTheOneWriteScriptGivesNothingOutsideAway} with a
   * hard link: {@code chown -h} by the name gave the file outside away (and the link was renamed into
   * place, a regular file), where the kernel lets the neighbour link it ({@code fs.protected_hardlinks=0},
   * or a file the neighbour owns; root here).
   */
  @Test
  default void aTemporaryFileSwappedForAHardLinkInsideTheOneWriteScriptGivesNothingOutsideAway() throws Exception {
    swapInsideTheOneWriteScript(true, "chown", true, 0600);
  }

  /**
   * The same script for an update that sets no owner (the file replaced is {@code 0:0}), the swap for a
   * hard link made right before its {@code chmod}: {@code chmod} by the name (after a look for a
   * symlink, which a hard link passes) gave the file outside the mode of the file written (here
   * {@code 0644}: readable by all).
   */
  @Test
  default void aTemporaryFileSwappedForAHardLinkBeforeItsModeIsSetGivesNothingOutsideAway() throws Exception {
    swapInsideTheOneWriteScript(true, "chmod", true, 0644);
  }

  /**
   * On a host without {@code /proc/self/fd} (macOS, the BSDs, a container without {@code /proc}) the
   * script set the owner by the name ({@code chown -h}): a hard link swapped in before it gave the file
   * outside to the kept owner and was renamed into place.
   */
  @Test
  default void withoutProcATemporaryFileSwappedForAHardLinkBeforeItsOwnerIsSetGivesNothingOutsideAway()
      throws Exception {
    swapInsideTheOneWriteScript(true, "chown", false, 0600);
  }

  /** As above, before the mode is set: {@code chmod} by the name gave the file outside {@code 0644}. */
  @Test
  default void withoutProcATemporaryFileSwappedForAHardLinkBeforeItsModeIsSetGivesNothingOutsideAway()
      throws Exception {
    swapInsideTheOneWriteScript(true, "chmod", false, 0644);
  }

  /**
   * Between the script's last look at the temporary file and its {@code mv}, the name swapped for a
   * hard link to a file outside: the link was renamed into place, so the managed path was the file
   * outside (its bytes served as the app's config; the next update's look found it changed).
   */
  @Test
  default void aTemporaryFileSwappedForAHardLinkRightBeforeItsRenameIsNotPutInPlace() throws Exception {
    swapInsideTheOneWriteScript(true, "mv", true, 0644);
  }

  /**
   * A setuid and setgid file whose owner is kept took {@code Host}'s steps through {@code SystemSshHost}
   * (one command each: the write, {@code chown -h} by the name, {@code chmod} again, a look, the rename):
   * a hard link swapped in before the {@code chown} gave the file outside the kept owner, then the mode
   * {@code 06755} (setuid to that owner), and was renamed into place.
   */
  @Test
  default void aSetuidFileSwappedForAHardLinkBeforeItsOwnerIsSetGivesNothingOutsideAway() throws Exception {
    assumeTrue(keepsSpecialModeBits() && setsOwners(), "this host's SFTP server drops setuid and setgid bits");
    swapInsideTheOneWriteScript(true, "chown", true, 06755);
  }

  /**
   * A neighbour who can write the target's folder (only that: as a user who is not root, it cannot
   * enter a folder of root's that is {@code 0700}) acts on the temporary file's name right before the
   * script runs {@code command}: a temporary file is swapped for a link to a file outside; a temporary
   * folder is renamed away and one of the neighbour's put in its place, holding such a link under the
   * name of the file written in it.
   */
  private void swapInsideTheOneWriteScript(boolean hard, String command, boolean proc, int perms) throws Exception {
    boolean owned = command.equals("chown");
    Path file = owned ? createOwnedByNobody("app/secret.yaml", FileMode.of(perms)) : root().resolve("app/secret.yaml");
    if (!owned) {
      files().apply(new Action.Create(file("app/secret.yaml", "v1\n", FileMode.of(0600))), OWNER);
    }
    int uid = id(file, "uid");
    Path outside = Files.createDirectories(root().resolveSibling("outside-script"));
    Path secret = Files.writeString(outside.resolve("shadow"), "secret\n");
    Files.setAttribute(secret, "unix:mode", 0600);
    Path acted = outside.resolve("acted");
    Path bin = Files.createDirectories(root().resolveSibling("neighbour-bin"));
    String link = "ln " + (hard ? "" : "-s ") + "-- " + Shell.quote(secret.toString());
    Path hook = Files.writeString(bin.resolve(command), "#!/bin/sh\nPATH=${PATH#*:}; export PATH\n"
        + "[ -e " + Shell.quote(acted.toString()) + " ] && exec " + command + " \"$@\"\n" // once
        + "for t in " + Shell.quote(file.getParent().toString()) + "/.gitops-*; do\n"
        + "  [ -e \"$t\" ] || [ -L \"$t\" ] || continue\n"
        + "  if [ -d \"$t\" ] && [ ! -L \"$t\" ]; then\n" // a temporary folder: renamed away, the neighbour's put there
        + "    mv -- \"$t\" \"$t.moved\" && mkdir -- \"$t\" && " + link + " \"$t/${t##*/}\" || exit 99\n"
        + "  else\n"
        + "    rm -f -- \"$t\" && " + link + " \"$t\" || exit 99\n"
        + "  fi\n  : > " + Shell.quote(acted.toString()) + "\n"
        + "done\nexec " + command + " \"$@\"\n");
    Files.setAttribute(hook, "unix:mode", 0755);
    ScriptedNeighbour neighbour = new ScriptedNeighbour(files().host(), bin.toString());
    try (FilesTarget target = FilesTarget.of(proc ? neighbour : neighbour.withoutProc(), root().toString())) {
      Observed read = target.read(Scope.owned(OWNER)).get(ResourceId.file("app/secret.yaml"));
      Resource v2 = file("app/secret.yaml", "v2\n", FileMode.of(perms));
      try {
        target.apply(new Action.Update(v2, ResourceDiff.none(v2.id()), read.fingerprint()), OWNER);
      } catch (TargetException e) {
        assertTrue(e.getMessage().contains("is no longer the file just written: not renamed into place"), e.getMessage());
      }
      assertTrue(Files.exists(acted), "the neighbour acted inside the script");
    }
    assertEquals(0, id(secret, "uid"), "the file the link leads to is not given away");
    assertEquals(0, id(secret, "gid"));
    assertEquals(0600, id(secret, "mode") & 07777, "nor given the mode of the file written");
    assertEquals("secret\n", Files.readString(secret), "nor written");
    assertFalse(Files.isSymbolicLink(file));
    assertFalse(Files.isSameFile(file, secret), "the file outside is not renamed into place");
    if (Files.readString(file).equals("v2\n")) { // written, the neighbour's doing left aside
      assertEquals(uid, id(file, "uid"));
      assertEquals(perms, id(file, "mode") & 07777);
    } else {
      assertEquals("v1\n", Files.readString(file), "nothing renamed into place");
      assertEquals(uid, id(file, "uid"));
    }
    try (var left = Files.list(file.getParent())) {
      assertFalse(left.anyMatch(p -> p.getFileName().toString().contains(".gitops-") && !Files.isDirectory(p,
          LinkOption.NOFOLLOW_LINKS)), "no temporary file stays (the neighbour's folders aside)");
    }
  }

  /**
   * {@code SystemSshHost}'s one write script on a host that drops setuid, setgid and sticky bits (here a
   * {@code chmod} first on its {@code PATH} that takes them away again): refused, naming the mode, as
   * {@code Host}'s steps refuse it, never written with a mode that differs from Git's for ever.
   */
  @Test
  default void theOneWriteScriptRefusesAHostThatDropsSetuidBits() throws Exception {
    Path bin = Files.createDirectories(root().resolveSibling("dropping-bin"));
    Path hook = Files.writeString(bin.resolve("chmod"), "#!/bin/sh\nPATH=${PATH#*:}; export PATH\n"
        + "chmod \"$@\" || exit\nfor a do l=$a; done\nexec chmod ug-s,-t -- \"$l\"\n");
    Files.setAttribute(hook, "unix:mode", 0755);
    try (FilesTarget target = FilesTarget.of(new ScriptedNeighbour(files().host(), bin.toString()), root().toString())) {
      FileMode mode = FileMode.of(04755);
      TargetException e = assertThrows(TargetException.class,
          () -> target.apply(new Action.Create(file("bin/tool", "#!/bin/sh\n", mode)), OWNER));
      assertTrue(e.getMessage().contains("where " + mode + " was asked: it drops setuid, setgid or sticky bits"),
          e.getMessage());
      assertFalse(e.retryable());
    }
    assertFalse(Files.exists(root().resolve("bin/tool"), LinkOption.NOFOLLOW_LINKS), "nothing written");
    try (var left = Files.list(root().resolve("bin"))) {
      assertFalse(left.anyMatch(p -> p.getFileName().toString().contains(".gitops-")), "no temporary file stays");
    }
  }

  /** Creating a file replaces none: it is the connecting user's, as before. */
  @Test
  default void aNewFileIsTheConnectingUsers() throws Exception {
    Files.writeString(root().resolve("probe"), "");
    int me = id(root().resolve("probe"), "uid");
    files().apply(new Action.Create(file("new.conf", "v1\n", FileMode.of(0640))), OWNER);
    assertEquals(me, id(root().resolve("new.conf"), "uid"));
  }
}
