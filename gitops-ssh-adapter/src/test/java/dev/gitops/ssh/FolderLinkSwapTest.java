package dev.gitops.ssh;

import static dev.gitops.ssh.FilesTargetContract.OWNER;
import static dev.gitops.ssh.FilesTargetContract.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.TargetException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Host}'s one write script ({@link PrivateScripts}) makes its private folder ({@code mkdir}), then
 * enters it ({@code cd -P}): a neighbour who can write the target's folder swaps the folder's name, between
 * the two, for a symlink to another empty {@code 0700} folder of the same user outside the root (a
 * {@code mkdir} first on the {@code PATH} of a host that only runs commands, {@link EnvHost}, renames the
 * folder it made away and puts the link in its place). Before, the script took that folder (this user's, {@code 0700},
 * empty: all it checked) and wrote the file in it, outside the root, then renamed it into place; now the
 * folder entered must be in the folder the private one was made in ({@code [ .. -ef "$u" ]}) and its name
 * no symlink, and nothing is written.
 */
class FolderLinkSwapTest {
  @TempDir
  Path dir;
  private Path root;
  private Path elsewhere;
  private Path bin;
  private Path written;

  @BeforeEach
  void neighbour() throws Exception {
    root = Files.createDirectories(dir.resolve("root/app")).getParent();
    elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
    Files.setAttribute(elsewhere, "unix:mode", 0700);
    bin = Files.createDirectories(dir.resolve("bin"));
    written = dir.resolve("written-in");
    hook("mkdir", "mkdir \"$@\" || exit\nfor a do l=$a; done\ncase ${l##*/} in .gitops-*)\n"
        + "  mv -- \"$l\" \"$l.moved\" && ln -s -- " + Shell.quote(elsewhere.toString()) + " \"$l\" || exit 99 ;;\nesac\n");
    // where the script writes the file: the folder it entered, as cat runs there
    hook("cat", "pwd -P >> " + Shell.quote(written.toString()) + "\nexec cat \"$@\"\n");
  }

  /**
   * This machine as a host that only runs commands, every file operation {@code Host}'s shell default,
   * the hooks first on its {@code PATH}.
   */
  private Host execOnly() {
    return new EnvHost(java.util.List.of("PATH=" + bin + ":" + System.getenv("PATH")));
  }

  private void hook(String name, String body) throws Exception {
    Path hook = Files.writeString(bin.resolve(name), "#!/bin/sh\nPATH=${PATH#*:}; export PATH\n" + body);
    Files.setAttribute(hook, "unix:mode", 0755);
  }

  @Test
  void aSymlinkSwappedInForTheFolderBeforeItIsEnteredIsRefusedAndNothingIsWrittenWhereItLeads() throws Exception {
    try (FilesTarget target = FilesTarget.of(execOnly(), root.toString())) {
      TargetException e = assertThrows(TargetException.class,
          () -> target.apply(new Action.Create(text("app/a.conf", "v1\n")), OWNER));
      assertTrue(e.getMessage().contains("swapped before the write entered it"), e.getMessage());
    }
    assertNothingWrittenElsewhere();
    assertFalse(Files.exists(root.resolve("app/a.conf"), LinkOption.NOFOLLOW_LINKS), "nothing renamed into place");
  }

  /** A file too large to hold, streamed: its first command makes and enters the folder the same way. */
  @Test
  void aStreamedWriteRefusesASymlinkSwappedInForItsFolder() throws Exception {
    byte[] data = new byte[(int) Content.Bytes.LARGE + 1];
    Arrays.fill(data, (byte) 'x');
    Resource large = Resource.of(ResourceId.file("app/big"), Content.bytes(data, FileMode.of(0644)));
    try (FilesTarget target = FilesTarget.of(execOnly(), root.toString())) {
      TargetException e = assertThrows(TargetException.class, () -> target.apply(new Action.Create(large), OWNER));
      assertTrue(e.getMessage().contains("swapped before the write entered it"), e.getMessage());
    }
    assertNothingWrittenElsewhere();
    assertFalse(Files.exists(root.resolve("app/big"), LinkOption.NOFOLLOW_LINKS), "nothing renamed into place");
  }

  /**
   * A later command of a streamed write enters the folder again by its name: a symlink put there between
   * its look at the name ({@code -L}) and its {@code cd} (the neighbour run right there, in the script, as
   * the race would have it), to a {@code 0700} folder of the user's elsewhere holding a file of the folder's
   * name (the user's, one link: all the command checked), was entered, and the chunk appended to that file,
   * outside the root. Now the folder entered must be in the target's folder ({@code ..}), and nothing more is
   * written.
   */
  @Test
  void aLaterCommandOfAStreamedWriteRefusesASymlinkSwappedInBeforeItsCd() throws Exception {
    Path other = dir.resolve("other");
    Path acted = dir.resolve("acted");
    Path neighbour = Files.writeString(dir.resolve("neighbour"), "#!/bin/sh\n[ -e " + Shell.quote(acted.toString())
        + " ] && exit 0; : > " + Shell.quote(acted.toString()) + "\nt=$1; o=" + Shell.quote(other.toString()) + "\n"
        + "mkdir -m 700 -- \"$o\" && (umask 077; : > \"$o/${t##*/}\") && mv -- \"$t\" \"$t.moved\" && ln -s -- \"$o\" \"$t\"\n");
    Files.setAttribute(neighbour, "unix:mode", 0755);
    Host racing = new ForwardingHost(new EnvHost(java.util.List.of())) {
      @Override public Result exec(java.util.List<String> command, byte[] stdin, java.time.Duration timeout)
          throws java.io.IOException {
        if (command.size() > 4 && command.get(3).equals("gitops-stream-append")) {
          java.util.List<String> raced = new java.util.ArrayList<>(command);
          raced.set(2, command.get(2).replaceFirst("cd -P -- ", java.util.regex.Matcher.quoteReplacement(
              Shell.quote(neighbour.toString()) + " \"$t\"; cd -P -- ")));
          command = raced;
        }
        return host.exec(command, stdin, timeout);
      }

      @Override public Result exec(java.util.List<String> command, byte[] stdin) throws java.io.IOException {
        return exec(command, stdin, timeout());
      }
    };
    byte[] data = new byte[2 << 20];
    Arrays.fill(data, (byte) 'x');
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> PrivateScripts.stream(racing,
        root + "/app/.gitops-t", root + "/app/big", new java.io.ByteArrayInputStream(data), data.length,
        FileMode.of(0644), false, root.toString()));
    assertTrue(e.getMessage().contains("no longer this user's 0700 folder"), e.getMessage());
    assertTrue(Files.exists(acted), "the neighbour acted");
    assertEquals(0, Files.size(other.resolve(".gitops-t")), "nothing appended to the file outside the root");
    assertFalse(Files.exists(root.resolve("app/big"), LinkOption.NOFOLLOW_LINKS), "nothing renamed into place");
  }

  private void assertNothingWrittenElsewhere() throws Exception {
    String where = Files.exists(written) ? Files.readString(written) : "";
    assertFalse(where.contains(elsewhere.toString()), "the file was written in the folder the link leads to: " + where);
    try (var names = Files.list(elsewhere)) {
      assertEquals(0, names.count(), "the folder the link leads to is left empty");
    }
    assertEquals(0700, (Integer) Files.getAttribute(elsewhere, "unix:mode") & 07777);
  }
}
