package dev.gitops.testing.time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A deterministic {@link ScheduledExecutorService} in virtual time: nothing runs until a test calls
 * {@link #advance}, which runs every task falling due, in due order, on the calling thread, moving
 * the {@link MutableClock} to each task's due time. Records every delay asked for. Give both to what
 * schedules (a {@code PullAgent.Builder}'s {@code scheduler} and {@code clock}) and the test decides
 * when time passes: no sleeps, no timing asserts.
 *
 * <p>Thread-safe; tasks run on the thread that calls {@link #advance}, and time never goes back
 * (an advance that ends while another thread's went further leaves the time there). Periodic tasks run at a fixed
 * rate (fixed delay is treated alike: a task takes no virtual time).
 */
public final class VirtualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  private final MutableClock clock;
  private final Instant epoch;
  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  private final List<Duration> delays = new ArrayList<>();
  private long now;
  private long sequence;
  private boolean shutdown;

  /** @param clock where virtual time starts; moved as tasks run */
  public VirtualScheduler(MutableClock clock) {
    this.clock = clock;
    this.epoch = clock.instant();
  }

  /**
   * Runs every task due within {@code d} from now, in due order (ties in the order scheduled), moving
   * the clock to each task's due time, then sets the time to now + d.
   *
   * @param d how much virtual time passes
   */
  public void advance(Duration d) {
    long end;
    synchronized (this) {
      end = now + d.toNanos();
    }
    while (true) {
      Task<?> task;
      synchronized (this) {
        task = queue.peek();
        if (task == null || task.due > end) {
          now = Math.max(now, end); // another thread's advance may have gone further meanwhile
          clock.set(epoch.plusNanos(now));
          return;
        }
        queue.poll();
        now = Math.max(now, task.due);
        clock.set(epoch.plusNanos(now));
      }
      if (!task.isCancelled()) {
        task.run();
      }
    }
  }

  /** {@return every delay asked for so far, oldest first: what a backoff or poll interval chose} */
  public synchronized List<Duration> delays() {
    return List.copyOf(delays);
  }

  /** {@return the delay until the earliest task not cancelled, null when none is pending} */
  public synchronized Duration nextDelay() {
    return queue.stream().filter(t -> !t.isCancelled()).mapToLong(t -> t.due).min()
        .stream().mapToObj(due -> Duration.ofNanos(due - now)).findFirst().orElse(null);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return enqueue(new Task<>(Executors.callable(command), unit.toNanos(delay), 0));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return enqueue(new Task<>(callable, unit.toNanos(delay), 0));
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period,
                                                TimeUnit unit) {
    return enqueue(new Task<>(Executors.callable(command), unit.toNanos(initialDelay), unit.toNanos(period)));
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
                                                   TimeUnit unit) {
    return scheduleAtFixedRate(command, initialDelay, delay, unit);
  }

  @Override public void execute(Runnable command) { schedule(command, 0, TimeUnit.NANOSECONDS); }

  private synchronized <V> Task<V> enqueue(Task<V> task) {
    if (shutdown) {
      throw new RejectedExecutionException("shut down");
    }
    delays.add(Duration.ofNanos(task.due - now));
    queue.add(task);
    return task;
  }

  @Override public synchronized void shutdown() { shutdown = true; }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> pending = new ArrayList<>(queue);
    queue.clear();
    return pending;
  }

  @Override public synchronized boolean isShutdown() { return shutdown; }
  @Override public synchronized boolean isTerminated() { return shutdown && queue.isEmpty(); }
  @Override public boolean awaitTermination(long timeout, TimeUnit unit) { return isTerminated(); }

  private final class Task<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {
    private final long period;
    private final long seq;
    private long due;

    Task(Callable<V> callable, long delay, long period) {
      super(callable);
      this.period = period;
      synchronized (VirtualScheduler.this) {
        this.due = now + Math.max(0, delay);
        this.seq = sequence++;
      }
    }

    @Override public boolean isPeriodic() { return period > 0; }

    @Override
    public void run() {
      if (!isPeriodic()) {
        super.run();
      } else if (runAndReset()) {
        synchronized (VirtualScheduler.this) {
          due += period;
          queue.add(this);
        }
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      synchronized (VirtualScheduler.this) {
        return unit.convert(due - now, TimeUnit.NANOSECONDS);
      }
    }

    @Override
    public int compareTo(Delayed other) {
      Task<?> o = (Task<?>) other;
      return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
    }
  }
}
