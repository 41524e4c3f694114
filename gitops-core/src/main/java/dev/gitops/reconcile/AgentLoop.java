package dev.gitops.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machinery behind a {@link PullAgent}: its lifecycle, its schedule and its runs, one at a time,
 * each with a deadline. Lifecycle and state are guarded by this object's monitor (the one its
 * {@link PullRun} records under); runs happen outside it. Thread-safe.
 */
final class AgentLoop {
  private static final Logger LOG = LoggerFactory.getLogger(PullAgent.class);
  private enum Phase { NEW, STARTED, STOPPED }

  private final String name;
  private final PullRun run;
  private final AgentSchedule schedule;
  private final ReentrantLock running = new ReentrantLock();
  private final AtomicBoolean cancel = new AtomicBoolean();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final AgentState state;
  private final RunDeadlines.Watch watch;
  private final RunDeadlines<RunDeadlines.Watch> deadlines;
  private Phase phase = Phase.NEW;
  private boolean suspended;
  private boolean triggered;

  /** @param scheduler the caller's scheduler, or null for private threads */
  AgentLoop(Reconciler reconciler, ScheduledExecutorService scheduler, Clock clock, Duration runTimeout,
            Duration driftInterval, boolean selfHeal, Delays delays) {
    this.name = reconciler.name();
    this.schedule = new AgentSchedule(name, scheduler, clock);
    this.state = new AgentState(clock);
    this.run = new PullRun(this, reconciler, state, cancel, clock, driftInterval, selfHeal, delays);
    this.watch = new RunDeadlines.Watch(name, clock) {
      @Override PullRun run() {
        return run;
      }
    };
    this.deadlines = new RunDeadlines<>(this, schedule::after, runTimeout, LOG, "agent ", new Deadlines());
    deadlines.check(reconciler);
  }

  synchronized void start() {
    if (phase != Phase.NEW) {
      throw new IllegalStateException("agent " + name + " was already " + phase.name().toLowerCase(java.util.Locale.ROOT));
    }
    phase = Phase.STARTED;
    schedule(Duration.ZERO);
  }

  synchronized void suspend() {
    suspended = true;
    schedule.cancel();
  }

  synchronized void resume() {
    if (!suspended) {
      return;
    }
    suspended = false;
    if (!running.isLocked()) {
      schedule(Duration.ZERO);
    }
  }

  synchronized boolean triggerNow() {
    if (phase != Phase.STARTED || suspended) {
      return false;
    }
    triggered = true;
    if (!running.isLocked()) {
      schedule(Duration.ZERO);
    }
    return true;
  }

  /** Stops; the run in progress is waited for by {@link #awaitTermination} unless past its deadline. */
  void stop() {
    boolean late;
    synchronized (this) {
      if (phase == Phase.STOPPED) {
        return;
      }
      phase = Phase.STOPPED;
      cancel.set(true);
      schedule.cancel();
      late = watch.late();
    }
    if (late || !running.isHeldByCurrentThread() && running.tryLock()) {
      if (!late) {
        running.unlock();
      }
      terminated.countDown();
    }
    schedule.shutdown();
  }

  boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** {@return true when called from the run in progress (a listener of it): it must not wait for itself} */
  boolean onRunThread() {
    return running.isHeldByCurrentThread();
  }

  synchronized AgentStatus status() {
    return state.snapshot(name, schedule.nextRun(), suspended, phase == Phase.STOPPED);
  }

  /** One scheduled run; never two at once: while a run past its deadline holds on, the next waits. */
  private void tick() {
    if (!running.tryLock()) {
      synchronized (this) {
        if (watch.late() && phase == Phase.STARTED && !suspended) { // it runs once the stuck run returns
          schedule.started();
          run.waitingForLateRun(watch.expiredWhen());
        }
      }
      return;
    }
    Duration delay = null;
    boolean started = false;
    try {
      boolean forced;
      synchronized (this) {
        if (phase != Phase.STARTED || suspended) {
          return;
        }
        forced = triggered;
        triggered = false;
        schedule.started();
        deadlines.start(watch);
        started = true;
      }
      delay = run.run(forced);
    } catch (OutOfMemoryError e) {
      delay = null;
      outOfMemory(e);
    } catch (Throwable e) { // an Error (NoClassDefFoundError, StackOverflowError) too: never die silently
      delay = run.unexpected(e);
    } finally {
      synchronized (this) {
        boolean late = started && deadlines.end(watch); // before another run can start
        running.unlock();
        if (phase == Phase.STOPPED) {
          terminated.countDown();
        } else if (late) { // its next is the one timed at its deadline, unless that came due while it held on
          if (triggered || !schedule.pending()) {
            schedule(Duration.ZERO);
          }
        } else if (delay != null) {
          schedule(triggered ? Duration.ZERO : delay);
        }
      }
    }
  }

  /** What the agent does when a run passes its deadline; called holding its monitor. */
  private final class Deadlines implements RunDeadlines.Driver<RunDeadlines.Watch> {
    @Override
    public String replace(RunDeadlines.Watch stuck) {
      return "the next run waits until it returns";
    }

    @Override
    public void retry(RunDeadlines.Watch stuck, Duration retryIn) {
      if (phase == Phase.STOPPED) {
        terminated.countDown(); // awaitTermination waits for no thread stuck past its deadline
      } else {
        schedule(retryIn);
      }
    }

    @Override
    public void tell(Runnable task) {
      schedule.execute(task);
    }
  }

  /**
   * Stops the agent loudly: after an {@link OutOfMemoryError} the process's state is not to be
   * trusted, so the agent reports it ({@code Stalled}, reason {@code OutOfMemoryError}), tells the
   * listener and schedules nothing more.
   */
  private void outOfMemory(OutOfMemoryError e) {
    synchronized (this) {
      phase = Phase.STOPPED;
      cancel.set(true);
      schedule.cancel();
    }
    run.outOfMemory(e);
    schedule.shutdown();
  }

  /** Schedules the next run after {@code delay}, replacing any scheduled one; holds the monitor. */
  private void schedule(Duration delay) {
    if (phase == Phase.STARTED && !suspended) {
      schedule.schedule(delay, this::tick);
    }
  }
}
