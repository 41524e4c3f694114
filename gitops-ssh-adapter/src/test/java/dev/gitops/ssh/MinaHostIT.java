package dev.gitops.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The {@link HostContract} over {@link SshHost} against MINA SSHD's embedded server on loopback. */
class MinaHostIT implements HostContract {
  @AutoClose private static MinaServer server;
  @AutoClose private static SshHost host;
  @TempDir
  Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    server = MinaServer.start(Files.createTempDirectory("mina-sshd"));
    host = server.client().build();
  }

  @Override
  public Host host() {
    return host;
  }

  @Override
  public Path dir() {
    return dir;
  }
}
