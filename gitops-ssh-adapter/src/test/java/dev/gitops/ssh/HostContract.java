package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Host} does, run over {@link LocalHost}, {@link SshHost} and a host that has only
 * {@link Host#exec} (so over {@code Host}'s defaults). Every host in the tests serves this machine's
 * files, so results are checked with {@code java.nio}.
 */
public interface HostContract {

  /** The host under test. */
  Host host();

  /** A fresh, empty directory the host reaches. */
  Path dir();

  private String at(String name) {
    return dir().resolve(name).toString();
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  default void anExclusiveWriteCreatesWithTheExactModeAndRefusesAnythingThere() throws Exception {
    byte[] data = "line\n".getBytes(StandardCharsets.UTF_8);
    host().write(at("a"), data, 0640, true);
    assertArrayEquals(data, Files.readAllBytes(dir().resolve("a")));
    assertEquals("rw-r-----", mode(dir().resolve("a")));
    assertThrows(FileAlreadyExistsException.class, () -> host().write(at("a"), data, 0600, true));
    Files.createSymbolicLink(dir().resolve("link"), dir().resolve("nowhere"));
    assertThrows(FileAlreadyExistsException.class, () -> host().write(at("link"), data, 0600, true));
    assertFalse(Files.exists(dir().resolve("nowhere")), "a dangling symlink is not followed");
    host().write(at("wide"), data, 0777, true);
    assertEquals("rwxrwxrwx", mode(dir().resolve("wide")), "the umask does not cut an exact mode");
  }

  @Test
  default void entriesAreTheRegularFilesAndDirectoriesNeverASymlinkNorWhatItLeadsTo() throws Exception {
    Files.writeString(dir().resolve("f"), "x");
    Files.writeString(dir().resolve(".hidden file\nwith a newline"), "x");
    Files.createDirectories(dir().resolve("d"));
    Files.createDirectories(dir().resolve(".d"));
    Files.createSymbolicLink(dir().resolve("to-d"), dir().resolve("d"));
    Files.createSymbolicLink(dir().resolve("to-f"), dir().resolve("f"));
    assertEquals(java.util.Map.of("f", Host.Stat.Type.FILE, ".hidden file\nwith a newline", Host.Stat.Type.FILE,
        "d", Host.Stat.Type.DIRECTORY, ".d", Host.Stat.Type.DIRECTORY), host().entries(dir().toString()));
    assertEquals(java.util.Map.of(), host().entries(dir() + "/absent"));
  }

  /**
   * The shell's one write script ({@code SystemSshHost}'s) killed between the write and the rename, and
   * the connection lost: the folder it wrote in is removed with the file in it, at once, by one command more.
   */
  @Test
  default void aShellWriteCutOffInsideItsFolderLeavesNothing() throws Exception {
    Path root = Files.createDirectories(dir().resolve("cut"));
    Files.writeString(root.resolve("f"), "old");
    Host cut = new ForwardingHost(host()) {
      @Override public Result exec(List<String> command, byte[] stdin, Duration timeout) throws IOException {
        return exec(command, stdin);
      }
      @Override public Result exec(List<String> command, byte[] stdin) throws IOException {
        if (command.size() > 3 && command.get(3).equals("gitops-write-rename")) {
          List<String> killed = new java.util.ArrayList<>(command);
          // what a kill leaves: the subshell ends before its rename, the script before its clean-up
          killed.set(2, command.get(2).replace("exec mv ", "exit 9; exec mv ").replace("s=$?; ", "exit 9; "));
          host.exec(killed, stdin);
          throw new IOException("connection lost");
        }
        return host.exec(command, stdin);
      }
    };
    IOException e = assertThrows(IOException.class, () -> ShellFiles.writeAndRename(cut, root + "/.t", root + "/f",
        new byte[] {1}, 0644, true, root.toString()));
    assertEquals("connection lost", e.getMessage());
    assertEquals("old", Files.readString(root.resolve("f")));
    assertFalse(Files.exists(root.resolve(".t"), LinkOption.NOFOLLOW_LINKS), "the folder is removed");
  }

  /**
   * The shell's one write script given fewer bytes than were sent (the connection lost mid-upload: the
   * remote {@code cat} sees its input end and exits 0): refused, never renamed into place.
   */
  @Test
  default void aShellWriteThatReceivedPartOfItsBytesRenamesNothing() throws Exception {
    Path root = Files.createDirectories(dir().resolve("short"));
    Files.writeString(root.resolve("f"), "old");
    Host cut = new ForwardingHost(host()) {
      @Override public Result exec(List<String> command, byte[] stdin) throws IOException {
        boolean write = command.size() > 3 && command.get(3).equals("gitops-write-rename");
        return host.exec(command, write ? java.util.Arrays.copyOf(stdin, stdin.length / 2) : stdin);
      }
    };
    assertThrows(IOException.class, () -> ShellFiles.writeAndRename(cut, root + "/.t", root + "/f",
        "new content".getBytes(StandardCharsets.UTF_8), 0644, true, root.toString()));
    assertEquals("old", Files.readString(root.resolve("f")), "a part of the new content is never put in place");
    assertFalse(Files.exists(root.resolve(".t"), LinkOption.NOFOLLOW_LINKS), "the folder is removed");
  }

  @Test
  default void writeAndRenameUnderARootRefusesTheRenameWhenADirectoryOnTheWayIsASymlinkOrNoDirectory()
      throws Exception {
    Path root = dir().resolve("root");
    Files.createDirectories(root.resolve("a/b"));
    Path outside = Files.createDirectories(dir().resolve("outside"));
    Files.writeString(outside.resolve("f"), "outside");
    host().writeAndRename(root + "/a/b/.t1", root + "/a/b/f", new byte[] {1}, 0644, true, root.toString());
    assertArrayEquals(new byte[] {1}, Files.readAllBytes(root.resolve("a/b/f")), "real directories: written");
    Files.move(root.resolve("a/b"), dir().resolve("b-moved"));
    Files.createSymbolicLink(root.resolve("a/b"), outside); // as if swapped after the caller's look
    IOException e = assertThrows(IOException.class, () -> host().writeAndRename(root + "/a/b/.t2", root + "/a/b/f",
        new byte[] {2}, 0644, true, root.toString()));
    assertTrue(e.getMessage().contains(root + "/a/b is a symlink now"), e.getMessage());
    assertEquals("outside", Files.readString(outside.resolve("f")), "nothing renamed through it");
    Files.delete(root.resolve("a/b"));
    Files.writeString(root.resolve("a/b"), "a file");
    e = assertThrows(IOException.class, () -> host().writeAndRename(root + "/a/b/.t3", root + "/a/b/f",
        new byte[] {3}, 0644, true, root.toString()));
    assertEquals("a file", Files.readString(root.resolve("a/b")));
    Files.createSymbolicLink(dir().resolve("current"), root); // the root itself may be a symlink: taken as named
    host().writeAndRename(dir() + "/current/.t4", dir() + "/current/top", new byte[] {4}, 0644, true,
        dir() + "/current");
    assertArrayEquals(new byte[] {4}, Files.readAllBytes(root.resolve("top")));
  }

  @Test
  default void renameReplacesOrRefusesAtomically() throws Exception {
    Files.writeString(dir().resolve("new"), "new");
    Files.writeString(dir().resolve("old"), "old");
    assertThrows(FileAlreadyExistsException.class, () -> host().rename(at("new"), at("old"), false));
    assertEquals("old", Files.readString(dir().resolve("old")));
    host().rename(at("new"), at("old"), true);
    assertEquals("new", Files.readString(dir().resolve("old")));
    assertFalse(Files.exists(dir().resolve("new")));
    Files.writeString(dir().resolve("next"), "next");
    host().rename(at("next"), at("fresh"), false);
    assertEquals("next", Files.readString(dir().resolve("fresh")));
    assertFalse(Files.exists(dir().resolve("next")));
  }

  @Test
  default void writeAndRenameRefusesAnExistingTargetWhenNotReplacing() throws Exception {
    Files.writeString(dir().resolve("lock"), "held");
    assertThrows(FileAlreadyExistsException.class,
        () -> host().writeAndRename(at("tmp"), at("lock"), new byte[] {1}, 0600, false));
    assertEquals("held", Files.readString(dir().resolve("lock")));
    host().writeAndRename(at("tmp2"), at("free"), new byte[] {1}, 0600, false);
    assertArrayEquals(new byte[] {1}, Files.readAllBytes(dir().resolve("free")));
    host().writeAndRename(at("tmp3"), at("free"), new byte[] {2}, 0640, true);
    assertArrayEquals(new byte[] {2}, Files.readAllBytes(dir().resolve("free")));
    assertEquals("rw-r-----", mode(dir().resolve("free")));
    assertFalse(Files.exists(dir().resolve("tmp3")) || Files.exists(dir().resolve("tmp2")), "no temporary left");
    Files.writeString(dir().resolve("taken"), "x");
    assertThrows(FileAlreadyExistsException.class,
        () -> host().writeAndRename(at("taken"), at("other"), new byte[] {3}, 0600, true), "the temporary must be new");
    assertEquals("x", Files.readString(dir().resolve("taken")));
  }

  @Test
  default void appendCreatesOwnerOnlyAndAppends() throws Exception {
    host().append(at("journal"), "a\n".getBytes(StandardCharsets.UTF_8));
    host().append(at("journal"), "b\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("a\nb\n", Files.readString(dir().resolve("journal")));
    assertEquals("rw-------", mode(dir().resolve("journal")));
  }

  @Test
  default void aStreamedWriteHoldsEveryByteWithItsModeAndStatSaysItsSize() throws Exception {
    byte[] data = new byte[(3 << 20) + 12_345]; // over the default's 1 MiB chunks and SFTP's 32 KiB
    new java.util.Random(19).nextBytes(data);
    host().write(at("big"), new java.io.ByteArrayInputStream(data), 0640, true);
    assertArrayEquals(data, Files.readAllBytes(dir().resolve("big")));
    assertEquals(0640, host().stat(at("big")).permissions());
    assertEquals(data.length, host().stat(at("big")).size());
    assertThrows(FileAlreadyExistsException.class,
        () -> host().write(at("big"), new java.io.ByteArrayInputStream(data), 0600, true));
    host().write(at("big"), new java.io.ByteArrayInputStream(new byte[] {1, 2}), 0600, false);
    assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(dir().resolve("big")));
    assertEquals(0600, host().stat(at("big")).permissions());
  }

  @Test
  default void readAndStatSayAbsentAndNeverFollowAFinalSymlink() throws Exception {
    assertNull(host().read(at("absent")));
    assertEquals(Host.Stat.ABSENT, host().stat(at("absent")));
    Files.writeString(dir().resolve("f"), "x");
    Files.setPosixFilePermissions(dir().resolve("f"), PosixFilePermissions.fromString("rwxr-x---"));
    Host.Stat f = host().stat(at("f"));
    assertEquals(Host.Stat.Type.FILE, f.type());
    assertEquals(0750, f.permissions());
    assertNotNull(f.modified());
    Files.createSymbolicLink(dir().resolve("l"), dir().resolve("f"));
    assertEquals(Host.Stat.Type.SYMLINK, host().stat(at("l")).type());
    Files.createDirectory(dir().resolve("d"));
    assertEquals(Host.Stat.Type.DIRECTORY, host().stat(at("d")).type());
    assertArrayEquals("x".getBytes(StandardCharsets.UTF_8), host().read(at("f")));
  }

  @Test
  default void readAndAppendRefuseWhatIsNotARegularFileNeverFollowingNorOpeningIt() throws Exception {
    Files.writeString(dir().resolve("f"), "x");
    Files.createSymbolicLink(dir().resolve("l"), dir().resolve("f"));
    Files.createDirectory(dir().resolve("d"));
    byte[] line = "line\n".getBytes(StandardCharsets.UTF_8);
    for (String verb : List.of("read", "appended to")) {
      IOException link = assertThrows(IOException.class, () -> readOrAppend(verb, at("l"), line));
      assertTrue(link.getMessage().contains(at("l") + " is a symlink, not a regular file: not " + verb), link.getMessage());
      IOException d = assertThrows(IOException.class, () -> readOrAppend(verb, at("d"), line));
      assertTrue(d.getMessage().contains(at("d") + " is a directory, not a regular file: not " + verb), d.getMessage());
    }
    assertEquals("x", Files.readString(dir().resolve("f")), "nothing appended through the link");
    Path fifo = dir().resolve("fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    // the other end waits for this one: a read or append that opened the FIFO would succeed, never hang
    for (String[] side : List.of(new String[] {"read", "echo written > \"$1\""}, new String[] {"appended to", "cat \"$1\" >/dev/null"})) {
      Process other = new ProcessBuilder("sh", "-c", side[1], "end", fifo.toString()).start();
      try {
        IOException e = assertThrows(IOException.class, () -> readOrAppend(side[0], fifo.toString(), line));
        assertTrue(e.getMessage().contains(" is a FIFO, socket or device, not a regular file: not " + side[0]), e.getMessage());
      } finally {
        if (other.isAlive()) { // still waiting for its other end: this one lets it end
          if (side[0].equals("read")) {
            Files.readAllBytes(fifo);
          } else {
            Files.write(fifo, line);
          }
        }
        other.waitFor();
      }
    }
  }

  private void readOrAppend(String verb, String path, byte[] data) throws IOException {
    if (verb.equals("read")) {
      host().read(path);
    } else {
      host().append(path, data);
    }
  }

  @Test
  default void execKeepingTailReturnsTheEndOfEachOutputStream() throws Exception {
    Host.Result r = host().execKeepingTail(List.of("sh", "-c", "i=0; while [ $i -lt 3000 ]; do echo \"line $i\"; "
        + "i=$((i+1)); done; echo short >&2; exit 3"), new byte[0], Duration.ofMinutes(1), 20);
    assertEquals(3, r.exitCode());
    assertEquals("line 2998\nline 2999\n", new String(r.stdout(), StandardCharsets.UTF_8));
    assertEquals("short\n", new String(r.stderr(), StandardCharsets.UTF_8));
  }

  /**
   * A command that ends before it read all its input (a script that fails early, a ForceCommand that
   * ignores the command) still reports how it ended and what it printed, as OpenSSH's {@code ssh} does;
   * the input left is dropped. Over MINA's client the write of the input failed first with {@code
   * channel already closed}, and that was all the caller learnt.
   */
  @Test
  default void aCommandThatEndsBeforeReadingItsInputReportsItsStatusAndOutput() throws Exception {
    Host.Result r = host().exec(List.of("sh", "-c", "echo refused >&2; exit 3"), new byte[4 << 20]);
    assertEquals(3, r.exitCode());
    assertEquals("refused\n", new String(r.stderr(), StandardCharsets.UTF_8));
  }

  @Test
  default void deleteRemovesALinkNotWhatItPointsToAndSaysWhetherAnythingWasThere() throws Exception {
    Files.writeString(dir().resolve("f"), "x");
    Files.createSymbolicLink(dir().resolve("l"), dir().resolve("f"));
    assertTrue(host().delete(at("l")));
    assertTrue(Files.exists(dir().resolve("f")));
    assertTrue(host().delete(at("f")));
    assertFalse(host().delete(at("f")));
  }

  @Test
  default void mkdirTakesTheModeAndMkdirsMakesParents() throws Exception {
    host().mkdir(at("private"), 0700);
    assertEquals("rwx------", mode(dir().resolve("private")));
    assertThrows(IOException.class, () -> host().mkdir(at("private"), 0700));
    host().mkdirs(at("a/b/c"));
    assertTrue(Files.isDirectory(dir().resolve("a/b/c")));
    host().mkdirs(at("a/b/c"));
  }

  @Test
  default void chmodAndChownNeverChangeWhatASymlinkLeadsToNorWaitOnAFifo() throws Exception {
    Path f = Files.writeString(dir().resolve("f"), "x");
    Files.setAttribute(f, "unix:mode", 0600);
    Files.createSymbolicLink(dir().resolve("l"), f);
    String group = Groups.of(f);
    String other = Groups.moveToAnother(f);
    IOException chmod = assertThrows(IOException.class, () -> host().chmod(at("l"), 04777));
    assertTrue(chmod.getMessage().contains("cannot set the mode of " + at("l") + ": it is a symlink, never followed"),
        chmod.getMessage());
    assertEquals("rw-------", mode(f), "what the link leads to keeps its mode");
    if (other != null) {
      try {
        host().chown(at("l"), "", group); // the link's own group, or refused: never its file's
      } catch (IOException refused) {
        assertTrue(refused.getMessage().contains("symlink"), refused.getMessage());
      }
      assertEquals(other, Groups.of(f), "what the link leads to keeps its group");
    }
    Path fifo = dir().resolve("fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    // an open of a FIFO for its mode waits for a writer that never comes: refused or set, never held
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      try {
        host().chmod(fifo.toString(), 0600);
      } catch (IOException e) {
        assertTrue(e.getMessage().contains("FIFO"), e.getMessage());
      }
    });
  }

  @Test
  default void anUnknownOwnerOrGroupIsNamed() throws Exception {
    Files.writeString(dir().resolve("f"), "x");
    IOException owner = assertThrows(IOException.class, () -> host().chown(at("f"), "no-such-user-x1", ""));
    assertTrue(owner.getMessage().contains("no-such-user-x1"), owner.getMessage());
    IOException group = assertThrows(IOException.class, () -> host().chown(at("f"), "", "no-such-group-x1"));
    assertTrue(group.getMessage().contains("no-such-group-x1"), group.getMessage());
  }

  /** {@code chown} takes ids by number (what an update keeps: {@link KeptOwner}); {@code stat} tells them. */
  @Test
  default void chownTakesIdsByNumberAndStatTellsOwnerAndGroup() throws Exception {
    Path f = Files.writeString(dir().resolve("f"), "x");
    org.junit.jupiter.api.Assumptions.assumeTrue((Integer) Files.getAttribute(f, "unix:uid") == 0,
        "only root may give a file away");
    host().chown(at("f"), "65534", "65534");
    Host.Stat stat = host().stat(at("f"));
    if (stat.uid() < 0) { // MINA SSHD's SFTP server tells no owner, and leaves one set over SFTP
      assertEquals(-1, stat.gid());
      return;
    }
    assertEquals(List.of(65534, 65534), List.of(Files.getAttribute(f, "unix:uid"), Files.getAttribute(f, "unix:gid")));
    assertEquals(List.of(65534, 65534), List.of(stat.uid(), stat.gid()));
  }

  @Test
  default void aCommandPastItsTimeoutIsEndedAndSaysSo() throws Exception {
    Host.CommandTimeoutException e = assertThrows(Host.CommandTimeoutException.class,
        () -> host().exec(List.of("sh", "-c", "echo $$ > '" + at("pid") + "'; exec sleep 30"), new byte[0],
            Duration.ofMillis(500)));
    assertTrue(e.getMessage().contains("did not end within PT0.5S"), e.getMessage());
    Host.Result ok = host().exec(List.of("sh", "-c", "cat; echo done >&2"), "in".getBytes(StandardCharsets.UTF_8),
        Duration.ofSeconds(30));
    assertEquals("in", new String(ok.stdout(), StandardCharsets.UTF_8));
    assertEquals("done\n", new String(ok.stderr(), StandardCharsets.UTF_8));
  }
}
