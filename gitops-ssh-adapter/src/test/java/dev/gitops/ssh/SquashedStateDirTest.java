package dev.gitops.ssh;

import static dev.gitops.ssh.FilesTargetContract.OWNER;
import static dev.gitops.ssh.FilesTargetContract.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.Scope;
import dev.gitops.target.TargetException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state folder {@code .gitops} on a file system that gives what root makes to another owner, as
 * NFS with {@code root_squash} gives it to {@code nobody} (65534): the folder, and the files root makes
 * in it, are {@code nobody}'s. Simulated as root ({@link ScriptedNeighbour}): the folder is given to
 * {@code nobody}, and an {@code ls} first on the scripts' {@code PATH} gives a probe file made in it to
 * {@code nobody} before it looks, as the server would have made it. Before, such a folder was refused as
 * another user's, so root could not keep a target's state on such a share although its writes work
 * there ({@code SquashedFolderTest}). A folder of another user's, whose new files are not its owner's,
 * is refused as before, and so is one that group or others may write.
 */
class SquashedStateDirTest {
  private static final int NOBODY = 65534;

  @TempDir
  Path dir;
  private Path root;
  private Path state;
  private Path bin;

  @BeforeEach
  void squashed() throws Exception {
    root = Files.createDirectories(dir.resolve("root"));
    state = Files.createDirectory(root.resolve(".gitops"));
    Files.setAttribute(state, "unix:mode", 0700);
    assumeTrue((Integer) Files.getAttribute(state, "unix:uid") == 0, "not root: only root may give a folder away");
    Files.setAttribute(state, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(state, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
    bin = Files.createDirectories(dir.resolve("bin"));
  }

  /** What the server does to a file root makes in the state folder, done before the script's {@code ls} looks. */
  private void squashFilesToo() throws Exception {
    Path hook = Files.writeString(bin.resolve("ls"), "#!/bin/sh\nPATH=${PATH#*:}; export PATH\n"
        + "case $(pwd) in */.gitops) chown -h 65534:65534 -- ./.gitops-probe-* ./.squash-probe.* 2>/dev/null ;; esac\n"
        + "exec ls \"$@\"\n");
    Files.setAttribute(hook, "unix:mode", 0755);
  }

  private FilesTarget target(Host host) {
    return FilesTarget.of(host, root.toString());
  }

  @Test
  void aStateFolderWhoseNewFilesGetItsOwnerIsUsedAndSoAreTheStateFilesOfThatOwner() throws Exception {
    squashFilesToo();
    try (FilesTarget target = target(new ScriptedNeighbour(LocalHost.create(), bin.toString()))) {
      target.read(Scope.owned(OWNER));
      target.apply(new Action.Create(text("app/a.conf", "v1\n")), OWNER);
      target.flush();
    }
    try (var names = Files.list(state)) { // what the server would have made them: nobody's
      for (Path p : names.toList()) {
        Files.setAttribute(p, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
      }
    }
    try (FilesTarget target = target(new ScriptedNeighbour(LocalHost.create(), bin.toString()))) {
      assertTrue(target.read(Scope.owned(OWNER)).get(ResourceId.file("app/a.conf")) != null, "read back as owned");
    }
    assertEquals("v1\n", Files.readString(root.resolve("app/a.conf")));
    assertEquals(List.of(), probes(), "no probe left");
  }

  /** The probe files in the state folder, by the name they have now or had before (.gitops-probe-KEY). */
  private List<String> probes() throws Exception {
    try (var names = Files.list(state)) {
      return names.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(".gitops-probe-") || n.startsWith(".squash-probe.")).sorted().toList();
    }
  }

  /**
   * A run killed between the probe's create and its removal (an {@code rm} first on the script's
   * {@code PATH} kills the script's shell instead) leaves the probe file, {@code nobody}'s: the next run
   * removes it. Before, it was left for ever (its name, {@code .gitops-probe-KEY}, was no one's to sweep).
   */
  @Test
  void aProbeFileThatAKilledRunLeftIsRemovedByTheNextRun() throws Exception {
    squashFilesToo();
    Path rm = Files.writeString(bin.resolve("rm"), "#!/bin/sh\nPATH=${PATH#*:}; export PATH\n"
        + "case $(pwd) in */.gitops) kill -KILL $PPID; exit 1 ;; esac\nexec rm \"$@\"\n");
    Files.setAttribute(rm, "unix:mode", 0755);
    try (FilesTarget target = target(new ScriptedNeighbour(LocalHost.create(), bin.toString()))) {
      assertThrows(TargetException.class, () -> target.read(Scope.owned(OWNER)), "the probe was killed");
    }
    assertEquals(1, probes().size(), "the killed run left its probe: " + probes());
    Files.delete(rm);
    try (FilesTarget target = target(new ScriptedNeighbour(LocalHost.create(), bin.toString()))) {
      target.read(Scope.owned(OWNER));
      target.apply(new Action.Create(text("app/a.conf", "v1\n")), OWNER);
      target.flush();
    }
    assertEquals("v1\n", Files.readString(root.resolve("app/a.conf")));
    assertEquals(List.of(), probes(), "the next run removed the probe left");
  }

  /** Files root makes there are root's: the folder is another user's, as before. */
  @Test
  void aStateFolderOfAnotherOwnerThanTheFilesMadeInItIsRefused() throws Exception {
    try (FilesTarget target = target(new ScriptedNeighbour(LocalHost.create(), bin.toString()))) {
      TargetException e = assertThrows(TargetException.class, () -> target.read(Scope.owned(OWNER)));
      assertTrue(e.getMessage().contains("is owned by uid 65534, not by this user (uid 0) nor root"), e.getMessage());
    }
  }

  @Test
  void aSquashedStateFolderOthersMayWriteIsRefused() throws Exception {
    squashFilesToo();
    Files.setAttribute(state, "unix:mode", 0777);
    try (FilesTarget target = target(new ScriptedNeighbour(LocalHost.create(), bin.toString()))) {
      TargetException e = assertThrows(TargetException.class, () -> target.read(Scope.owned(OWNER)));
      assertTrue(e.getMessage().contains("writable by group and others"), e.getMessage());
    }
  }

  /** In a squashed folder, a state file of a third user (neither root, nor the folder's owner) is refused. */
  @Test
  void aStateFileOfAThirdUserInASquashedFolderIsRefused() throws Exception {
    squashFilesToo();
    Path inventory = Files.writeString(state.resolve(OWNER + ".inventory"), "{}");
    Files.setAttribute(inventory, "unix:mode", 0600);
    Files.setAttribute(inventory, "unix:uid", 1234, LinkOption.NOFOLLOW_LINKS);
    try (FilesTarget target = target(new ScriptedNeighbour(LocalHost.create(), bin.toString()))) {
      TargetException e = assertThrows(TargetException.class, () -> target.read(Scope.owned(OWNER)));
      assertTrue(e.getMessage().contains("owned by uid 1234"), e.getMessage());
    }
  }

  @Test
  void withoutProcASquashedStateFolderIsRefusedSayingWhy() throws Exception {
    squashFilesToo();
    try (FilesTarget target = target(new ScriptedNeighbour(LocalHost.create(), bin.toString()).withoutProc())) {
      TargetException e = assertThrows(TargetException.class, () -> target.read(Scope.owned(OWNER)));
      assertTrue(e.getMessage().contains("no /proc/self/fd"), e.getMessage());
    }
  }
}
