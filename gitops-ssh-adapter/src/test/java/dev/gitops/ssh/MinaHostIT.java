package dev.gitops.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The {@link HostContract} over {@link SshHost} against MINA SSHD's embedded server on loopback. */
class MinaHostIT implements HostContract {
  private static MinaServer server;
  private static SshHost host;
  @TempDir
  Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    server = MinaServer.start(Files.createTempDirectory("mina-sshd"));
    host = server.client().build();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (host != null) {
      host.close();
    }
    if (server != null) {
      server.close();
    }
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
