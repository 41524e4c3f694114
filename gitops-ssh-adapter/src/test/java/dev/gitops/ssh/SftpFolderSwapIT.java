package dev.gitops.ssh;

import static dev.gitops.ssh.FilesTargetContract.OWNER;
import static dev.gitops.ssh.FilesTargetContract.text;
import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.plan.Action;
import dev.gitops.target.TargetException;
import dev.gitops.testing.ssh.OpenSshd;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SshHost} writes a file of a tree over SFTP, against a real OpenSSH {@code sshd}: every request
 * names its file by a path the server resolves anew ({@code open}, {@code lstat}, {@code rename},
 * {@code posix-rename@openssh.com}: OpenSSH's {@code sftp-server.c} calls {@code open(2)}, {@code lstat(2)},
 * {@code link(2)} and {@code rename(2)} with the paths as sent). A neighbour who can write {@code pub}
 * (mode {@code 0777}) swaps {@code pub/app}, again and again, for a symlink to a folder outside the root,
 * as gitops writes files into it. Before, every write that found {@code pub/app} a directory at its look
 * went on (22 of 300 in one run), each a race between requests that no SFTP request can be tied to the
 * folder looked at, which the neighbour wins with the right timing ({@link SftpSwapAtRenameIT} acts at
 * those moments: the file's bytes were left outside the root). Now a folder on the way that someone else
 * can write is refused before anything is written ({@link SharedFolders}), and nothing appears outside.
 */
class SftpFolderSwapIT {
  @AutoClose private static OpenSshd sshd;
  @AutoClose private static SshHost host;
  @TempDir
  Path dir;
  private Path root;
  private Path pub;
  private Path outside;

  @BeforeAll
  static void startServer() throws Exception {
    assumeTrue(OpenSshd.available(), "OpenSSH sshd not installed at /usr/sbin/sshd: skipping");
    sshd = OpenSshd.start(Files.createTempDirectory("openssh"));
    host = SshClients.to(sshd).build();
  }

  @BeforeEach
  void tree() throws Exception {
    root = Files.createDirectories(dir.resolve("root"));
    pub = Files.createDirectories(root.resolve("pub"));
    Files.createDirectories(pub.resolve("app"));
    Files.setAttribute(pub, "unix:mode", 0777); // a neighbour may write it
    outside = Files.createDirectories(dir.resolve("outside"));
  }

  @Test
  void aFolderSwappedForALinkOutOfTheRootWhileFilesAreWrittenIntoItNeverPutsAFileOutside() throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("link"), outside);
    List<String> failures = new ArrayList<>();
    int swaps;
    try (FilesTarget target = FilesTarget.of(host, root.toString());
         Swapper swapper = new Swapper(pub.resolve("app"), link, pub.resolve("app.aside"))) {
      for (int i = 0; i < 300; i++) {
        try {
          target.apply(new Action.Create(text("pub/app/f" + i + ".conf", "v" + i + "\n")), OWNER);
        } catch (RuntimeException e) {
          failures.add(e.getMessage());
        }
      }
      swaps = swapper.swaps.get();
    }
    assertTrue(swaps > 0, "the neighbour swapped");
    List<Path> escaped;
    try (Stream<Path> all = Files.walk(outside)) {
      escaped = all.filter(p -> !p.equals(outside)).toList();
    }
    assertEquals(List.of(), escaped, "written outside the root, through the link");
    assertEquals(300, failures.size(), "every write refused");
    assertTrue(failures.stream().allMatch(m -> m.contains("'pub' is writable by others (mode 0777) on the host")
        || m.contains("'pub/app' is a symlink on the host")), failures.get(0));
  }

  @Test
  void aFolderOthersMayWriteIsRefusedNamingItAndNothingIsWritten() throws Exception {
    try (FilesTarget target = FilesTarget.of(host, root.toString())) {
      TargetException e = assertThrows(TargetException.class,
          () -> target.apply(new Action.Create(text("pub/app/a.conf", "v1\n")), OWNER));
      assertTrue(e.getMessage().contains("'pub' is writable by others (mode 0777) on the host: whoever can write it can"
          + " swap 'pub/app' for a symlink"), e.getMessage());
      try (Stream<Path> all = Files.list(pub.resolve("app"))) {
        assertEquals(0, all.count(), "nothing written, no temporary file either");
      }
      target.apply(new Action.Create(text("pub/b.conf", "v1\n")), OWNER); // the folder itself holds no directory on the way
      assertEquals("v1\n", Files.readString(pub.resolve("b.conf")));
    }
  }

  /** In a sticky folder ({@code 01777}) only the owner of an entry (root here), the folder's and root may rename it. */
  @Test
  void aStickyFolderWhoseDirectoryIsTheUsersIsWrittenThrough() throws Exception {
    Files.setAttribute(pub, "unix:mode", 01777);
    try (FilesTarget target = FilesTarget.of(host, root.toString())) {
      target.apply(new Action.Create(text("pub/app/a.conf", "v1\n")), OWNER);
      target.apply(new Action.Create(text("pub/new/a.conf", "v1\n")), OWNER); // made by gitops: the user's
    }
    assertEquals("v1\n", Files.readString(pub.resolve("app/a.conf")));
    assertFalse(Files.isSymbolicLink(pub.resolve("new")));
    assertTrue(Files.isRegularFile(pub.resolve("new/a.conf"), LinkOption.NOFOLLOW_LINKS));
  }

  /**
   * Puts {@code standIn} at {@code path} and back by atomic renames ({@code path} aside first), until
   * closed; closing leaves everything in its place and fails when the swaps stopped on an error.
   */
  private static final class Swapper implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger swaps = new AtomicInteger();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;

    Swapper(Path path, Path standIn, Path aside) {
      thread = new Thread(() -> {
        try {
          while (!stop.get()) {
            Files.move(path, aside, ATOMIC_MOVE);
            put(standIn, path);
            Files.move(path, standIn, ATOMIC_MOVE);
            put(aside, path);
            swaps.incrementAndGet();
          }
        } catch (Exception e) {
          failure.set(e);
        }
      }, "swapper");
      thread.setDaemon(true);
      thread.start();
    }

    /**
     * Renames {@code from} to {@code to}; a directory made at {@code to} meanwhile (a write that found the
     * name empty made it: it stays inside the root) is renamed aside first.
     */
    private void put(Path from, Path to) throws IOException {
      for (int made = 0; ; made++) {
        try {
          Files.move(from, to, ATOMIC_MOVE);
          return;
        } catch (FileSystemException e) {
          if (made == 100 || !Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
            throw e;
          }
          Files.move(to, to.resolveSibling(to.getFileName() + ".made-" + swaps.get() + "-" + made), ATOMIC_MOVE);
        }
      }
    }

    @Override
    public void close() throws Exception {
      stop.set(true);
      thread.join(10_000);
      if (failure.get() != null) {
        throw new AssertionError("the swaps stopped on an error after " + swaps.get(), failure.get());
      }
    }
  }
}
