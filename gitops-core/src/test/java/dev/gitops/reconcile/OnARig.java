package dev.gitops.reconcile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base of the test classes that run over a fresh {@link Rig} per test (a Git repository in a temp dir, an in-memory
 * target, virtual time), and pull agents polling it every virtual minute.
 */
abstract class OnARig {
  static final Duration MINUTE = Duration.ofMinutes(1);
  /** The agents' run deadline: armed, on the virtual scheduler, by every run. */
  static final Duration DEADLINE = Duration.ofMinutes(45);
  @TempDir Path dir;
  @AutoClose Rig rig;

  @BeforeEach
  void startRig() {
    rig = new Rig(dir);
  }

  /**
   * A pull agent every minute, without jitter, checking drift every 5, backing off 10 s to 80 s, each
   * run timed out after {@link #DEADLINE}.
   */
  PullAgent.Builder agent(Reconciler reconciler) {
    return PullAgent.builder(reconciler).interval(MINUTE).jitter(0).driftInterval(Duration.ofMinutes(5))
        .backoff(Duration.ofSeconds(10), Duration.ofSeconds(80)).scheduler(rig.scheduler)
        .clock(rig.clock).random(new Random(7)).runTimeout(DEADLINE);
  }

  /** {@return the delays the agents asked of the scheduler for their runs: their deadlines left out} */
  java.util.List<Duration> runDelays() {
    return rig.scheduler.delays().stream().filter(d -> !d.equals(DEADLINE)).toList();
  }
}
