package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.target.Lockable;
import dev.gitops.target.LockedException;
import dev.gitops.target.TargetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The lock protocol on a files target: the lock names holder, machine, process and time; is written
 * whole or not at all; is taken over when its holder is provably gone or it is older than the lease;
 * can be forced open naming who held it. Run over every kind of {@link Host} by {@link FilesTargetSuite}.
 */
interface LockContract extends FilesTargetContract {

  private Path lockFile() {
    return root().resolve(".gitops/lock");
  }

  /** A lock file as another taker of this protocol writes it. */
  private void plant(String holder, long pid, String machine, Instant since) throws IOException {
    Files.createDirectories(lockFile().getParent());
    Files.writeString(lockFile(), new ObjectMapper().createObjectNode().put("holder", holder)
        .put("host", "elsewhere").put("pid", pid).put("machine", machine).put("since", since.toString())
        .put("token", "planted").toString());
  }

  /** The id of a process that ran on this machine and has ended. */
  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    long pid = p.pid();
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    return pid;
  }

  @Test
  default void theLockNamesHolderMachineProcessAndTime() throws Exception {
    try (Lockable.Lock held = files().lock("ci-job-7", null)) {
      JsonNode written = new ObjectMapper().readTree(lockFile().toFile());
      assertEquals("ci-job-7", written.path("holder").asText());
      assertEquals(ProcessHandle.current().pid(), written.path("pid").asLong());
      assertEquals(held.since().toString(), written.path("since").asText());
      assertFalse(written.path("host").asText().isEmpty(), written.toString());
      Lockable.Holder seen = fresh().lockedBy().orElseThrow();
      assertEquals(Lockable.Holder.self("ci-job-7", held.since()), seen);
      LockedException e = assertThrows(LockedException.class, () -> fresh().lock("ci-job-8", Duration.ofDays(1)));
      assertEquals(seen, e.details());
      assertTrue(e.getMessage().endsWith("is locked by " + seen), e.getMessage());
    }
    assertEquals(Optional.empty(), fresh().lockedBy());
  }

  @Test
  default void aLockWhoseHolderIsProvablyGoneIsTakenOverWithoutALease() throws Exception {
    String here = Lockable.Holder.self("x", Instant.EPOCH).machine();
    plant("killed-push", deadPid(), here, Instant.now());
    try (Lockable.Lock taken = fresh().lock("next-push", null)) {
      assertEquals("next-push", taken.holder());
    }
    plant("on-another-machine", deadPid(), "another-machine/boot/pid:[1]", Instant.now());
    LockedException e = assertThrows(LockedException.class, () -> fresh().lock("next-push", null),
        "a process on another machine cannot be proved gone");
    assertEquals("on-another-machine", e.holder());
    plant("running-here", ProcessHandle.current().pid(), here, Instant.now());
    assertThrows(LockedException.class, () -> fresh().lock("next-push", null), "its process runs");
  }

  /**
   * Agents' clocks disagree (a CI runner two hours slow, a laptop a day fast); the host's file
   * system is the one clock they share. A lease runs on it: from the lock file's modification time.
   */
  @Test
  default void theLeaseRunsOnTheHostsClockWhateverTheHoldersClockSaid() throws Exception {
    Instant now = Instant.now();
    FilesTarget slow = FilesTarget.of(files().host(), root().toString(),
        Clock.fixed(now.minus(Duration.ofHours(2)), ZoneOffset.UTC));
    try (Lockable.Lock held = slow.lock("slow-clock", null)) {
      LockedException e = assertThrows(LockedException.class, () -> fresh().lock("next", Duration.ofHours(1)),
          "a lock taken a moment ago by an agent whose clock is two hours slow is not an hour old");
      assertEquals("slow-clock", e.holder());
    }
    plant("fast-clock", 4242, "another-machine/boot/pid:[1]", now.plus(Duration.ofDays(1)));
    assertThrows(LockedException.class, () -> fresh().lock("next", Duration.ofHours(1)), "written a moment ago");
    Files.setLastModifiedTime(lockFile(), FileTime.from(now.minus(Duration.ofHours(2))));
    try (Lockable.Lock taken = fresh().lock("next", Duration.ofHours(1))) {
      assertEquals("next", taken.holder(), "written two hours ago by the host's clock, whatever its holder's said");
    }
  }

  @Test
  default void forceUnlockReleasesWhoeverHoldsItAndNamesThem() throws Exception {
    plant("wedged", 4242, "another-machine/boot/pid:[1]", Instant.parse("2026-01-01T00:00:00Z"));
    Lockable.Holder was = fresh().forceUnlock().orElseThrow();
    assertEquals("wedged (pid 4242 on elsewhere) since 2026-01-01T00:00:00Z", was.toString());
    assertFalse(Files.exists(lockFile()));
    assertEquals(Optional.empty(), fresh().forceUnlock(), "nothing to release");
    fresh().lock("next", null).close();
  }

  @Test
  default void aFullDiskAtLockTimeLeavesNoLockFileBehind() throws Exception {
    Files.createDirectories(lockFile().getParent());
    FilesTarget full = FilesTarget.of(new FullDiskHost(files().host()), root().toString());
    TargetException e = assertThrows(TargetException.class, () -> full.lock("ci", null));
    assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
    assertFalse(Files.exists(lockFile()), "no empty lock file");
    try (Lockable.Lock next = fresh().lock("after-space-freed", null)) {
      assertEquals("after-space-freed", next.holder());
    }
  }

  @Test
  default void anUnreadableLockFileIsNamedAndTakenOverOnceItIsOld() throws Exception {
    Files.createDirectories(lockFile().getParent());
    Files.write(lockFile(), new byte[0]);
    LockedException e = assertThrows(LockedException.class, () -> fresh().lock("ci", null));
    assertTrue(e.getMessage().contains("locked by an unreadable lock file (0 bytes"), e.getMessage());
    // The time is the file's own (just written), not the epoch. The message also names the target's
    // temporary folder, whose random digits may hold "1970", so the check reads the time alone.
    Instant since = e.details().since();
    assertTrue(Duration.between(since, Instant.now()).abs().compareTo(Duration.ofMinutes(10)) < 0, e.getMessage());
    assertTrue(e.getMessage().endsWith(" since " + since), e.getMessage());
    Files.setLastModifiedTime(lockFile(), FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
    try (Lockable.Lock taken = fresh().lock("ci", null)) {
      assertEquals("ci", taken.holder());
    }
  }
  @Test
  default void aLockThatIsNoFileIsNamedNeverFollowedNorOpenedAndCanBeForcedOpen() throws Exception {
    plant("outside", 4242, "another-machine/boot/pid:[1]", Instant.now());
    Path outside = Files.move(lockFile(), root().resolveSibling("lock-outside-the-root"));
    Files.createSymbolicLink(lockFile(), outside);
    LockedException link = assertThrows(LockedException.class, () -> fresh().lock("ci", null));
    assertTrue(link.getMessage().contains("is locked by a lock that is a symlink, not a file (made by hand?)"),
        link.getMessage());
    assertEquals("a lock that is a symlink, not a file (made by hand?)", fresh().forceUnlock().orElseThrow().name());
    assertFalse(Files.exists(lockFile(), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.readString(outside).contains("\"outside\""), "what the link pointed to is left alone");
    assertEquals(0, new ProcessBuilder("mkfifo", lockFile().toString()).start().waitFor());
    LockedException fifo = assertThrows(LockedException.class, () -> fresh().lock("ci", null));
    assertTrue(fifo.getMessage().contains("is locked by a lock that is a FIFO, socket or device, not a file"),
        fifo.getMessage());
    assertTrue(fresh().forceUnlock().isPresent());
    fresh().lock("next", null).close();
  }
}
