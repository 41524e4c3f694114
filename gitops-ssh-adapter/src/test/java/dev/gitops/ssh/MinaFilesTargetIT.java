package dev.gitops.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;

/** The contract suites over {@link SshHost} against MINA SSHD's embedded server on loopback. */
class MinaFilesTargetIT extends FilesTargetSuite {
  @AutoClose private static MinaServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = MinaServer.start(Files.createTempDirectory("mina-sshd"));
  }

  @Override
  Host openHost() throws Exception {
    return server.client().build();
  }

  /** MINA's SFTP server sets permissions through java.nio's nine POSIX bits. */
  @Override
  public boolean keepsSpecialModeBits() {
    return false;
  }

  /** MINA's SFTP server (protocol v3) sends no owner in its attributes. */
  @Override
  public boolean statTellsOwner() {
    return false;
  }

  /** MINA's SFTP server answers a {@code setstat} of owner and group with OK and leaves them. */
  @Override
  public boolean setsOwners() {
    return false;
  }

  /** MINA's SFTP server has no {@code statvfs@openssh.com}: a failed write says SFTP v3 names no cause. */
  @Override
  public boolean namesFileSystemFaults() {
    return false;
  }

  static Path serverDir() {
    return server.dir;
  }
}
