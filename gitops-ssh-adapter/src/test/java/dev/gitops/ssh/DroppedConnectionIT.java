package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection drops in the middle of an apply (the server closes it while files are being
 * uploaded): every file is left old or new, never half-written, and the next reconcile converges.
 */
class DroppedConnectionIT {
  private static final int FILES = 40;
  @AutoClose private static MinaServer server;
  @TempDir
  Path root;

  private static final AtomicInteger WRITES = new AtomicInteger(Integer.MIN_VALUE);

  @BeforeAll
  static void start() throws Exception {
    server = MinaServer.start(Files.createTempDirectory("mina-drop"));
    server.onSftp(new SftpEventListener() {
      @Override
      public void written(ServerSession session, String remoteHandle, FileHandle localHandle, long offset,
                          byte[] data, int dataOffset, int dataLen, Throwable thrown) {
        if (WRITES.incrementAndGet() == FILES / 2) {
          session.close(true);
        }
      }
    });
  }

  private static Map<String, String> version(String v) {
    Map<String, String> files = new HashMap<>();
    for (int i = 0; i < FILES; i++) {
      files.put("hosts/web/conf/f" + i + ".conf", ("version = " + v + "\n").repeat(200 + i));
    }
    return files;
  }

  @Test
  void droppedConnectionLeavesEveryFileOldOrNewAndTheNextReconcileConverges() throws Exception {
    try (SshHost host = server.client().build()) {
      FilesTarget target = FilesTarget.of(host, root.toString());
      assertTrue(Reconcile.once(target, version("1"), "web").isSuccess());

      WRITES.set(0); // the server drops the connection at the 20th upload from now
      ApplyReport broken = Reconcile.once(FilesTarget.of(host, root.toString()), version("2"), "web");
      assertFalse(broken.isSuccess(), "the drop failed some steps: " + broken);
      int newer = 0;
      for (int i = 0; i < FILES; i++) {
        String text = Files.readString(root.resolve("conf/f" + i + ".conf"));
        boolean old = text.equals(("version = 1\n").repeat(200 + i));
        boolean fresh = text.equals(("version = 2\n").repeat(200 + i));
        assertTrue(old || fresh, "f" + i + " is whole, old or new");
        newer += fresh ? 1 : 0;
      }
      assertTrue(newer < FILES, "the drop happened mid-apply (" + newer + " of " + FILES + " new)");

      WRITES.set(Integer.MIN_VALUE);
      ApplyReport healed = Reconcile.once(FilesTarget.of(host, root.toString()), version("2"), "web");
      assertTrue(healed.isSuccess(), healed.toString());
      assertTrue(Reconcile.plan(FilesTarget.of(host, root.toString()), version("2"), "web").isEmpty());
      try (Stream<Path> all = Files.list(root.resolve("conf"))) {
        assertEquals(FILES, all.filter(p -> !p.getFileName().toString().startsWith(".")).count());
      }
    }
  }
}
