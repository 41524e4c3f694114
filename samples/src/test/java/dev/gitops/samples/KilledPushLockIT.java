package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gitops.ssh.FilesTarget;
import dev.gitops.target.Lockable;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A push killed while it holds the target's lock (SIGKILL, no clean-up) does not wedge the target:
 * the next push on the same machine sees the holder's process gone and takes the lock over; a lock
 * whose holder cannot be proved gone is named, and {@code gitops unlock --force} releases it.
 */
class KilledPushLockIT extends RepoAndSite {
  private String[] push() {
    return args("push", "--yes");
  }

  @Test
  void aPushKilledWhileHoldingTheLockDoesNotWedgeTheNextPush() throws Exception {
    Path entered = fifo("entered");
    Path release = fifo("release");
    Path once = tmp.resolve("once");
    // the handler tells the test it runs (so the push holds the lock), then waits for the test
    repo.write("site/app.conf", "workers = 2\n").write("site/.gitops.yaml", "handlers:\n  - name: hold\n"
        + "    command: \"[ -e '" + once + "' ] && exit 0; touch '" + once + "'; echo in > '" + entered
        + "'; cat '" + release + "'\"\n    watch: [\"*.conf\"]\n").commit("one");
    Process child = new ProcessBuilder(Cli.inChildJvm(push())).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("child.log").toFile()).start();
    if (!handlerEntered(entered, child)) {
      fail("the push ended before its handler ran:\n" + Files.readString(tmp.resolve("child.log")));
    }
    child.destroyForcibly().waitFor(); // SIGKILL: no finally block, no release
    try {
      Lockable.Holder left = FilesTarget.local(site).lockedBy().orElseThrow();
      assertEquals(child.pid(), left.pid(), "the killed push's lock is still there: " + left);

      repo.write("site/app.conf", "workers = 4\n").commit("two"); // a push with work to do takes the lock
      Cli next = Cli.run(push());
      assertEquals(0, next.exit(), next::toString);
      assertEquals("workers = 4\n", Files.readString(site.resolve("app.conf")));
      assertEquals(java.util.Optional.empty(), FilesTarget.local(site).lockedBy(), "released after the push");
    } finally {
      try (RandomAccessFile w = new RandomAccessFile(release.toFile(), "rw")) { // O_RDWR: never blocks
        w.write("done\n".getBytes(StandardCharsets.UTF_8)); // the orphaned handler ends
      }
    }
  }

  @Test
  void aLockThatCannotBeProvedGoneIsNamedAndUnlockForceReleasesIt() throws Exception {
    repo.write("site/app.conf", "workers = 2\n").commit("one");
    try (Lockable.Lock held = FilesTarget.local(site).lock("other-ci", null)) { // a live holder
      Cli refused = Cli.run(push());
      assertEquals(1, refused.exit(), refused::toString);
      String holder = "other-ci (pid " + ProcessHandle.current().pid() + " on ";
      assertTrue(refused.err().contains("is locked by " + holder), refused::toString);
      assertTrue(refused.err().contains("gitops unlock --force --target"), refused::toString);
      assertFalse(Files.exists(site.resolve("app.conf")), "nothing written under another's lock");

      Cli shown = Cli.run("unlock", "--target", "dir:" + site);
      assertEquals(0, shown.exit(), shown::toString);
      assertTrue(shown.out().contains("is locked by " + holder), shown::toString);
      assertTrue(FilesTarget.local(site).lockedBy().isPresent(), "unlock without --force only shows");

      Cli forced = Cli.run("unlock", "--force", "--target", "dir:" + site);
      assertEquals(0, forced.exit(), forced::toString);
      assertTrue(forced.out().contains("Released the lock of local" + site + " held by " + holder), forced::toString);
      Cli pushed = Cli.run(push());
      assertEquals(0, pushed.exit(), pushed::toString);
    }
    Cli none = Cli.run("unlock", "--force", "--target", "dir:" + site);
    assertTrue(none.out().contains("was not locked: nothing to release"), none::toString);
  }
}
