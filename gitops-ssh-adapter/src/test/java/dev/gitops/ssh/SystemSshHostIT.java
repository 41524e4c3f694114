package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.testing.ssh.OpenSshd;
import dev.gitops.testing.ssh.SshMasters;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link HostContract} over {@link SystemSshHost} (the system's {@code ssh}) against a real
 * OpenSSH {@code sshd} on loopback, and what is particular to running {@code ssh}: one shared
 * connection, streams that end when the command ends although that connection lives on, strict host
 * keys with known_hosts never written, no {@code ssh} left running after {@link Host#close()}.
 * Skipped when {@code sshd} or {@code ssh} is not installed.
 */
class SystemSshHostIT implements HostContract {
  @AutoClose private static OpenSshd sshd;
  @AutoClose private static SystemSshHost host;
  @TempDir
  Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    assumeTrue(SshClients.systemSshAvailable(), "OpenSSH sshd or ssh not installed: skipping");
    sshd = OpenSshd.start(Files.createTempDirectory("openssh"));
    host = SshClients.system(sshd).build();
  }

  @Override
  public Host host() {
    return host;
  }

  @Override
  public Path dir() {
    return dir;
  }

  private static String run(Host h, String script) throws Exception {
    Host.Result r = h.exec(List.of("sh", "-c", script), new byte[0], Duration.ofMinutes(2)); // a bound, not a measure
    assertEquals(0, r.exitCode(), r.output());
    return new String(r.stdout(), StandardCharsets.UTF_8);
  }

  @Test
  void commandsShareOneConnection() throws Exception {
    try (SystemSshHost h = SshClients.system(sshd).build()) {
      String first = run(h, "echo \"$SSH_CONNECTION\"");
      assertFalse(first.isBlank(), "sshd sets SSH_CONNECTION");
      assertEquals(first, run(h, "echo \"$SSH_CONNECTION\""), "the second command came over the same connection");
      assertEquals(first, run(h, "echo \"$SSH_CONNECTION\""));
    }
  }

  @Test
  void withoutMultiplexingEachCommandConnects() throws Exception {
    try (SystemSshHost h = SshClients.system(sshd).multiplex(Duration.ZERO).build()) {
      assertTrue(!run(h, "echo \"$SSH_CONNECTION\"").equals(run(h, "echo \"$SSH_CONNECTION\"")));
    }
  }

  /** The first command starts the shared connection, which lives on: the command's output still ends. */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aStartedCommandsOutputEndsWhenItEndsThoughTheConnectionLivesOn() throws Exception {
    try (SystemSshHost h = SshClients.system(sshd).build()) {
      for (int round = 0; round < 2; round++) { // first: this command makes the connection; then: it exists
        try (Host.Channel c = h.start(List.of("cat"))) {
          OutputStream in = c.stdin();
          in.write(("round " + round).getBytes(StandardCharsets.UTF_8));
          in.close();
          InputStream out = c.stdout();
          assertEquals("round " + round, new String(out.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals(1, SshMasters.under(h.controlSocket().getParent()).size(),
            "the shared connection outlives its commands");
      }
    }
  }

  @Test
  void closeEndsTheSharedConnectionAndRemovesItsFolder() throws Exception {
    SystemSshHost h = SshClients.system(sshd).build();
    List<ProcessHandle> masters;
    Path folder;
    try {
      run(h, "true");
      folder = h.controlSocket().getParent();
      masters = SshMasters.under(folder);
      assertEquals(1, masters.size(), "one ssh holds the shared connection");
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
    } finally {
      h.close();
    }
    ProcessHandle master = masters.get(0);
    try {
      master.onExit().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      // asserted below
    }
    assertFalse(master.isAlive(), "ssh still running after close()");
    assertFalse(Files.exists(folder), "the socket's folder is removed");
    assertEquals(null, h.controlSocket());
  }

  /**
   * A connection kept in a control folder outlives close() and serves the next host built alike (a
   * later process, in a command line), whose command then starts no connection of its own; a host
   * built with another known_hosts file never reuses it.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aKeptConnectionServesTheNextHostBuiltAlikeAndNoOther() throws Exception {
    Path kept = dir.resolve("kept");
    Path socket;
    String connection;
    try (SystemSshHost first = SshClients.system(sshd).controlFolder(kept).multiplex(Duration.ofSeconds(20)).build()) {
      connection = run(first, "echo \"$SSH_CONNECTION\"");
      socket = first.controlSocket();
      assertEquals(kept.toAbsolutePath(), socket.getParent());
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));
    }
    List<ProcessHandle> masters = SshMasters.under(kept);
    try {
      assertEquals(1, masters.size(), "close() leaves the kept connection running");
      try (SystemSshHost next = SshClients.system(sshd).controlFolder(kept).multiplex(Duration.ofSeconds(20)).build()) {
        assertEquals(connection, run(next, "echo \"$SSH_CONNECTION\""), "the same connection: same client port");
        assertEquals(socket, next.controlSocket());
      }
      assertEquals(masters, SshMasters.under(kept), "and no second one was made");
      Path otherHosts = Files.copy(sshd.knownHosts(), dir.resolve("known_hosts_copy"));
      try (SystemSshHost other = SshClients.system(sshd).knownHosts(otherHosts).controlFolder(kept)
          .multiplex(Duration.ofSeconds(20)).build()) {
        assertFalse(connection.equals(run(other, "echo \"$SSH_CONNECTION\"")), "another known_hosts: its own connection");
        assertFalse(socket.equals(other.controlSocket()));
      }
    } finally {
      SshMasters.end(kept);
    }
  }

  /**
   * A kept master killed outright (OOM killer, {@code kill -9}) leaves its socket in the control
   * folder: the next host's commands, started together, open one new master and share it, and none
   * of them carries {@code ssh}'s complaint about the stale socket in its standard error.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aKeptSocketWhoseMasterWasKilledIsReplacedOnce() throws Exception {
    Path kept = dir.resolve("kept");
    Path socket;
    try (SystemSshHost first = SshClients.system(sshd).controlFolder(kept).multiplex(Duration.ofSeconds(20)).build()) {
      run(first, "true");
      socket = first.controlSocket();
    }
    try {
      List<ProcessHandle> masters = SshMasters.under(kept);
      assertEquals(1, masters.size());
      masters.forEach(ProcessHandle::destroyForcibly);
      for (ProcessHandle m : masters) {
        m.onExit().get(10, TimeUnit.SECONDS);
      }
      assertTrue(Files.exists(socket), "a killed master leaves its socket");
      try (SystemSshHost next = SshClients.system(sshd).controlFolder(kept).multiplex(Duration.ofSeconds(20)).build()) {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
          List<java.util.concurrent.Future<Host.Result>> results = new java.util.ArrayList<>();
          for (int i = 0; i < 6; i++) {
            results.add(pool.submit(() -> next.exec(List.of("sh", "-c", "echo \"$SSH_CONNECTION\""), new byte[0],
                Duration.ofSeconds(30))));
          }
          java.util.Set<String> connections = new java.util.HashSet<>();
          for (var f : results) {
            Host.Result r = f.get(40, TimeUnit.SECONDS);
            assertEquals(0, r.exitCode(), r.output());
            assertEquals("", new String(r.stderr(), StandardCharsets.UTF_8), "nothing from ssh in the command's stderr");
            connections.add(new String(r.stdout(), StandardCharsets.UTF_8));
          }
          assertEquals(1, connections.size(), "one new master, shared: " + connections);
        } finally {
          pool.shutdownNow();
        }
      }
      assertEquals(1, SshMasters.under(kept).size(), "one master kept");
    } finally {
      SshMasters.end(kept);
    }
  }

  @Test
  void aControlFolderOthersCanEnterIsNotUsed() throws Exception {
    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-x---"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), Files.createDirectory(dir.resolve("private")));
    Files.setPosixFilePermissions(dir.resolve("private"), PosixFilePermissions.fromString("rwx------"));
    for (Path folder : List.of(open, link, dir.resolve("x".repeat(100)))) {
      SystemSshHost h = SshClients.system(sshd).controlFolder(folder).build();
      Path socket;
      try {
        run(h, "true");
        socket = h.controlSocket();
        assertFalse(socket.startsWith(folder), folder + ": a temporary folder instead, " + socket);
      } finally {
        h.close();
      }
      assertFalse(Files.exists(socket.getParent()), "removed at close, as without a control folder");
    }
  }

  @Test
  void anUnknownHostKeyIsRefusedAndKnownHostsIsNeverWritten() throws Exception {
    Path empty = Files.writeString(dir.resolve("known_hosts"), "");
    try (SystemSshHost h = SshClients.system(sshd).knownHosts(empty).build()) {
      HostKeyRejectedException e = assertThrows(HostKeyRejectedException.class, () -> run(h, "true"));
      assertFalse(e.changed(), e.getMessage());
      assertTrue(e.getMessage().contains("127.0.0.1:" + sshd.port()), e.getMessage());
      assertEquals(fingerprint(), e.fingerprint());
      assertEquals("", Files.readString(empty), "known_hosts never written");
      assertThrows(HostKeyRejectedException.class, () -> run(h, "true"), "refused again: nothing was learnt");
    }
  }

  @Test
  void aChangedHostKeyIsRefused() throws Exception {
    String[] pub = Files.readString(sshd.dir().resolve("user_key.pub")).trim().split("\\s+");
    String line = "[127.0.0.1]:" + sshd.port() + " " + pub[0] + " " + pub[1] + "\n";
    Path wrong = Files.writeString(dir.resolve("wrong"), line);
    try (SystemSshHost h = SshClients.system(sshd).knownHosts(wrong).build()) {
      HostKeyRejectedException e = assertThrows(HostKeyRejectedException.class, () -> run(h, "true"));
      assertTrue(e.changed(), e.getMessage());
      assertEquals(fingerprint(), e.fingerprint());
      assertTrue(e.getMessage().contains("has CHANGED: it offered ED25519 " + e.fingerprint() + ", but known_hosts"
          + " has another key for it (ED25519 at " + wrong + ":1)"), e.getMessage());
      assertEquals(line, Files.readString(wrong), "known_hosts never written");
    }
  }

  @Test
  void aRefusedLoginNamesTheHostAndSaysWhatSshSaid() throws Exception {
    Path stranger = dir.resolve("stranger");
    dev.gitops.testing.ssh.SshKeys.ed25519(stranger, "");
    try (SystemSshHost h = SshClients.system(sshd).identity(stranger).build()) {
      java.io.IOException e = assertThrows(java.io.IOException.class, () -> run(h, "true"));
      assertTrue(e.getMessage().startsWith(h.describe() + ": ssh could not connect or log in (exit 255)"),
          e.getMessage());
      assertTrue(e.getMessage().contains("Permission denied"), e.getMessage());
      assertFalse(e.getMessage().contains(Files.readString(stranger).lines().skip(1).findFirst().orElseThrow()),
          "no key material");
    }
  }

  /**
   * The server's side of the session killed while the command runs (its nearest {@code sshd}
   * ancestor, never the listener): the session was open, so the message says it was lost and that the
   * command may have run, not that ssh could not connect.
   */
  @Test
  void aSessionLostWhileTheCommandRunsSaysTheCommandMayHaveRun() throws Exception {
    String killSession = "p=$$; while [ \"$p\" -gt 1 ]; do case $(cat /proc/$p/comm) in sshd*) kill -KILL \"$p\";"
        + " sleep 10; exit 0;; esac; p=$(cut -d' ' -f4 /proc/$p/stat); done; exit 3";
    for (Duration multiplex : List.of(Duration.ZERO, Duration.ofSeconds(30))) {
      try (SystemSshHost h = SshClients.system(sshd).multiplex(multiplex).build()) {
        java.io.IOException e = assertThrows(java.io.IOException.class,
            () -> h.exec(List.of("sh", "-c", killSession), new byte[0], Duration.ofMinutes(1)));
        assertTrue(e.getMessage().contains("may have run") && !e.getMessage().contains("could not connect"),
            multiplex + ": " + e.getMessage());
        assertEquals("ok\n", run(h, "echo ok"), "the next command connects again");
      }
    }
  }

  /** The server key's {@code SHA256:} fingerprint, as {@code ssh-keygen} prints it. */
  private static String fingerprint() throws Exception {
    Process p = new ProcessBuilder("ssh-keygen", "-l", "-f", sshd.dir().resolve("host_key.pub").toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out.split("\\s+")[1];
  }
}
