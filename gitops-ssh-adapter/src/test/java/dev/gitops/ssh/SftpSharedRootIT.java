package dev.gitops.ssh;

import static dev.gitops.ssh.FilesTargetContract.OWNER;
import static dev.gitops.ssh.FilesTargetContract.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.plan.Action;

import dev.gitops.testing.ssh.OpenSshd;
import java.nio.file.Files;
import java.nio.file.CopyOption;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

  /**
   * A root and a folder in it that others may write, trusted: their files are written and renamed into
   * place over SFTP, as under any folder no one else may write, not through {@code Host}'s private-folder
   * script (a command a file, which a login shell makes slow and an SFTP-only account refuses).
   */
  @Test
  void minaWritesUnderATrustedSharedRootOverSftp() throws Exception {
    Set<String> renamed = ConcurrentHashMap.newKeySet();
    mina.onSftp(new SftpEventListener() {
      @Override
      public void moved(ServerSession session, Path from, Path to, Collection<CopyOption> opts, Throwable thrown) {
        if (thrown == null) {
          renamed.add(to.toString());
        }
      }
    });
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
}
