package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.target.Lockable;
import dev.gitops.target.LockedException;
import dev.gitops.target.TargetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection drops as a lock is released: the lock stays on the host, held in the name of a
 * process that still runs, so no one can prove it gone. A pull agent takes its lock without a lease,
 * run after run, through the same target: that target knows the lock is no longer held.
 */
class DroppedReleaseIT {
  @AutoClose private static MinaServer server;
  private static volatile boolean dropAtRelease;
  @TempDir
  Path root;

  @BeforeAll
  static void start() throws Exception {
    server = MinaServer.start(Files.createTempDirectory("mina-release"));
    server.onSftp(new SftpEventListener() {
      @Override
      public void removing(ServerSession session, Path path, boolean isDirectory) throws IOException {
        if (dropAtRelease && path.endsWith(Path.of(".gitops", "lock"))) {
          dropAtRelease = false;
          session.close(true);
          throw new IOException("the connection dropped");
        }
      }
    });
  }

  @Test
  void aLockWhoseReleaseWasCutOffIsTakenAgainByTheTargetThatHeldIt() throws Exception {
    Path lock = root.resolve(".gitops/lock");
    try (SshHost host = server.client().build()) {
      FilesTarget target = FilesTarget.of(host, root.toString());
      Lockable.Lock held = target.lock("pull-agent", null);
      dropAtRelease = true;
      assertThrows(TargetException.class, held::close);
      assertTrue(Files.exists(lock), "the drop left the lock on the host");
      assertThrows(LockedException.class, () -> FilesTarget.of(host, root.toString()).lock("push", null),
          "another target cannot tell it from a held lock");
      try (Lockable.Lock again = target.lock("pull-agent", null)) {
        assertEquals("pull-agent", again.holder(), "the next run of the agent that held it");
      }
      assertFalse(Files.exists(lock), "released");
    }
  }
}
