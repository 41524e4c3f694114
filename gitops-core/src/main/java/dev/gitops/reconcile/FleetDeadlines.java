package dev.gitops.reconcile;

import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link Fleet} does when a run passes its deadline ({@link RunDeadlines}): its worker is given
 * up on, so that another takes its place while the thread, stuck in code that ignores interrupts, has
 * not returned; at most {@code workers} threads are given up on at once, past that a run past its
 * deadline keeps its worker until it returns. The listener hears of it on a worker (the one that took
 * the stuck one's place, or the next free one), queued as any run. Every method holds the fleet's
 * monitor.
 */
final class FleetDeadlines implements RunDeadlines.Driver<FleetMember> {
  private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);

  private final Object fleet;
  private final WorkQueue queue;
  private final FleetTimers timers;
  private final Consumer<FleetMember> wake;

  /**
   * @param fleet the monitor that guards the members' scheduling fields
   * @param wake wakes a member; called holding that monitor
   */
  FleetDeadlines(Object fleet, WorkQueue queue, FleetTimers timers, Consumer<FleetMember> wake) {
    this.fleet = fleet;
    this.queue = queue;
    this.timers = timers;
    this.wake = wake;
  }

  @Override
  public String replace(FleetMember member) {
    if (member.slot != null && queue.abandon(member.slot)) {
      return "another worker took its place";
    }
    LOG.error("fleet: {}: a run passed its deadline and keeps its worker: {} threads past their deadline"
        + " are given up on already", LogText.NONE.escape(member.name()), queue.abandoned());
    return "it keeps its worker until it returns, as " + queue.abandoned()
        + " threads past their deadline are given up on already, the most a fleet gives up on";
  }

  @Override
  public void retry(FleetMember member, Duration retryIn) {
    if (member.removed) {
      member.terminated.countDown();
      return;
    }
    member.nextRun = member.at(retryIn);
    member.timer = timers.after(retryIn, () -> {
      synchronized (fleet) {
        wake.accept(member);
      }
    });
  }

  @Override
  public void tell(Runnable task) {
    queue.submit(task);
  }
}
