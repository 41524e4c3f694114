package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyReport;
import dev.gitops.apply.Outcome;
import dev.gitops.model.Handler;
import dev.gitops.model.Origin;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.Wave;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A handler (or health command) that prints without end costs a bounded amount of memory: the hosts
 * keep the end of its output only, never all of it first.
 */
class OutputBoundsTest {

  @Test
  void aLocalCommandThatPrintsThreeGigabytesGivesItsEndWithoutReadingTheRest() throws Exception {
    // dd seeks its standard output, a file: 3 GB that take no disk and no time, ending in "end".
    // Read whole, they could not even be one array (OutOfMemoryError: Requested array size).
    Host.Result r = LocalHost.create().execKeepingTail(List.of("sh", "-c",
        "printf end | dd bs=1 seek=3000000000 status=none"), new byte[0], Duration.ofMinutes(1), 10);
    assertEquals(0, r.exitCode(), () -> new String(r.stderr(), StandardCharsets.UTF_8));
    byte[] expected = new byte[10];
    System.arraycopy("end".getBytes(StandardCharsets.US_ASCII), 0, expected, 7, 3);
    assertArrayEquals(expected, r.stdout());
  }

  @Test
  void aHandlerThatPrintsThreeGigabytesIsAppliedWithTheEndOfItsOutput(@TempDir Path root) {
    Action.Run run = new Action.Run(new Handler("chatty", "printf 'reloaded\\n' | dd bs=1 seek=3000000000 status=none",
        List.of("**"), Origin.UNKNOWN), List.of(ResourceId.file("etc/app.conf")));
    ApplyReport report = Reconcile.apply(FilesTarget.local(root),
        new Plan("web", "", List.of(new Wave(0, List.of(run))), "sha256:test"));
    String detail = ((Outcome.Applied) report.outcomes().get(0)).detail();
    assertTrue(detail.startsWith("[output cut: its last 4096 characters follow]\n"), detail.substring(0, 60));
    assertTrue(detail.endsWith("\\x00\\x00reloaded"), "NULs of the sparse file printed escaped, then its end");
  }

  @Test
  void anSshChannelsBufferHoldsTwiceItsBoundAtMostAndGivesTheLastBytes() {
    SshCommands.Tail tail = new SshCommands.Tail(1000);
    byte[] chunk = new byte[333];
    for (int i = 0; i < 30_000; i++) { // 10 MB, in chunks as a channel delivers them
      Arrays.fill(chunk, (byte) i);
      tail.write(chunk, 0, chunk.length);
      assertTrue(tail.size() <= 2000, "held " + tail.size());
    }
    tail.write('!');
    byte[] kept = tail.toByteArray();
    assertEquals(1000, kept.length);
    assertEquals('!', kept[999]);
    assertEquals((byte) 29_999, kept[998]);
    assertEquals((byte) 29_997, kept[0], "the 999 bytes before it: the last three chunks of 333");
    tail.write(new byte[5000], 0, 5000);
    assertEquals(1000, tail.toByteArray().length, "a write longer than the bound keeps its own end");
  }

  @Test
  void aHandlersOutputIsCutToItsEndWithANote() {
    String s = "x".repeat(10_000) + "tail";
    String clipped = Handlers.clip(s);
    assertTrue(clipped.startsWith("[output cut: its last 4096 characters follow]\n"), clipped.substring(0, 60));
    assertTrue(clipped.endsWith("xtail"));
    assertEquals(Handlers.MAX_OUTPUT, clipped.length() - clipped.indexOf('\n') - 1);
  }
}
