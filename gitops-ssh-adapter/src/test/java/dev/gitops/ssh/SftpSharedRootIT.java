package dev.gitops.ssh;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.testing.ssh.OpenSshd;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
