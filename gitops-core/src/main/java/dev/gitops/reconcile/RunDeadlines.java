package dev.gitops.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BiFunction;
import org.slf4j.Logger;

/**
 * The deadline of every run of a {@link PullAgent} or of a {@link Fleet}'s reconcilers. A run that
 * passes it is reported (reason {@code RunTimedOut}, naming the deadline and the phase) and backed off
 * as any failure; its thread is interrupted (the engine stops at its next wait or step; a removal or a
 * stop does the same) and refused further steps and status updates; its driver gives the stuck
 * thread's place to another ({@link Driver#replace}); and the listener hears of it once, a
 * {@link RunTimedOutException}, on a worker of the driver ({@link Driver#tell}), never on the thread
 * that times the deadline: a listener that blocks there would hold up every later deadline. The stuck
 * thread still holds its reconciler (the next run waits until it returns) and its target's lock.
 * Every method holds, or takes, the driver's monitor.
 *
 * @param <W> the driver's reconcilers
 */
final class RunDeadlines<W extends RunDeadlines.Watch> {
  /** The default deadline, of agents and fleets alike. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);

  /** What a driver (a fleet, an agent) does when a run passes its deadline; called holding its monitor. */
  interface Driver<W> {
    /** Gives the stuck thread's place to another; {@return what became of it, for the status message} */
    String replace(W watch);

    /** The timed-out run was recorded: the next run is due {@code retryIn} from now, unless stopped. */
    void retry(W watch, Duration retryIn);

    /** Runs {@code task} on a worker: neither the stuck thread nor the one timing the deadlines. */
    void tell(Runnable task);
  }

  /** A reconciler whose runs have deadlines. Its fields are guarded by the driver's monitor. */
  abstract static class Watch {
    // not private: RunDeadlines reaches them through its type variable
    final String name;
    final Clock clock;
    long runs;
    /** A run is in progress: its deadline is armed. */
    boolean watching;
    Thread thread;
    ScheduledFuture<?> deadline;
    String expiredWhen;

    Watch(String name, Clock clock) {
      this.name = name;
      this.clock = clock;
    }

    /** {@return the run whose deadlines these are} */
    abstract PullRun run();

    String name() {
      return name;
    }

    /** {@return true while a run past its deadline has not returned} */
    boolean late() {
      return watching && run().expired();
    }

    /** {@return when the run in progress passed its deadline and in which phase; null while it has not} */
    String expiredWhen() {
      return expiredWhen;
    }
  }

  private final Object monitor;
  private final BiFunction<Duration, Runnable, ScheduledFuture<?>> timer;
  private final Duration timeout;
  private final Logger log;
  private final String prefix;
  private final Driver<W> driver;

  /**
   * @param monitor the driver's monitor, which guards the watches' fields
   * @param timer runs a task after a delay, on a thread that runs no run; null when refused
   * @param log where the driver logs; {@code prefix} starts its lines ({@code "fleet: "}, {@code "agent "})
   */
  RunDeadlines(Object monitor, BiFunction<Duration, Runnable, ScheduledFuture<?>> timer, Duration timeout,
               Logger log, String prefix, Driver<W> driver) {
    this.monitor = monitor;
    this.timer = timer;
    this.timeout = timeout;
    this.log = log;
    this.prefix = prefix;
    this.driver = driver;
  }

  /** Warns when {@code reconciler}'s health wait alone is as long as the deadline: it would be cut. */
  void check(Reconciler reconciler) {
    Duration health = reconciler.applyOptions().healthWait().timeout();
    if (health.compareTo(timeout) >= 0) {
      log.warn("{}{}: its health wait ({}) is as long as the run deadline ({}): a run that waits for health is"
          + " cut; raise runTimeout", prefix, LogText.NONE.escape(reconciler.name()), health, timeout);
    }
  }

  /** Arms the deadline of the run {@code watch} starts on this thread; holds the driver's monitor. */
  void start(W watch) {
    long run = ++watch.runs;
    watch.watching = true;
    watch.expiredWhen = null;
    watch.run().renew();
    watch.thread = Thread.currentThread();
    watch.deadline = timer.apply(timeout, () -> expire(watch, run));
  }

  /**
   * Ends the run of {@code watch} on this thread; holds the driver's monitor.
   *
   * @return true when the run had passed its deadline: it returned late, its result unrecorded
   */
  boolean end(W watch) {
    watch.watching = false;
    if (watch.deadline != null) {
      watch.deadline.cancel(false);
    }
    watch.deadline = null;
    watch.thread = null;
    boolean late = watch.run().expired();
    if (late) {
      Thread.interrupted(); // the deadline's interrupt: the thread's next task must not see it
      log.info("{}{}: the run that passed its deadline {} returned", prefix, LogText.NONE.escape(watch.name()),
          watch.expiredWhen);
    }
    return late;
  }

  /** The run {@code run} of {@code watch} passed its deadline, unless it ended already. */
  private void expire(W watch, long run) {
    synchronized (monitor) {
      PullRun pull = watch.run();
      if (!watch.watching || watch.runs != run || pull.expired()) {
        return;
      }
      String phase = pull.phase();
      pull.expire(); // a result recorded before this stands; none after it is recorded
      watch.expiredWhen = "of " + timeout + " at " + watch.clock.instant() + " in phase " + phase;
      watch.thread.interrupt();
      String message = "the run passed its deadline of " + timeout + " in phase " + phase + " and was interrupted; "
          + driver.replace(watch);
      driver.retry(watch, pull.timedOut(message));
      RunTimedOutException timedOut = new RunTimedOutException(prefix + watch.name() + ": " + message, timeout,
          phase);
      driver.tell(() -> pull.tellTimedOut(timedOut));
    }
  }
}
