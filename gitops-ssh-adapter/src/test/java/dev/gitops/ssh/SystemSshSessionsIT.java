package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.testing.ssh.OpenSshd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link SystemSshHost}'s sessions over its shared connection: a command's exit status that
 * {@code ssh} never got (MINA SSHD's server drops it when the master closes the channel first), many
 * commands at once through one host, the server's {@code MaxSessions} (a real OpenSSH {@code sshd}
 * with {@code MaxSessions 2}), and a long-running command that would take the last session. Skipped
 * without {@code ssh}; the {@code sshd} test without {@code sshd}.
 */
class SystemSshSessionsIT {
  private static MinaServer mina;

  @BeforeAll
  static void startServer() throws Exception {
    assumeTrue(SystemSshHost.onPath("ssh"), "ssh is not installed: skipping");
    mina = MinaServer.start(Files.createTempDirectory("mina-sessions"));
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (mina != null) {
      mina.close();
    }
  }

  private static Host.Result run(Host host, String script, String stdin) throws IOException {
    return host.exec(List.of("sh", "-c", script), stdin.getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(2));
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * Every exit status arrives although the server sends none: each command's {@code ssh} exited 255,
   * saying nothing, and each read as a failure to connect, though it had run.
   */
  @Test
  void aStatusTheServerNeverSentIsTheOneTheCommandReported() throws Exception {
    mina.statusAfterClose(true);
    try (SystemSshHost host = mina.systemClient().build()) {
      for (int status : new int[] {0, 3, 255}) {
        Host.Result r = run(host, "cat; printf 'to stderr' >&2; exit " + status, "in " + status);
        assertEquals(status, r.exitCode(), r.output());
        assertEquals("in " + status, text(r.stdout()));
        assertEquals("to stderr", text(r.stderr()), "the command's own standard error, no more");
      }
      Host.Result exec = host.exec(List.of("cat"), "exec'd".getBytes(StandardCharsets.UTF_8));
      assertEquals(0, exec.exitCode(), exec.output());
      assertEquals("exec'd", text(exec.stdout()));
      Host.Result tail = host.execKeepingTail(List.of("sh", "-c", "echo 12345; echo abcde >&2; exit 4"), new byte[0],
          Duration.ofMinutes(2), 3);
      assertEquals(4, tail.exitCode());
      assertEquals("45\n", text(tail.stdout()));
      assertEquals("de\n", text(tail.stderr()), "the last bytes of the command's standard error");
    } finally {
      mina.statusAfterClose(false);
    }
  }

  /** The status race of the test above, as it happens: now and then, with many commands at once. */
  @Test
  void manyCommandsAtOnceThroughOneHostEachGetTheirOwnResult() throws Exception {
    try (SystemSshHost host = mina.systemClient().build()) {
      List<Callable<String>> commands = new ArrayList<>();
      for (int i = 0; i < 48; i++) {
        String n = Integer.toString(i);
        commands.add(() -> {
          Host.Result r = host.exec(List.of("sh", "-c", "cat; echo \" $1\"; exit $(($1 % 4))", "x", n),
              "command".getBytes(StandardCharsets.UTF_8));
          return r.exitCode() + " " + text(r.stdout()).strip();
        });
      }
      List<String> results = all(commands, 8);
      for (int i = 0; i < results.size(); i++) {
        assertEquals((i % 4) + " command " + i, results.get(i));
      }
    }
  }

  /**
   * Six commands at once on a new host, against a real {@code sshd} with {@code MaxSessions 2}: one
   * connection carries them all, two at a time, and their standard error holds nothing of
   * {@code ssh}'s. Before, the first commands raced to be the master, each making a connection of its
   * own ({@code ControlSocket ... already exists, disabling multiplexing}), and those past two were
   * refused a session ({@code Session open refused by peer}) and connected again.
   */
  @Test
  void commandsPastMaxSessionsWaitForASessionOfTheOneConnection() throws Exception {
    assumeTrue(OpenSshd.available(), "OpenSSH sshd not installed: skipping");
    try (OpenSshd sshd = OpenSshd.start(Files.createTempDirectory("openssh-sessions"), "MaxSessions 2");
         SystemSshHost host = SshClients.system(sshd).maxSessions(2).build()) {
      List<Callable<String>> commands = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        commands.add(() -> {
          Host.Result r = run(host, "echo \"$SSH_CONNECTION\"", "");
          assertEquals(0, r.exitCode(), r.output());
          assertEquals("", text(r.stderr()), "nothing from ssh");
          return text(r.stdout()).strip();
        });
      }
      Set<String> connections = new TreeSet<>(all(commands, 6));
      assertEquals(1, connections.size(), "one connection: " + connections);
    }
  }

  /** A long-running command never takes the last session: it is refused, and commands still run. */
  @Test
  void aLongRunningCommandLeavesOneSessionForTheOthers() throws Exception {
    try (SystemSshHost one = mina.systemClient().maxSessions(1).build()) {
      assertThrows(IOException.class, () -> one.start(List.of("cat")), "no session to spare");
      assertEquals(0, run(one, "true", "").exitCode(), "the session is free");
    }
    try (SystemSshHost two = mina.systemClient().maxSessions(2).build();
         Host.Channel reader = two.start(List.of("cat"))) {
      assertFalse(reader == null);
      assertThrows(IOException.class, () -> two.start(List.of("cat")), "the last session is kept for commands");
      assertEquals(0, run(two, "true", "").exitCode());
    }
  }

  private static <T> List<T> all(List<Callable<T>> tasks, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<T> results = new ArrayList<>();
      for (Future<T> f : pool.invokeAll(tasks)) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
