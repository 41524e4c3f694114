package dev.gitops.ssh.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.ssh.Host;
import dev.gitops.ssh.SshClients;
import dev.gitops.ssh.SshHost;
import dev.gitops.testing.net.Trickle;
import dev.gitops.testing.ssh.OpenSshd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer is alive but slow, so keepalives are answered and no wait for one byte runs out: a
 * command that prints a byte every 100 ms, one that reads its standard input 64 KiB every half
 * second, an SFTP answer that arrives a byte every 20 ms. Only a bound on the whole wait ends each:
 * a command's timeout (2 s here), which covers sending its input too (over MINA SSHD the write of
 * 6 MiB to a peer that read it slowly ran about 30 s first), and an SFTP request's operation
 * timeout. The 30 s bounds only turn a hang into a failure; they measure nothing.
 */
class TricklingPeerIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Duration HANG = Duration.ofSeconds(30);
  private static final List<String> PRINTS_SLOWLY = List.of("sh", "-c", "while printf x; do sleep 0.1; done");
  private static final List<String> READS_SLOWLY = List.of("sh", "-c",
      "while [ \"$(head -c 65536 | wc -c)\" -gt 0 ]; do sleep 0.5; done");
  @TempDir Path tmp;
  private OpenSshd sshd;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(SshClients.systemSshAvailable(), "OpenSSH sshd or ssh not installed: skipping");
    sshd = OpenSshd.start(tmp.resolve("sshd"));
  }

  @AfterEach
  void stop() throws Exception {
    if (sshd != null) {
      sshd.close();
    }
  }

  private static void endsAtItsTimeout(Host host, List<String> command, byte[] stdin) {
    Host.CommandTimeoutException e = assertTimeoutPreemptively(HANG,
        () -> assertThrows(Host.CommandTimeoutException.class, () -> host.exec(command, stdin, TIMEOUT)));
    assertTrue(e.getMessage().contains("did not end within PT2S"), e.getMessage());
  }

  @Test
  void overMinaACommandThatReadsItsInputSlowlyEndsAtItsTimeout() throws Exception {
    try (SshHost host = SshClients.to(sshd).build()) {
      endsAtItsTimeout(host, READS_SLOWLY, new byte[6 << 20]);
      endsAtItsTimeout(host, PRINTS_SLOWLY, new byte[0]);
    }
  }

  @Test
  void overOpenSshACommandThatReadsOrPrintsSlowlyEndsAtItsTimeout() throws Exception {
    try (Host host = SshClients.system(sshd).build()) {
      endsAtItsTimeout(host, READS_SLOWLY, new byte[6 << 20]);
      endsAtItsTimeout(host, PRINTS_SLOWLY, new byte[0]);
    }
  }

  @Test
  void anSftpReadWhoseAnswerTricklesFailsAtTheOperationTimeout() throws Exception {
    Path file = Files.write(tmp.resolve("big.conf"), new byte[256 * 1024]);
    Trickle proxy = Trickle.proxy(sshd.port(), Duration.ofMillis(20));
    Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), Files.readString(sshd.knownHosts())
        .replace("]:" + sshd.port() + " ", "]:" + proxy.port() + " ")); // the same server, behind the proxy
    try (SshHost host = SshClients.to(sshd).port(proxy.port()).knownHosts(knownHosts).operationTimeout(TIMEOUT)
        .build(); proxy) {
      assertArrayEquals(new byte[256 * 1024], host.read(file.toString()), "at full speed");
      proxy.trickleAfter(""); // from now on, what the server sends comes a byte every 20 ms
      IOException e = assertTimeoutPreemptively(HANG, () -> assertThrows(IOException.class,
          () -> host.read(file.toString())));
      assertFalse(e instanceof Host.CommandTimeoutException, e.toString());
    }
  }
}
