package dev.gitops.reconcile;

import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadline of every run of a {@link Fleet}. A run that passes it is reported (reason
 * {@code RunTimedOut}, naming the deadline and the phase) and backed off as any failure; its thread
 * is interrupted (the engine stops at its next wait or step; a removal or a stop does the same) and
 * refused further steps and status updates; and its worker is given up on, so that another takes its
 * place while the thread, stuck in code that ignores interrupts, has not returned. That thread still
 * holds its member (the next run waits until it returns) and its target's lock. At most
 * {@code workers} threads are given up on at once; past that, a run past its deadline keeps its
 * worker until it returns. Every method holds, or takes, the fleet's monitor.
 */
final class RunDeadlines {
  private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);

  private final Object fleet;
  private final WorkQueue queue;
  private final FleetTimers timers;
  private final Duration timeout;
  private final Consumer<FleetMember> wake;

  /**
   * @param fleet the monitor that guards the members' scheduling fields
   * @param wake wakes a member; called holding that monitor
   */
  RunDeadlines(Object fleet, WorkQueue queue, FleetTimers timers, Duration timeout, Consumer<FleetMember> wake) {
    this.fleet = fleet;
    this.queue = queue;
    this.timers = timers;
    this.timeout = timeout;
    this.wake = wake;
  }

  /** Warns when {@code reconciler}'s health wait alone is as long as the deadline: it would be cut. */
  void check(Reconciler reconciler) {
    Duration health = reconciler.applyOptions().healthWait().timeout();
    if (health.compareTo(timeout) >= 0) {
      LOG.warn("fleet: {}: its health wait ({}) is as long as the fleet's run deadline ({}): a run that waits"
          + " for health is cut; raise Fleet.Builder.runTimeout", LogText.NONE.escape(reconciler.name()), health,
          timeout);
    }
  }

  /** Arms the deadline of the run {@code member} starts on this worker; holds the fleet's monitor. */
  void start(FleetMember member) {
    long run = ++member.runs;
    member.expired = false;
    member.expiredWhen = null;
    member.slot = queue.slot();
    member.thread = Thread.currentThread();
    member.deadline = timers.after(timeout, () -> expire(member, run));
  }

  /**
   * Ends the run of {@code member} on this worker; holds the fleet's monitor.
   *
   * @return true when the run had passed its deadline: it returned late, its result unrecorded
   */
  boolean end(FleetMember member) {
    member.running = false;
    if (member.deadline != null) {
      member.deadline.cancel(false);
    }
    member.deadline = null;
    member.slot = null;
    member.thread = null;
    if (member.expired) {
      Thread.interrupted(); // the deadline's interrupt: the worker's next task must not see it
      LOG.info("fleet: {}: the run that passed its deadline {} returned", LogText.NONE.escape(member.name()),
          member.expiredWhen);
    }
    return member.expired;
  }

  /** The run {@code run} of {@code member} passed its deadline, unless it ended already. */
  private void expire(FleetMember member, long run) {
    synchronized (fleet) {
      if (!member.running || member.runs != run || member.expired) {
        return;
      }
      String phase = member.run.phase();
      synchronized (member) { // a result recorded before this stands; none after it is recorded
        member.expired = true;
        member.expiredWhen = "of " + timeout + " at " + member.at(Duration.ZERO) + " in phase " + phase;
      }
      member.thread.interrupt();
      boolean freed = member.slot != null && queue.abandon(member.slot);
      Duration delay = member.run.timedOut("the run passed its deadline of " + timeout + " in phase " + phase
          + " and was interrupted; " + (freed ? "another worker took its place"
          : "it keeps its worker until it returns, as " + queue.abandoned()
          + " threads past their deadline are given up on already, the most a fleet gives up on"));
      if (!freed) {
        LOG.error("fleet: {}: a run passed its deadline and keeps its worker: {} threads past their deadline"
            + " are given up on already", LogText.NONE.escape(member.name()), queue.abandoned());
      }
      if (member.removed) {
        member.terminated.countDown();
      } else {
        member.nextRun = member.at(delay);
        member.timer = timers.after(delay, () -> {
          synchronized (fleet) {
            wake.accept(member);
          }
        });
      }
    }
  }
}
