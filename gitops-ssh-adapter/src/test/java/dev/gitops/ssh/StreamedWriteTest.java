package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.model.FileMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Host}'s streamed write of a file too large to hold ({@link PrivateScripts#stream}), one command
 * a chunk in a private folder, on an exec-only host: what a neighbour who can write the target's folder
 * does between two of its commands, and input cut short. Files of a few chunks (1 MiB each): the
 * streamed path takes any size; {@code ExecOnlyHostSwapTest} writes one just over the limit through a
 * files target.
 */
class StreamedWriteTest {
  private static final int NOBODY = 65534;

  @TempDir
  Path dir;

  private static byte[] data(int size) {
    byte[] data = new byte[size];
    Arrays.fill(data, (byte) 'x');
    return data;
  }

  /** An exec-only host on this machine that runs {@code between} before each command after the first of a write. */
  private Host host(Between between) {
    return new ForwardingHost(new EnvHost(List.of())) {
      @Override public Result exec(List<String> command, byte[] stdin, Duration timeout) throws IOException {
        if (command.size() > 4 && command.get(3).startsWith("gitops-stream-") && !command.get(3).endsWith("first")) {
          stdin = between.act(command.get(4), stdin);
        }
        return host.exec(command, stdin, timeout);
      }

      @Override public Result exec(List<String> command, byte[] stdin) throws IOException {
        return exec(command, stdin, timeout());
      }
    };
  }

  /** What happens to the folder {@code tmp} (and the chunk sent) before a later command of the write. */
  interface Between {
    byte[] act(String tmp, byte[] chunk) throws IOException;
  }

  private void stream(Host host, Path root, byte[] data) throws IOException {
    Files.createDirectories(root.resolve("app"));
    PrivateScripts.stream(host, root + "/app/.gitops-t", root + "/app/big", new ByteArrayInputStream(data),
        data.length, FileMode.of(0640), false, root.toString());
  }

  private List<String> temporaries(Path app) throws IOException {
    try (var names = Files.list(app)) {
      return names.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".gitops-t")).sorted().toList();
    }
  }

  @Test
  void aFileOfSeveralChunksIsWrittenWithItsModeAndNothingLeft() throws Exception {
    Path root = dir.resolve("root");
    byte[] data = data(3 * (1 << 20) + 5);
    stream(host((tmp, chunk) -> chunk), root, data);
    assertArrayEquals(data, Files.readAllBytes(root.resolve("app/big")));
    assertEquals(0640, (Integer) Files.getAttribute(root.resolve("app/big"), "unix:mode") & 07777);
    assertEquals(List.of(), temporaries(root.resolve("app")));
  }

  /** A chunk cut short on its way (a connection lost ends {@code cat} as the end of its input would). */
  @Test
  void inputCutShortIsNeverRenamedIntoPlace() throws Exception {
    Path root = dir.resolve("root");
    IOException e = assertThrows(IOException.class, () -> stream(host((tmp, chunk) ->
        Arrays.copyOf(chunk, Math.max(0, chunk.length - 100))), root, data(2 * (1 << 20) + 5)));
    assertTrue(e.getMessage().contains("holds fewer bytes than the"), e.getMessage());
    assertFalse(Files.exists(root.resolve("app/big"), LinkOption.NOFOLLOW_LINKS));
    assertEquals(List.of(), temporaries(root.resolve("app")), "the folder is removed");
  }

  /**
   * The folder renamed away between two commands and another user's put at its name, holding a file of
   * that user's of the same name: nothing is appended to it, nothing renamed into place.
   */
  @Test
  void aFolderOfAnotherUserSwappedInBetweenChunksIsNotWrittenTo() throws Exception {
    Path root = dir.resolve("root");
    Path probe = Files.writeString(dir.resolve("probe"), "");
    assumeTrue((Integer) Files.getAttribute(probe, "unix:uid") == 0, "not root: only root may give a folder away");
    Path theirs = dir.resolve("theirs");
    IOException e = assertThrows(IOException.class, () -> stream(host((tmp, chunk) -> {
      Path t = Path.of(tmp);
      if (!Files.exists(t.resolveSibling(".gitops-t.moved"))) {
        Files.move(t, t.resolveSibling(".gitops-t.moved"));
        Files.createDirectory(t);
        Files.writeString(t.resolve(".gitops-t"), "theirs\n");
        Files.createLink(theirs, t.resolve(".gitops-t"));
        Files.delete(theirs); // one link, as a file the neighbour made there
        for (Path p : List.of(t.resolve(".gitops-t"), t)) {
          Files.setAttribute(p, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
        }
        Files.setAttribute(t, "unix:mode", 0700);
      }
      return chunk;
    }), root, data(2 * (1 << 20))));
    assertTrue(e.getMessage().contains("is no longer this user's 0700 folder"), e.getMessage());
    assertEquals("theirs\n", Files.readString(root.resolve("app/.gitops-t/.gitops-t")), "nothing appended");
    assertFalse(Files.exists(root.resolve("app/big"), LinkOption.NOFOLLOW_LINKS));
  }

  /** A hard link to a file outside put in place of the file in a folder of this user's: one link too many. */
  @Test
  void aHardLinkInAFolderOfThisUsersIsNotWrittenTo() throws Exception {
    Path root = dir.resolve("root");
    Path secret = Files.writeString(dir.resolve("secret"), "secret\n");
    IOException e = assertThrows(IOException.class, () -> stream(host((tmp, chunk) -> {
      Path t = Path.of(tmp);
      if (!Files.exists(t.resolveSibling(".gitops-t.moved"))) {
        Files.move(t, t.resolveSibling(".gitops-t.moved"));
        Files.createDirectory(t);
        Files.setAttribute(t, "unix:mode", 0700);
        Files.createLink(t.resolve(".gitops-t"), secret);
      }
      return chunk;
    }), root, data(2 * (1 << 20))));
    assertTrue(e.getMessage().contains("is no longer this user's 0700 folder"), e.getMessage());
    assertEquals("secret\n", Files.readString(secret), "nothing appended to the file outside");
    assertFalse(Files.exists(root.resolve("app/big"), LinkOption.NOFOLLOW_LINKS));
  }

  /** The folder's name swapped for a symlink (to the folder itself, moved): never entered. */
  @Test
  void aSymlinkAtTheFoldersNameIsNotEntered() throws Exception {
    Path root = dir.resolve("root");
    IOException e = assertThrows(IOException.class, () -> stream(host((tmp, chunk) -> {
      Path t = Path.of(tmp);
      if (!Files.isSymbolicLink(t)) {
        Files.move(t, t.resolveSibling(".gitops-t.moved"));
        Files.createSymbolicLink(t, t.resolveSibling(".gitops-t.moved"));
      }
      return chunk;
    }), root, data(2 * (1 << 20))));
    assertTrue(e.getMessage().contains("is no longer this user's 0700 folder"), e.getMessage());
    assertFalse(Files.exists(root.resolve("app/big"), LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.isSymbolicLink(root.resolve("app/.gitops-t")), "the link is left alone");
    assertEquals(1 << 20, Files.size(root.resolve("app/.gitops-t.moved/.gitops-t")), "the first chunk alone");
  }
}
