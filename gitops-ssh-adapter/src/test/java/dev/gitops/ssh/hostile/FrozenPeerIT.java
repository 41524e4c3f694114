package dev.gitops.ssh.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.apply.Applier;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.apply.ApplyReport;
import dev.gitops.ssh.FilesTarget;
import dev.gitops.ssh.ForwardingHost;
import dev.gitops.ssh.Reconcile;
import dev.gitops.ssh.SshClients;
import dev.gitops.ssh.SshHost;
import dev.gitops.testing.ssh.OpenSshd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer stops answering in the middle of an apply — the sshd processes serving the session are
 * frozen ({@code SIGSTOP}), or the listener and the session's protocol process are killed while the
 * privileged monitor still holds the connection open — and the apply still ends: keepalives the
 * server must answer and per-operation timeouts fail what waits on the dead session, every file is
 * left old or new, and the next run converges. The timeouts under test are a second or two; the
 * JUnit timeout only turns a hang (what happened before: the push stalled as long as the peer was
 * frozen) into a failure, it measures nothing.
 */
class FrozenPeerIT {
  private static final int FILES = 30;
  @TempDir Path root;
  private OpenSshd sshd;
  /** Sessions frozen after their listener was killed: no longer its descendants, killed at the end. */
  private final List<ProcessHandle> orphaned = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    assumeTrue(OpenSshd.available(), "OpenSSH sshd not installed at /usr/sbin/sshd: skipping");
    sshd = OpenSshd.start(Files.createTempDirectory("openssh-frozen"));
  }

  @AfterEach
  void stop() throws Exception {
    if (sshd != null) {
      signal("CONT").run();
      kill("KILL", orphaned.stream().filter(ProcessHandle::isAlive)); // else each run leaves one stopped
      sshd.close();
    }
  }

  private SshHost host() throws IOException {
    return SshClients.to(sshd).keepAlive(Duration.ofMillis(500)).operationTimeout(Duration.ofSeconds(2))
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static Map<String, String> version(String v) {
    Map<String, String> files = new HashMap<>();
    for (int i = 0; i < FILES; i++) {
      files.put("hosts/web/conf/f" + i + ".conf", ("version = " + v + "\n").repeat(100 + i));
    }
    return files;
  }

  /** Runs {@code fault} once, just before the {@code n}th file write from now. */
  private static final class Fault extends ForwardingHost {
    private final AtomicInteger writes = new AtomicInteger(Integer.MIN_VALUE);
    private final Runnable fault;

    Fault(SshHost host, Runnable fault) {
      super(host);
      this.fault = fault;
    }

    void at(int n) {
      writes.set(-n);
    }

    @Override
    public void writeAndRename(String tmp, String path, byte[] data, int permissions, boolean replace)
        throws IOException {
      if (writes.incrementAndGet() == 0) {
        fault.run();
      }
      host.writeAndRename(tmp, path, data, permissions, replace);
    }
  }

  /** Sends {@code signal} to every process serving a session: the listener's descendants. */
  private Runnable signal(String signal) {
    return () -> kill(signal, sshd.process().descendants());
  }

  private static void kill(String signal, Stream<ProcessHandle> processes) {
    List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
    processes.forEach(p -> command.add(Long.toString(p.pid())));
    try {
      if (command.size() > 2) {
        new ProcessBuilder(command).inheritIO().start().waitFor();
      }
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private void assertEveryFileOldOrNew() throws IOException {
    for (int i = 0; i < FILES; i++) {
      String text = Files.readString(root.resolve("conf/f" + i + ".conf"));
      assertTrue(text.equals("version = 1\n".repeat(100 + i)) || text.equals("version = 2\n".repeat(100 + i)),
          "f" + i + " is whole, old or new");
    }
  }

  @Test
  @Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aPeerFrozenMidApplyFailsTheStepsWaitingOnItAndTheNextRunConverges() throws Exception {
    try (SshHost ssh = host()) {
      Fault host = new Fault(ssh, signal("STOP"));
      assertTrue(Reconcile.once(FilesTarget.of(host, root.toString()), version("1"), "web").isSuccess());

      host.at(FILES / 2);
      ApplyReport frozen = Reconcile.once(FilesTarget.of(host, root.toString()), version("2"), "web");
      assertEveryFileOldOrNew();
      signal("KILL").run(); // the frozen session's processes: gone for good

      ApplyReport next = Reconcile.once(FilesTarget.of(host, root.toString()), version("2"), "web");
      assertTrue(next.isSuccess(), "after " + frozen + ": " + next);
      assertTrue(Reconcile.plan(FilesTarget.of(host, root.toString()), version("2"), "web").isEmpty());
      for (int i = 0; i < FILES; i++) {
        assertEquals("version = 2\n".repeat(100 + i), Files.readString(root.resolve("conf/f" + i + ".conf")));
      }
    }
  }

  @Test
  @Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aSessionKilledWithTheListenerDownFailsTheApplyPromptly() throws Exception {
    try (SshHost ssh = host()) {
      // Freezes each session's own process, the one that holds the connection (for root, also the one that
      // speaks the protocol; for another user, the privileged monitor), then kills the listener and every
      // process a session started: the connection stays open, but nobody answers on it any more, no
      // channel can be opened on it and no new connection made (killing only the innermost processes left
      // the session's process free to serve a new SFTP channel). Freeze first: a frozen parent reaps nothing.
      Fault host = new Fault(ssh, () -> {
        List<ProcessHandle> sessions = sshd.process().children().toList();
        orphaned.addAll(sessions);
        kill("STOP", sessions.stream());
        kill("KILL", Stream.concat(Stream.of(sshd.process()), sessions.stream().flatMap(ProcessHandle::descendants)));
      });
      assertTrue(Reconcile.once(FilesTarget.of(host, root.toString()), version("1"), "web").isSuccess());

      host.at(FILES / 2);
      FilesTarget target = FilesTarget.of(host, root.toString());
      ApplyReport killed = new Applier().apply(Reconcile.plan(target, version("2"), "web"), target,
          ApplyOptions.defaults().withRetry(1, Duration.ZERO, Duration.ZERO)); // no flush: nobody to flush to
      assertFalse(killed.isSuccess(), killed::toString);
      assertTrue(killed.failures().get(0).cause().getMessage().contains(ssh.describe()), killed::toString);
      assertEveryFileOldOrNew();
    }
  }
}
