package dev.gitops.ssh.hostile;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.ssh.FilesTarget;
import dev.gitops.ssh.Host;
import dev.gitops.ssh.Reconcile;
import dev.gitops.ssh.SshClients;
import dev.gitops.ssh.SshHost;
import dev.gitops.ssh.SystemSshHost;
import dev.gitops.testing.ssh.OpenSshd;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers that take the connection and then never answer, or answer the connection but leave one of
 * its channels unserved: a listener that accepts TCP and never writes a byte; an SFTP server process
 * stopped ({@code SIGSTOP}) while {@code sshd} itself still answers keepalives, so the writes to it
 * block once its window is full; the root's long-running reader stopped the same way. Each wait ends
 * with an error within its configured bound (connect timeout, operation timeout, command timeout),
 * never the long default behind it. The bounds here are seconds; {@link #HANG} only turns a hang into
 * a failure, it measures nothing.
 */
class SilentPeerIT {
  private static final Duration HANG = Duration.ofSeconds(60);
  private static final Duration SHORT = Duration.ofSeconds(2);
  @TempDir Path tmp;
  private OpenSshd sshd;
  private final List<ProcessHandle> stopped = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    signal("KILL", stopped.stream());
    if (sshd != null) {
      sshd.close();
    }
  }

  private void startSshd(String... config) throws Exception {
    assumeTrue(SshClients.systemSshAvailable(), "OpenSSH sshd or ssh not installed: skipping");
    sshd = OpenSshd.start(tmp.resolve("sshd"), config);
  }

  private static void signal(String signal, Stream<ProcessHandle> processes) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
    processes.forEach(p -> command.add(Long.toString(p.pid())));
    if (command.size() > 2) {
      new ProcessBuilder(command).inheritIO().start().waitFor();
    }
  }

  /** Stops the processes under {@code sshd} whose command line {@code matches}; true when there were some. */
  private boolean freeze(Predicate<String> matches) throws Exception {
    List<ProcessHandle> found = sshd.process().descendants()
        .filter(p -> matches.test(p.info().commandLine().orElse(p.info().command().orElse("")))).toList();
    stopped.addAll(found);
    signal("STOP", found.stream());
    return !found.isEmpty();
  }

  /** A listener that accepts every connection and never writes a byte; runs until closed. */
  private static ServerSocket silentListener(List<Socket> held) throws IOException {
    ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(() -> {
      try {
        while (true) {
          held.add(listener.accept());
        }
      } catch (IOException closed) {
        return;
      }
    }, "silent-listener");
    accept.setDaemon(true);
    accept.start();
    return listener;
  }

  private static void failsWithin(Host host, String bound) {
    IOException e = assertTimeoutPreemptively(HANG,
        () -> assertThrows(IOException.class, () -> host.exec(List.of("echo", "hi"), new byte[0])));
    assertFalse(e instanceof Host.CommandTimeoutException, "ended by the " + bound + ", not the command's: " + e);
  }

  @Test
  void aListenerThatNeverWritesFailsSshHostsConnectWithinTheConnectTimeout() throws Exception {
    startSshd();
    List<Socket> held = new ArrayList<>();
    try (ServerSocket listener = silentListener(held);
         SshHost host = SshHost.builder().host("127.0.0.1").port(listener.getLocalPort()).user(OpenSshd.user())
             .identity(sshd.userKey(), null).knownHosts(sshd.knownHosts()).connectTimeout(SHORT)
             .commandTimeout(Duration.ofMinutes(10)).build()) {
      failsWithin(host, "connect timeout");
    }
  }

  @Test
  void aListenerThatNeverWritesFailsSystemSshHostsConnectWithinTheConnectTimeout() throws Exception {
    startSshd();
    List<Socket> held = new ArrayList<>();
    try (ServerSocket listener = silentListener(held);
         SystemSshHost host = SystemSshHost.builder().host("127.0.0.1").port(listener.getLocalPort())
             .user(OpenSshd.user()).identity(sshd.userKey()).knownHosts(sshd.knownHosts()).connectTimeout(SHORT)
             .commandTimeout(Duration.ofMinutes(10)).build()) {
      failsWithin(host, "connect timeout");
    }
  }

  private SshHost sftpHost() throws IOException {
    return SshClients.to(sshd).sftpSessions(1).keepAlive(Duration.ofMillis(500)).operationTimeout(SHORT).commandTimeout(SHORT)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Test
  void aStoppedSftpServerFailsALargeWriteWithinTheOperationTimeout() throws Exception {
    startSshd("Subsystem sftp /usr/lib/openssh/sftp-server");
    try (SshHost host = sftpHost()) {
      host.stat(tmp.toString()); // opens the SFTP session: its sftp-server runs now
      assertTrue(freeze(line -> line.contains("sftp-server")), "an sftp-server to stop");
      byte[] data = new byte[16 << 20];
      IOException e = assertTimeoutPreemptively(HANG, () -> assertThrows(IOException.class,
          () -> host.write(tmp.resolve("big").toString(), data, 0644, false)));
      assertTrue(e.getMessage() != null, e.toString());
    }
  }

  @Test
  void aStoppedSftpServerFailsAPipelinedWriteWithinTheOperationTimeout() throws Exception {
    startSshd("Subsystem sftp /usr/lib/openssh/sftp-server");
    try (SshHost host = sftpHost()) {
      host.stat(tmp.toString());
      assertTrue(freeze(line -> line.contains("sftp-server")), "an sftp-server to stop");
      byte[] data = new byte[4 << 20];
      assertTimeoutPreemptively(HANG, () -> assertThrows(IOException.class,
          () -> host.writeAndRename(tmp.resolve(".big.tmp").toString(), tmp.resolve("big").toString(), data, 0644,
              true, tmp.toString())));
    }
  }

  @Test
  void aStoppedReaderFailsOrFallsBackWithinTheCommandTimeout() throws Exception {
    startSshd();
    Path root = Files.createDirectories(tmp.resolve("root"));
    try (SshHost host = sftpHost()) {
      FilesTarget target = FilesTarget.of(host, root.toString());
      Map<String, String> files = Map.of("hosts/web/a.conf", "a\n");
      assertTrue(Reconcile.once(target, files, "web").isSuccess());
      // the root's reader runs on: stop every process of its command (not sshd's own)
      assertTrue(freeze(line -> !line.contains("sshd")), "a reader to stop");
      assertTimeoutPreemptively(HANG, () -> Reconcile.plan(target, files, "web"));
    }
  }
}
