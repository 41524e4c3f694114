package dev.gitops.ssh;

import static dev.gitops.ssh.FilesTargetContract.OWNER;
import static dev.gitops.ssh.FilesTargetContract.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.Content;
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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own {@link Host} that implements only {@link Host#exec} (over a jump host, a container's
 * exec), every file operation {@code Host}'s default: a neighbour who can write the target's folder
 * swaps the temporary file for a hard link to a file outside the root right before a {@code chown}
 * or {@code chmod} runs (a program of that name first on the host's {@code PATH}, which then runs the
 * real one). Before, the defaults took one command a step (the write, {@code chown -h} and {@code chmod}
 * by the temporary file's name, the rename): the file outside was given the owner or renamed into
 * place. Now the defaults run the one private-folder script {@link SystemSshHost} sends.
 */
class ExecOnlyHostSwapTest {
  /** {@code nobody} and {@code nogroup} on Debian: ids no test user has. */
  private static final int NOBODY = 65534;

  @TempDir
  Path dir;

  private static int id(Path file, String which) throws Exception {
    return (Integer) Files.getAttribute(file, "unix:" + which, LinkOption.NOFOLLOW_LINKS);
  }

  /** A kept owner (the file replaced is nobody's): {@code chown -h} by the name gave the file outside away. */
  @Test
  void aHardLinkSwappedInBeforeTheOwnerIsSetIsNotGivenItNorRenamedIntoPlace() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Host plain = new EnvHost(List.of());
    FilesTarget.of(plain, root.toString()).apply(new Action.Create(file("app/secret.yaml", "v1\n",
        FileMode.of(0600))), OWNER);
    Path file = root.resolve("app/secret.yaml");
    assumeTrue(id(file, "uid") == 0, "the tests do not run as root: only root may give a file away");
    Files.setAttribute(file, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(file, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
    Path secret = swapAndWrite(root, "chown", true, FileMode.of(0600));
    assertEquals(0, id(secret, "uid"), "the file the link leads to is not given away");
    assertEquals(0, id(secret, "gid"));
    assertEquals(NOBODY, id(file, "uid"), "the file in place keeps its owner");
  }

  /** No owner set: the hard link put in place of the temporary file was renamed into place. */
  @Test
  void aHardLinkSwappedInBeforeTheModeIsSetIsNotGivenItNorRenamedIntoPlace() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    swapAndWrite(root, "chmod", false, FileMode.of(0644));
  }

  /**
   * A file over {@link Content.Bytes#LARGE} bytes, streamed: before, it took {@code Host}'s steps by the
   * temporary file's name (the first chunk written, the others appended, {@code chmod}, {@code chown -h},
   * a look, the rename), so a hard link swapped in at the first {@code chmod} was appended the rest of
   * the file and given its mode, and one swapped in at the {@code chown} given the owner, then renamed
   * into place. Now it is streamed into the same private folder, a chunk a command.
   */
  @Test
  void aLargeFileSwappedForAHardLinkBeforeItsModeIsSetIsNotWrittenNorRenamedIntoPlace() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    swapAndWrite(root, "chmod", false, FileMode.of(0644), large());
  }

  /** As above, the owner kept from the file replaced (nobody's): a hard link swapped in before the {@code chown}. */
  @Test
  void aLargeFileSwappedForAHardLinkBeforeItsOwnerIsSetGivesNothingAway() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    FilesTarget.of(new EnvHost(List.of()), root.toString()).apply(new Action.Create(file("app/secret.yaml", "v1\n",
        FileMode.of(0600))), OWNER);
    Path file = root.resolve("app/secret.yaml");
    assumeTrue(id(file, "uid") == 0, "the tests do not run as root: only root may give a file away");
    Files.setAttribute(file, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(file, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
    Path secret = swapAndWrite(root, "chown", true, FileMode.of(0600), large());
    assertEquals(0, id(secret, "uid"), "the file the link leads to is not given away");
    if (Files.size(file) > 3) {
      assertEquals(NOBODY, id(file, "uid"), "the file in place keeps the owner of the file it replaced");
    }
  }

  /** One byte over {@link Content.Bytes#LARGE}: the smallest file that is streamed. */
  private static byte[] large() {
    byte[] data = new byte[(int) Content.Bytes.LARGE + 1];
    java.util.Arrays.fill(data, (byte) 'x');
    return data;
  }

  private Path swapAndWrite(Path root, String command, boolean update, FileMode mode) throws Exception {
    return swapAndWrite(root, command, update, mode, "v2\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * Writes {@code app/secret.yaml} (an update when it exists) through an exec-only host whose
   * {@code command} first swaps every temporary name in {@code app} for a hard link to a file outside
   * the root (a temporary folder: renamed away and the neighbour's put in its place, the link in it),
   * once; checks that the file outside keeps its bytes and mode and is not what is in place.
   */
  private Path swapAndWrite(Path root, String command, boolean update, FileMode mode, byte[] data) throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Path secret = Files.writeString(outside.resolve("shadow"), "secret\n");
    Files.setAttribute(secret, "unix:mode", 0600);
    Path acted = outside.resolve("acted");
    Path app = Files.createDirectories(root.resolve("app"));
    Path bin = Files.createDirectories(dir.resolve("neighbour-bin"));
    String link = "ln -- " + Shell.quote(secret.toString());
    Path hook = Files.writeString(bin.resolve(command), "#!/bin/sh\nPATH=${PATH#*:}; export PATH\n"
        + "[ -e " + Shell.quote(acted.toString()) + " ] && exec " + command + " \"$@\"\n"
        + "for t in " + Shell.quote(app.toString()) + "/.gitops-*; do\n"
        + "  [ -e \"$t\" ] || [ -L \"$t\" ] || continue\n"
        + "  if [ -d \"$t\" ] && [ ! -L \"$t\" ]; then\n"
        + "    mv -- \"$t\" \"$t.moved\" && mkdir -- \"$t\" && " + link + " \"$t/${t##*/}\" || exit 99\n"
        + "  else\n"
        + "    rm -f -- \"$t\" && " + link + " \"$t\" || exit 99\n"
        + "  fi\n  : > " + Shell.quote(acted.toString()) + "\n"
        + "done\nexec " + command + " \"$@\"\n");
    Files.setAttribute(hook, "unix:mode", 0755);
    Host execOnly = new EnvHost(List.of("PATH=" + bin + ":" + System.getenv("PATH")));
    Resource v2 = Resource.of(ResourceId.file("app/secret.yaml"), Content.bytes(data, mode));
    try (FilesTarget target = FilesTarget.of(execOnly, root.toString())) {
      Observed read = target.read(Scope.owned(OWNER)).get(ResourceId.file("app/secret.yaml"));
      try {
        target.apply(update ? new Action.Update(v2, ResourceDiff.none(v2.id()), read.fingerprint())
            : new Action.Create(v2), OWNER);
      } catch (TargetException e) {
        assertTrue(e.getMessage().contains("not renamed into place"), e.getMessage());
      }
    }
    assertTrue(Files.exists(acted), "the neighbour acted");
    assertEquals(7, Files.size(secret), "the file outside is not written");
    assertEquals("secret\n", Files.readString(secret), "the file outside is not written");
    assertEquals(0600, id(secret, "mode") & 07777, "nor given the mode of the file written");
    Path file = root.resolve("app/secret.yaml");
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      assertFalse(Files.isSymbolicLink(file));
      assertFalse(Files.isSameFile(file, secret), "the file outside is not renamed into place");
      byte[] now = Files.readAllBytes(file);
      assertTrue(java.util.Arrays.equals(now, data) || update && java.util.Arrays.equals(now, "v1\n".getBytes()),
          "the file written, or the one it replaces: " + now.length + " bytes");
    }
    return secret;
  }
}
