package dev.gitops.ssh;

import static dev.gitops.ssh.FilesTargetContract.OWNER;
import static dev.gitops.ssh.FilesTargetContract.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.plan.Action;
import dev.gitops.target.TargetException;
import java.io.IOException;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SshHost}'s SFTP write of a file of a tree, a neighbour acting right before the server renames
 * the temporary file into place (MINA SSHD's {@code moving} event: exactly where a race would have it).
 * Every SFTP request names its file by a path that the server resolves anew, so a folder on the way, or
 * the temporary file itself, swapped by someone who can write the folder it is in, is taken as it is then.
 */
class SftpSwapAtRenameIT {
  @AutoClose private static MinaServer server;
  /** What the neighbour does right before a rename: nothing when null. */
  private static volatile Neighbour neighbour;
  @TempDir
  Path dir;
  private Path root;
  private Path pub;

  /** Acts at {@code event} ({@code opening}, {@code open}, {@code moving}) of the server on {@code from} (to {@code to}). */
  interface Neighbour {
    void at(String event, Path from, Path to) throws IOException;
  }

  private static void at(String event, Path from, Path to) throws IOException {
    Neighbour n = neighbour;
    if (n != null) {
      n.at(event, from, to);
    }
  }

  @BeforeAll
  static void start() throws Exception {
    server = MinaServer.start(Files.createTempDirectory("mina-swap"));
    server.onSftp(new SftpEventListener() {
      @Override
      public void opening(ServerSession session, String remoteHandle, Handle local) throws IOException {
        at("opening", local.getFile(), null);
      }

      @Override
      public void open(ServerSession session, String remoteHandle, Handle local) throws IOException {
        at("open", local.getFile(), null);
      }

      @Override
      public void moving(ServerSession session, Path from, Path to, Collection<CopyOption> opts) throws IOException {
        at("moving", from, to);
      }
    });
  }

  @BeforeEach
  void tree() throws Exception {
    root = Files.createDirectories(dir.resolve("root"));
    pub = Files.createDirectories(root.resolve("pub"));
    Files.setAttribute(pub, "unix:mode", 0777); // the neighbour may write it
  }

  @AfterEach
  void quiet() {
    neighbour = null;
  }

  /**
   * {@code pub/app} renamed aside and a symlink to a folder outside the root put at its name while the
   * server opens the temporary file, put back before the look at the directories, and put there again
   * right before the rename (three renames of the neighbour's, each in the gap between two requests).
   * Before, the temporary file, with the file's bytes, was made where the link led and left there, outside
   * the root; now a folder on the way that someone else may write is refused before anything is written.
   */
  @Test
  void aFolderSwappedForALinkAroundTheLookGetsNothingOutsideTheRoot() throws Exception {
    Path app = Files.createDirectories(pub.resolve("app"));
    Path aside = pub.resolve("app.aside");
    Path outside = Files.createDirectories(dir.resolve("outside"));
    neighbour = (event, from, to) -> {
      Path into = to == null ? from : to;
      if (!into.getFileName().toString().startsWith(".gitops-") && to == null || !into.startsWith(app)) {
        return;
      }
      if (event.equals("open")) { // back in its place for the look
        if (!Files.isSymbolicLink(app)) {
          return;
        }
        Files.delete(app);
        Files.move(aside, app);
      } else if (!Files.isSymbolicLink(app)) {
        Files.move(app, aside);
        Files.createSymbolicLink(app, outside);
      }
    };
    String refused = null;
    try (SshHost host = server.client().build(); FilesTarget target = FilesTarget.of(host, root.toString())) {
      target.apply(new Action.Create(text("pub/app/a.conf", "v1\n")), OWNER);
    } catch (TargetException e) {
      refused = e.getMessage();
    }
    try (Stream<Path> all = Files.walk(outside)) {
      assertEquals(List.of(), all.filter(p -> !p.equals(outside)).toList(), "written outside the root");
    }
    assertTrue(refused != null && refused.contains("'pub' is writable by others (mode 0777) on the host"), refused);
  }

  /**
   * The temporary file, in {@code pub} itself, swapped for a hard link to a file outside the root right
   * before the rename. Before, that file was renamed into place: the managed file was the file outside
   * (what a later read would show, what the app would read). Now the look at the folder, with the data,
   * finds it writable by others: the file is not renamed, and the write goes through the private-folder
   * script, where no one else can swap anything; a later write into that folder goes there at once.
   */
  @Test
  void aTemporaryFileSwappedForAHardLinkInAFolderOthersMayWriteIsNeverPutInPlace() throws Exception {
    Path secret = Files.writeString(Files.createDirectories(dir.resolve("outside")).resolve("shadow"), "secret\n");
    neighbour = (event, from, to) -> {
      if (event.equals("moving") && from.getFileName().toString().startsWith(".gitops-") && from.startsWith(pub)) {
        Files.delete(from);
        Files.createLink(from, secret);
      }
    };
    try (SshHost host = server.client().build(); FilesTarget target = FilesTarget.of(host, root.toString())) {
      target.apply(new Action.Create(text("pub/a.conf", "v1\n")), OWNER);
      target.apply(new Action.Create(text("pub/b.conf", "v2\n")), OWNER);
    }
    for (String name : List.of("a.conf", "b.conf")) {
      assertFalse(Files.isSameFile(pub.resolve(name), secret), name + " is the file outside the root");
    }
    assertEquals("v1\n", Files.readString(pub.resolve("a.conf")));
    assertEquals("v2\n", Files.readString(pub.resolve("b.conf")));
    assertEquals("secret\n", Files.readString(secret));
    try (Stream<Path> all = Files.list(pub)) {
      assertEquals(List.of("a.conf", "b.conf"), all.map(p -> p.getFileName().toString()).sorted().toList(),
          "no temporary file left");
    }
  }
}
