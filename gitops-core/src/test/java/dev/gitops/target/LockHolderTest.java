package dev.gitops.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LockHolderTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private static long endedProcess() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }

  @Test
  void aHolderIsProvablyGoneOnlyWhenItRanOnThisMachineAndItsProcessEnded() throws Exception {
    Lockable.Holder self = Lockable.Holder.self("ci", T);
    assertFalse(self.isProvablyGone(), "this process runs");
    assertTrue(new Lockable.Holder("ci", self.host(), endedProcess(), T, self.machine()).isProvablyGone());
    assertFalse(new Lockable.Holder("ci", self.host(), endedProcess(), T, "other/boot/pid:[1]").isProvablyGone(),
        "another machine's process table is not ours to look at");
    assertFalse(new Lockable.Holder("ci", self.host(), -1, T, self.machine()).isProvablyGone(), "no pid");
    assertFalse(new Lockable.Holder("ci", "", endedProcess(), T, "").isProvablyGone(), "no machine");
  }

  @Test
  void aLeaseTakesOverOnlyWhenGivenAndRunOut() {
    Lockable.Holder h = new Lockable.Holder("ci", "build-7", 42, T, "");
    assertFalse(h.isOlderThan(null, T.plus(Duration.ofDays(999))));
    assertFalse(h.isOlderThan(Duration.ofHours(1), T.plus(Duration.ofMinutes(59))));
    assertTrue(h.isOlderThan(Duration.ofHours(1), T.plus(Duration.ofMinutes(61))));
  }

  @Test
  void aHolderPrintsNameProcessMachineAndTime() {
    assertEquals("ci (pid 42 on build-7) since 2026-01-01T00:00:00Z",
        new Lockable.Holder("ci", "build-7", 42, T, "").toString());
    assertEquals("ci since 2026-01-01T00:00:00Z", new Lockable.Holder("ci", "", -1, T, "").toString());
    assertEquals("x.example is locked by ci (pid 42 on build-7) since 2026-01-01T00:00:00Z",
        new LockedException("x.example", new Lockable.Holder("ci", "build-7", 42, T, "")).getMessage());
  }

  @Test
  void inMemoryLockIsNamedAndCanBeForcedOpen() {
    InMemoryTarget target = InMemoryTarget.empty();
    assertEquals(Optional.empty(), target.lockedBy());
    Lockable.Lock held = target.lock("ci-1", null);
    assertEquals("ci-1", target.lockedBy().orElseThrow().name());
    assertThrows(LockedException.class, () -> target.lock("ci-2", null));
    assertEquals("ci-1", target.forceUnlock().orElseThrow().name());
    assertEquals(Optional.empty(), target.forceUnlock());
    try (Lockable.Lock next = target.lock("ci-2", null)) {
      held.close();
      assertEquals("ci-2", target.lockedBy().orElseThrow().name(), "the old holder's close leaves the new lock");
    }
  }
}
