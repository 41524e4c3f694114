package dev.gitops.ssh.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.ssh.Host;
import dev.gitops.ssh.SshClients;
import dev.gitops.ssh.SystemSshHost;
import dev.gitops.testing.ssh.OpenSshd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The peer of a {@code SystemSshHost} stops answering ({@code SIGSTOP}): keepalives the server must
 * answer end the shared connection and the command running on it, and the next command connects
 * again (OpenSSH's client makes its own connection when the shared one is gone); a frozen listener
 * fails the connect within the connect timeout, long before the command's own timeout. The JUnit timeout only turns a hang into a failure.
 */
class SystemSshFrozenPeerIT {
  private static final Duration LONG = Duration.ofSeconds(90);
  private OpenSshd sshd;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(SshClients.systemSshAvailable(), "OpenSSH sshd or ssh not installed: skipping");
    sshd = OpenSshd.start(Files.createTempDirectory("openssh-frozen"));
  }

  @AfterEach
  void stop() throws Exception {
    if (sshd != null) {
      kill("CONT", Stream.concat(Stream.of(sshd.process()), sshd.process().descendants()));
      sshd.close();
    }
  }

  private static void kill(String signal, Stream<ProcessHandle> processes) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
    processes.forEach(p -> command.add(Long.toString(p.pid())));
    if (command.size() > 2) {
      new ProcessBuilder(command).inheritIO().start().waitFor();
    }
  }

  private static Host.Result echo(Host host) throws IOException {
    return host.exec(List.of("echo", "hi"), new byte[0], LONG);
  }


  private static String connection(Host host) throws IOException {
    Host.Result r = host.exec(List.of("sh", "-c", "echo \"$SSH_CONNECTION\""), new byte[0], LONG);
    assertEquals(0, r.exitCode(), r.output());
    return new String(r.stdout(), StandardCharsets.UTF_8);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aFrozenSessionEndsTheSharedConnectionByKeepalivesAndTheNextCommandConnectsAgain() throws Exception {
    try (SystemSshHost host = SshClients.system(sshd).keepAlive(Duration.ofSeconds(1)).build()) {
      String before = connection(host);
      try (Host.Channel reader = host.start(List.of("cat"))) {
        reader.stdin().write('a');
        reader.stdin().flush();
        assertEquals('a', reader.stdout().read());
        List<ProcessHandle> sessions = sshd.process().descendants().toList();
        kill("STOP", sessions.stream());
        reader.stdin().write('b');
        reader.stdin().flush();
        int read;
        try {
          read = reader.stdout().read();
        } catch (IOException e) {
          read = -1;
        }
        assertEquals(-1, read, "the started command's output ends: keepalives ended its connection");
        kill("KILL", sessions.stream());
      }
      assertNotEquals(before, connection(host), "a new connection");
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aFrozenListenerFailsTheConnectWithinTheConnectTimeout() throws Exception {
    kill("STOP", Stream.of(sshd.process()));
    try (SystemSshHost host = SshClients.system(sshd).connectTimeout(Duration.ofSeconds(2)).build()) {
      IOException e = assertThrows(IOException.class, () -> echo(host));
      assertFalse(e instanceof Host.CommandTimeoutException, "ended by the connect timeout: " + e);
      assertTrue(e.getMessage().contains("exit 255"), e.getMessage());
    }
  }
}
