package dev.gitops.ssh;

import static dev.gitops.ssh.FilesTargetContract.OWNER;
import static dev.gitops.ssh.FilesTargetContract.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.plan.Action;
import dev.gitops.target.TargetException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The private folder of the one write script on a file system that gives what root makes to another
 * owner, as NFS with {@code root_squash} gives it to {@code nobody}: {@code [ -O . ]} fails for the
 * folder this very {@code mkdir} made. Simulated as root on this machine by programs first on the
 * script's {@code PATH} ({@link ScriptedNeighbour}): a {@code mkdir} that gives a temporary folder it
 * made to {@code nobody}, and an {@code ls} that gives what is in such a folder to {@code nobody} before
 * it runs (the file the script made there, as the server would have made it). Before, every write of
 * a tree's file failed there (exit 22: "swapped before the write entered it").
 */
class SquashedFolderTest {
  private static final int NOBODY = 65534;

  @TempDir
  Path dir;
  private Path root;
  private Path bin;

  @BeforeEach
  void hooks() throws Exception {
    root = Files.createDirectories(dir.resolve("root/app")).getParent();
    Path probe = Files.writeString(dir.resolve("probe"), "");
    assumeTrue((Integer) Files.getAttribute(probe, "unix:uid") == 0, "not root: only root may give a folder away");
    bin = Files.createDirectories(dir.resolve("bin"));
    hook("mkdir", "mkdir \"$@\" || exit\nfor a do l=$a; done\n"
        + "case ${l##*/} in .gitops-*) chown -h 65534:65534 -- \"$l\" ;; esac\n");
  }

  private void hook(String name, String body) throws Exception {
    Path hook = Files.writeString(bin.resolve(name), "#!/bin/sh\nPATH=${PATH#*:}; export PATH\n" + body);
    Files.setAttribute(hook, "unix:mode", 0755);
  }

  /**
   * What the server does to a file root makes in the folder, done before the script's {@code ls} looks,
   * and to the one a removal of a folder left makes next to it to learn that owner (named for the folder,
   * {@code ..gitops-*}: given away before {@code ls} looks at it).
   */
  private void squashFilesToo() throws Exception {
    hook("ls", "case $(pwd) in */.gitops-*) chown -h 65534:65534 -- ./.gitops-* 2>/dev/null ;; esac\n"
        + "for a do case ${a##*/} in ..gitops-*) chown -h 65534:65534 -- \"$a\" ;; esac; done\nexec ls \"$@\"\n");
  }

  private FilesTarget target(ScriptedNeighbour host) {
    return FilesTarget.of(host, root.toString());
  }

  @Test
  void aFolderWhoseNewFilesGetAnotherOwnerIsWrittenThroughWhenAFileMadeInItGetsThatOwner() throws Exception {
    squashFilesToo();
    try (FilesTarget target = target(new ScriptedNeighbour(LocalHost.create(), bin.toString()))) {
      target.apply(new Action.Create(text("app/a.conf", "v1\n")), OWNER);
    }
    Path file = root.resolve("app/a.conf");
    assertEquals("v1\n", Files.readString(file));
    assertEquals(NOBODY, Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS), "made as the server makes it");
    assertEquals(0644, (Integer) Files.getAttribute(file, "unix:mode") & 07777);
    assertEquals(List.of(), temporaries(), "the folder is removed");
  }

  /**
   * A file too large to hold, streamed one command a chunk ({@link PrivateScripts#stream}): each command
   * after the first enters such a folder again, which is not this user's by {@code [ -O . ]}, and takes
   * it as the first command did (the folder has the owner of the file made in it).
   */
  @Test
  void aFileStreamedIntoSuchAFolderIsWrittenThrough() throws Exception {
    squashFilesToo();
    byte[] data = new byte[2 * (1 << 20) + 5];
    java.util.Arrays.fill(data, (byte) 'x');
    PrivateScripts.stream(new ScriptedNeighbour(LocalHost.create(), bin.toString()), root + "/app/.gitops-t",
        root + "/app/big", new java.io.ByteArrayInputStream(data), data.length, dev.gitops.model.FileMode.of(0644),
        false, root.toString());
    assertEquals(data.length, Files.size(root.resolve("app/big")));
    assertEquals(NOBODY, Files.getAttribute(root.resolve("app/big"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
    assertEquals(List.of(), temporaries(), "the folder is removed");
  }

  @Test
  void withoutProcSuchAFolderIsRefusedSayingWhy() throws Exception {
    squashFilesToo();
    try (FilesTarget target = target(new ScriptedNeighbour(LocalHost.create(), bin.toString()).withoutProc())) {
      TargetException e = assertThrows(TargetException.class,
          () -> target.apply(new Action.Create(text("app/a.conf", "v1\n")), OWNER));
      assertTrue(e.getMessage().contains("is not owned by the user it runs as (a file system that gives new files"
          + " another owner, as NFS with root_squash"), e.getMessage());
    }
    assertFalse(Files.exists(root.resolve("app/a.conf"), LinkOption.NOFOLLOW_LINKS), "nothing written");
    assertEquals(List.of(), temporaries(), "the folder is removed");
  }

  /**
   * A folder whose owner is not that of a file made in it is another user's (swapped in by someone who
   * can write the target's folder): refused, as before.
   */
  @Test
  void aFolderOfAnotherOwnerThanTheFilesMadeInItIsRefused() throws Exception {
    try (FilesTarget target = target(new ScriptedNeighbour(LocalHost.create(), bin.toString()))) {
      TargetException e = assertThrows(TargetException.class,
          () -> target.apply(new Action.Create(text("app/a.conf", "v1\n")), OWNER));
      assertTrue(e.getMessage().contains("was swapped before the write entered it"), e.getMessage());
    }
    assertFalse(Files.exists(root.resolve("app/a.conf"), LinkOption.NOFOLLOW_LINKS), "nothing written");
  }

  /**
   * The one write script killed between its write and its rename there, and the connection lost (as
   * {@code HostContract.aShellWriteCutOffInsideItsFolderLeavesNothing}): the folder, which is not this
   * user's by {@code [ -O . ]}, is removed at once with the file in it, as it is where it is the user's.
   */
  @Test
  void aWriteCutOffInsideSuchAFolderLeavesNothing() throws Exception {
    squashFilesToo();
    Host cut = new CutOff(new ScriptedNeighbour(LocalHost.create(), bin.toString()), command -> true,
        script -> script.replace("exec mv ", "exit 9; exec mv ").replace("s=$?; ", "exit 9; "));
    Files.writeString(root.resolve("app/f"), "old");
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> ShellFiles.writeAndRename(cut,
        root + "/app/.gitops-t", root + "/app/f", new byte[] {1}, 0644, true, root.toString()));
    assertEquals("connection lost", e.getMessage());
    assertEquals("old", Files.readString(root.resolve("app/f")));
    assertEquals(List.of(), temporaries(), "the folder is removed");
  }

  /**
   * The removal of a folder a write left, where the folder is not this user's by {@code [ -O . ]}, makes a
   * file next to it to learn the owner this user's files get ({@link PrivateScripts#remove}); that removal
   * killed between the file's create and its {@code rm} (an {@code rm} first on the script's {@code PATH}
   * kills the script's shell instead) leaves it, {@code nobody}'s: the next sweep of that folder removes it
   * with the folder. Before, it was left for ever ({@code .gitops-probe.XXXXXX}: no one's name to sweep).
   */
  @Test
  void aProbeFileThatAKilledRemovalLeftIsRemovedByTheNextSweep() throws Exception {
    squashFilesToo();
    hook("rm", "for a do case ${a##*/} in .gitops-probe.*|..gitops-*) kill -KILL $PPID; exit 1 ;; esac; done\n"
        + "exec rm \"$@\"\n");
    try (FilesTarget target = FilesTarget.of(cutBeforeTheRename(), root.toString())) {
      target.read(dev.gitops.target.Scope.owned(OWNER));
      assertThrows(TargetException.class, () -> target.apply(new Action.Create(text("app/a.conf", "v1\n")), OWNER));
    }
    assertEquals(2, temporaries().size(), "the folder, and the probe its killed removal left: " + temporaries());
    Files.delete(bin.resolve("rm"));
    try (FilesTarget target = target(new ScriptedNeighbour(LocalHost.create(), bin.toString()))) {
      target.read(dev.gitops.target.Scope.owned(OWNER));
      target.apply(new Action.Create(text("app/a.conf", "v1\n")), OWNER);
    }
    assertEquals("v1\n", Files.readString(root.resolve("app/a.conf")));
    assertEquals(List.of(), temporaries(), "the next sweep of app removed the folder and the probe");
  }

  /**
   * Through the one write script, as {@link ScriptedNeighbour} writes, whose run for {@code app/a.conf} is
   * killed before its looks and its rename ({@code ln} for a create) and before its clean-up, and the connection then lost: the folder is left to the
   * write's removal ({@link PrivateScripts#removeLeft}).
   */
  private Host cutBeforeTheRename() {
    return new CutOff(new ScriptedNeighbour(LocalHost.create(), bin.toString()),
        command -> command.size() > 5 && command.get(5).endsWith("/app/a.conf"),
        script -> script.replace("i=0; for d do", "exit 9; i=0; for d do").replace("s=$?; ", "exit 9; ")) {
      @Override public void writeAndRename(String tmp, String path, byte[] data, int permissions, boolean replace,
          String root) throws java.io.IOException {
        ShellFiles.writeAndRename(this, tmp, path, data, permissions, replace, root);
      }
    };
  }

  /**
   * A host whose write script ({@code gitops-write-rename}) for a command {@code which} picks runs as
   * {@code kill} rewrites it (an {@code exit 9} before a step), and whose connection is then lost.
   */
  private static class CutOff extends ForwardingHost {
    private final java.util.function.Predicate<List<String>> which;
    private final java.util.function.UnaryOperator<String> kill;

    CutOff(Host host, java.util.function.Predicate<List<String>> which, java.util.function.UnaryOperator<String> kill) {
      super(host);
      this.which = which;
      this.kill = kill;
    }

    @Override public Result exec(List<String> command, byte[] stdin, java.time.Duration timeout)
        throws java.io.IOException {
      if (command.size() > 3 && command.get(3).equals("gitops-write-rename") && which.test(command)) {
        List<String> killed = new java.util.ArrayList<>(command);
        killed.set(2, kill.apply(command.get(2)));
        host.exec(killed, stdin, timeout);
        throw new java.io.IOException("connection lost");
      }
      return host.exec(command, stdin, timeout);
    }

    @Override public Result exec(List<String> command, byte[] stdin) throws java.io.IOException {
      return exec(command, stdin, timeout());
    }
  }

  private List<String> temporaries() throws Exception {
    try (var names = Files.list(root.resolve("app"))) {
      return names.map(p -> p.getFileName().toString()).filter(n -> n.contains(".gitops-")).toList();
    }
  }
}
