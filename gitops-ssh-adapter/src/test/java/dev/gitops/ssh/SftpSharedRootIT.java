package dev.gitops.ssh;

import static dev.gitops.ssh.FilesTargetContract.OWNER;
import static dev.gitops.ssh.FilesTargetContract.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.model.ActualState;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.Scope;
import dev.gitops.target.TargetException;

import dev.gitops.testing.ssh.OpenSshd;
import java.nio.file.Files;
import java.nio.file.CopyOption;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SharedRoots} on {@link SshHost} over SFTP, against MINA SSHD's embedded server (which tells no
 * owner: a root is judged by its mode alone) and OpenSSH's {@code sshd} (skipped when not installed).
 */
class SftpSharedRootIT {
  private static final Path SFTP_SERVER = Path.of("/usr/lib/openssh/sftp-server");
  /** A rename {@code sftp-server} logs: {@code rename old "a" new "b"}, {@code posix-rename old "a" new "b"}. */
  private static final Pattern RENAMED = Pattern.compile("rename old \".*\" new \"(.*)\"\\s*$");
  @AutoClose private static MinaServer mina;
  @AutoClose private static OpenSshd sshd;
  @TempDir
  Path dir;

  @BeforeAll
  static void start() throws Exception {
    mina = MinaServer.start(Files.createTempDirectory("mina-shared-root"));
    if (OpenSshd.available()) {
      sshd = OpenSshd.start(Files.createTempDirectory("openssh-shared-root"));
    }
  }

  @Test
  void minaNeverKeepsStateThroughAFolderSwappedInARootOthersMayWrite() throws Exception {
    try (SshHost host = mina.client().build()) {
      SharedRoots.stateFolderSwappedAfterItsLook(host, dir);
    }
  }

  @Test
  void openSshNeverKeepsStateThroughAFolderSwappedInARootOthersMayWrite() throws Exception {
    assumeTrue(sshd != null, "OpenSSH sshd not installed at /usr/sbin/sshd: skipping");
    try (SshHost host = SshClients.to(sshd).build()) {
      SharedRoots.stateFolderSwappedAfterItsLook(host, dir);
    }
  }

  @Test
  void minaWritesUnderATrustedSharedRootAndRefusesItOtherwise() throws Exception {
    try (SshHost host = mina.client().build()) {
      SharedRoots.trustedRootIsWrittenUnderAndOnlyIt(host, dir);
    }
  }

  @Test
  void openSshWritesUnderATrustedSharedRootAndRefusesItOtherwise() throws Exception {
    assumeTrue(sshd != null, "OpenSSH sshd not installed at /usr/sbin/sshd: skipping");
    try (SshHost host = SshClients.to(sshd).build()) {
      SharedRoots.trustedRootIsWrittenUnderAndOnlyIt(host, dir);
    }
  }

  @Test
  void minaJudgesTheFoldersAboveTheRoot() throws Exception {
    try (SshHost host = mina.client().build()) {
      SharedRoots.folderAboveTheRootOthersMayWrite(host, dir);
    }
  }

  @Test
  void openSshJudgesTheFoldersAboveTheRoot() throws Exception {
    assumeTrue(sshd != null, "OpenSSH sshd not installed at /usr/sbin/sshd: skipping");
    try (SshHost host = SshClients.to(sshd).build()) {
      SharedRoots.folderAboveTheRootOthersMayWrite(host, dir);
    }
  }

  @Test
  void minaJudgesTheRootAgainInTheNextRun() throws Exception {
    try (SshHost host = mina.client().build()) {
      SharedRoots.rootOpenedBetweenRunsIsJudgedAgain(host, dir);
    }
  }

  @Test
  void openSshJudgesTheRootAgainInTheNextRun() throws Exception {
    assumeTrue(sshd != null, "OpenSSH sshd not installed at /usr/sbin/sshd: skipping");
    try (SshHost host = SshClients.to(sshd).build()) {
      SharedRoots.rootOpenedBetweenRunsIsJudgedAgain(host, dir);
    }
  }

  @Test
  void minaJudgesTheRootAgainInEachRunOfOneConnection() throws Exception {
    List<String> renamed = renamesInto(new CopyOnWriteArrayList<>());
    try (SshHost host = mina.client().build()) {
      rootOpenedAndClosedBetweenRunsOfOneConnection(host, dir, () -> renamed);
    }
  }

  /**
   * As {@link #minaJudgesTheRootAgainInEachRunOfOneConnection}, against an {@code sshd} whose SFTP server
   * is OpenSSH's {@code sftp-server}, logging each rename at {@code INFO} ({@code logit} in its
   * {@code process_rename} and {@code process_extended_posix_rename}) to a file: the subsystem's command
   * runs through the user's shell ({@code do_child} in OpenSSH's {@code session.c}), which redirects it.
   */
  @Test
  void openSshJudgesTheRootAgainInEachRunOfOneConnection() throws Exception {
    assumeTrue(sshd != null && Files.isExecutable(SFTP_SERVER), "OpenSSH sshd or sftp-server not installed: skipping");
    Path log = dir.resolve("sftp.log");
    try (OpenSshd logged = OpenSshd.start(Files.createDirectories(dir.resolve("sshd")),
            "Subsystem sftp " + SFTP_SERVER + " -e -l INFO 2>>" + log);
         SshHost host = SshClients.to(logged).build()) {
      rootOpenedAndClosedBetweenRunsOfOneConnection(host, dir, () -> renamedTo(log));
    }
  }

  /** The paths {@code sftp-server} logged renaming to, in order ({@code rename old "a" new "b"}). */
  private static List<String> renamedTo(Path log) {
    try {
      return !Files.exists(log) ? List.of() : Files.readAllLines(log).stream().map(RENAMED::matcher)
          .filter(Matcher::find).map(m -> m.group(1)).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * A pull agent's runs over one connection (read, write, flush): a file right in the root is renamed
   * into place over SFTP while no one else may write the root; the root is opened to others between two
   * runs, and that run's file goes through {@code Host}'s private-folder script, not renamed over SFTP by
   * its name (a neighbour could swap the temporary file for a hard link first); closed again before the
   * next run, whose file is renamed over SFTP again. Each run judges the root anew, never by an earlier
   * run's verdict kept by the connection. (Opened, the root refuses the state folder's writes: that run's
   * flush is refused, and the next run's read writes its journal.)
   */
  private static void rootOpenedAndClosedBetweenRunsOfOneConnection(SshHost host, Path dir,
      Supplier<List<String>> renamed) throws Exception {
    Path root = Files.createDirectories(dir.resolve("app"));
    String file = root.resolve("a.conf").toString();
    try (FilesTarget target = FilesTarget.of(host, root.toString())) {
      write(target, "v1\n");
      target.flush();
      assertEquals(1, Collections.frequency(renamed.get(), file), "not renamed over SFTP: " + renamed.get());
      Files.setAttribute(root, "unix:mode", 0777);
      write(target, "v2\n");
      TargetException journal = assertThrows(TargetException.class, target::flush);
      assertTrue(journal.getMessage().contains("the root " + root + " is writable by others"), journal.getMessage());
      Files.setAttribute(root, "unix:mode", 0755);
      assertEquals(1, Collections.frequency(renamed.get(), file),
          "renamed over SFTP by its name into a root others may write, by an earlier run's verdict: " + renamed.get());
      assertEquals("v2\n", Files.readString(root.resolve("a.conf")));
      write(target, "v3\n");
      target.flush();
      assertEquals(2, Collections.frequency(renamed.get(), file),
          "not renamed over SFTP into a root no one else may write again, by an earlier run's verdict: "
          + renamed.get());
    }
    assertEquals("v3\n", Files.readString(root.resolve("a.conf")));
  }

  /** One run's read and write of {@code a.conf}, as a pull agent makes them. */
  private static void write(FilesTarget target, String text) {
    ActualState actual = target.read(Scope.of(OWNER, Set.of(ResourceId.file("a.conf"))));
    target.apply(FilesTargetContract.createOrUpdate(actual, text("a.conf", text)), OWNER);
  }

  /**
   * A root and a folder in it that others may write, trusted: their files are written and renamed into
   * place over SFTP, as under any folder no one else may write, not through {@code Host}'s private-folder
   * script (a command a file, which a login shell makes slow and an SFTP-only account refuses).
   */
  @Test
  void minaWritesUnderATrustedSharedRootOverSftp() throws Exception {
    Set<String> renamed = renamesInto(ConcurrentHashMap.newKeySet());
    Path root = Files.createDirectories(dir.resolve("shared"));
    Path pub = Files.createDirectories(root.resolve("pub"));
    Files.setAttribute(root, "unix:mode", 0777);
    Files.setAttribute(pub, "unix:mode", 0777);
    FilesTarget.Options trusted = FilesTarget.Options.defaults().withTrustedFolders(List.of(root.toString()));
    try (SshHost host = mina.client().build(); FilesTarget target = FilesTarget.of(host, root.toString(), trusted)) {
      target.apply(new Action.Create(text("a.conf", "a\n")), OWNER);
      target.apply(new Action.Create(text("pub/b.conf", "b\n")), OWNER);
    }
    assertEquals("b\n", Files.readString(pub.resolve("b.conf")));
    assertTrue(renamed.containsAll(Set.of(root.resolve("a.conf").toString(), pub.resolve("b.conf").toString())),
        "not renamed over SFTP: " + renamed);
  }

  /** {@return {@code into}, to which each path MINA's SFTP server renames a file to is added from now on} */
  private static <C extends Collection<String>> C renamesInto(C into) {
    mina.onSftp(new SftpEventListener() {
      @Override
      public void moved(ServerSession session, Path from, Path to, Collection<CopyOption> opts, Throwable thrown) {
        if (thrown == null) {
          into.add(to.toString());
        }
      }
    });
    return into;
  }
}
