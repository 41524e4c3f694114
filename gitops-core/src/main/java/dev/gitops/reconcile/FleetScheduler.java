package dev.gitops.reconcile;

import dev.gitops.model.Revision;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The machinery behind a {@link Fleet}: its reconcilers and repositories, the shared polls, the
 * fair queue of runs and the timers. Scheduling state is guarded by this object's monitor; runs and
 * polls happen outside it, on the work queue's workers.
 */
final class FleetScheduler {
  private final FleetSettings settings;
  private final WorkQueue queue;
  private final Map<String, FleetMember> members = new TreeMap<>();
  private final Map<String, PollGroup> groups = new TreeMap<>();
  /** Removed members whose run has not ended yet, by name: a member added under that name waits for it. */
  private final Map<String, FleetMember> leaving = new TreeMap<>();
  private final FleetTimers timers;
  private final RunDeadlines<FleetMember> deadlines;
  private boolean started;
  private boolean stopped;

  FleetScheduler(FleetSettings settings) {
    this.settings = settings;
    this.timers = new FleetTimers(settings);
    this.queue = new WorkQueue(timers.executor(), settings.workers(), settings.workers());
    this.deadlines = new RunDeadlines<>(this, timers::after, settings.runTimeout(),
        org.slf4j.LoggerFactory.getLogger(Fleet.class), "fleet: ", new FleetDeadlines(this, queue, timers,
        m -> wake(m, false)));
  }

  /**
   * Starts: every reconciler added so far, and every one added later, is polled at once.
   *
   * @return this fleet
   * @throws IllegalStateException when started before or stopped
   */
  synchronized void start() {
    if (started || stopped) {
      throw new IllegalStateException("the fleet was already " + (stopped ? "stopped" : "started"));
    }
    started = true;
    groups.values().forEach(this::pollSoon);
  }

  /**
   * Adds a reconciler; once started, its repository is polled at once (a repository the fleet
   * already polls is not polled again: the last revision seen wakes it).
   *
   * @param reconciler the reconciler; its name must be new to the fleet
   * @throws IllegalArgumentException when a reconciler of that name is in the fleet
   * @throws IllegalStateException when the fleet was stopped
   */
  synchronized void add(Reconciler reconciler) {
    if (stopped) {
      throw new IllegalStateException("the fleet was stopped");
    }
    if (members.containsKey(reconciler.name())) {
      throw new IllegalArgumentException("the fleet already has a reconciler named " + reconciler.name());
    }
    deadlines.check(reconciler);
    String key = reconciler.source().pollKey().orElse("alone " + reconciler.name());
    PollGroup group = groups.computeIfAbsent(key, k -> new PollGroup(k, settings.delays()));
    FleetMember member = new FleetMember(reconciler, group, settings.clock(reconciler),
        settings.driftInterval(), settings.selfHeal(), settings.delays(), settings.lockTargets(),
        timers.applyPool());
    group.members.add(member);
    members.put(reconciler.name(), member);
    member.after = leaving.get(reconciler.name());
    if (member.after != null) {
      member.waitForPredecessor();
    }
    if (started && group.latest() != null && !group.polling) {
      wake(member, false);
    } else if (started) {
      pollSoon(group);
    }
  }

  /**
   * Removes a reconciler: nothing more is scheduled for it, and a run in progress finishes its
   * current step and skips the rest. What it applied stays on the target.
   *
   * @param name the reconciler's name
   * @return false when the fleet has no reconciler of that name
   */
  synchronized boolean remove(String name) {
    FleetMember member = members.remove(name);
    if (member == null) {
      return false;
    }
    retire(member);
    PollGroup group = member.group;
    group.members.remove(member);
    if (group.members.isEmpty()) {
      group.cancelTimer();
      groups.remove(group.key);
    }
    return true;
  }

  /**
   * Asks one reconciler for a run now that plans even when its revision is unchanged.
   *
   * @param name the reconciler's name
   * @return false when ignored: no such reconciler, not started, or stopped
   */
  synchronized boolean triggerNow(String name) {
    FleetMember member = members.get(name);
    if (member == null || !started || stopped || member.group.latest() == null) {
      return false;
    }
    wake(member, true);
    return true;
  }

  /** Polls every repository now (a webhook said Git changed); ignored when not started or stopped. */
  synchronized void pollNow() {
    if (started && !stopped) {
      groups.values().forEach(this::pollSoon);
    }
  }

  /**
   * One reconciler's status.
   *
   * @param name the reconciler's name
   * @return its status, empty when the fleet has no reconciler of that name
   */
  Optional<AgentStatus> status(String name) {
    FleetMember member;
    java.time.Instant next;
    synchronized (this) {
      member = members.get(name);
      if (member == null) {
        return Optional.empty();
      }
      next = member.nextRun;
    }
    return Optional.of(member.status(next, stopped));
  }

  /** {@return the whole fleet's status: counts, and every reconciler's status sorted by name} */
  FleetStatus status() {
    List<FleetMember> all;
    List<java.time.Instant> next = new ArrayList<>();
    long polls = 0;
    int repositories;
    boolean over;
    synchronized (this) {
      all = List.copyOf(members.values());
      all.forEach(m -> next.add(m.nextRun));
      for (PollGroup g : groups.values()) {
        polls += g.polls.get();
      }
      repositories = groups.size();
      over = stopped;
    }
    List<AgentStatus> statuses = new ArrayList<>(all.size());
    for (int i = 0; i < all.size(); i++) {
      statuses.add(all.get(i).status(next.get(i), over));
    }
    int ready = (int) statuses.stream().filter(s -> s.is(AgentStatus.Condition.Type.READY)).count();
    int stalled = (int) statuses.stream().filter(s -> s.is(AgentStatus.Condition.Type.STALLED)).count();
    return new FleetStatus(all.size(), ready, stalled, repositories, polls, queue.queued(), queue.abandoned(),
        statuses);
  }

  /**
   * Stops every reconciler: nothing more is scheduled, runs in progress finish their current step.
   * Returns at once; {@link #awaitTermination} waits for those runs. Harmless when repeated.
   */
  void stop() {
    synchronized (this) {
      if (stopped) {
        return;
      }
      stopped = true;
      members.values().forEach(this::retire);
      groups.values().forEach(PollGroup::cancelTimer);
    }
    timers.shutdown();
  }

  /**
   * Waits until the fleet is stopped and every run in progress has ended or passed its deadline.
   *
   * @param timeout the longest wait, for all runs together
   * @return true when every run ended, false when {@code timeout} passed first
   * @throws InterruptedException when interrupted while waiting
   */
  boolean awaitTermination(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<FleetMember> all;
    synchronized (this) {
      all = new ArrayList<>(members.values());
      all.addAll(leaving.values());
    }
    for (FleetMember m : all) {
      if (!m.terminated.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        return false;
      }
    }
    return timers.awaitTermination(queue, Math.max(0, deadline - System.nanoTime()));
  }

  /** Nothing more for {@code member}; holds the monitor. */
  private void retire(FleetMember member) {
    member.removed = true;
    member.cancel.set(true);
    member.cancelTimer();
    if (member.running) {
      leaving.put(member.name(), member);
    }
    if (!member.running || member.run.expired()) { // a run past its deadline is not waited for
      member.terminated.countDown();
    }
  }

  /**
   * {@code member}'s run ended after it was removed: a member added since under its name, which
   * waited so that one name never has two runs at once, runs now. Holds the monitor.
   */
  private void left(FleetMember member) {
    member.terminated.countDown();
    leaving.remove(member.name(), member);
    FleetMember next = members.get(member.name());
    if (next != null && next.after == member) {
      next.after = null;
      next.again = false;
      if (started && next.group.latest() != null) {
        wake(next, false);
      }
    }
  }

  /** True when called from a run or poll of this fleet, e.g. by a listener: it must not wait for itself. */
  boolean onWorker() {
    return queue.onWorker();
  }

  /** Queues a poll of {@code group} unless one is queued or running; holds the monitor. */
  private void pollSoon(PollGroup group) {
    if (group.queued || group.polling || group.members.isEmpty()) {
      return;
    }
    group.cancelTimer();
    group.queued = true;
    queue.submit(() -> poll(group));
  }

  /** One poll of a repository: one {@code latest()}, then the members whose content changed wake. */
  private void poll(PollGroup group) {
    List<FleetMember> readers;
    synchronized (this) {
      group.queued = false;
      if (stopped || group.members.isEmpty()) {
        return;
      }
      group.polling = true;
      readers = new ArrayList<>(group.members);
    }
    Duration next;
    List<FleetMember> changed = new ArrayList<>();
    try {
      Revision revision = readers.get(0).reconciler.source().latest();
      group.polls.incrementAndGet();
      boolean recovered = group.failures > 0;
      for (FleetMember m : readers) {
        if (m.failing() || recovered || changedFor(m, revision)) {
          changed.add(m);
        }
      }
      group.latest(revision);
      group.failures = 0;
      next = group.delays.next();
    } catch (RuntimeException | LinkageError e) {
      group.failures++;
      next = group.delays.afterFailures(group.failures);
      RuntimeException failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
      readers.forEach(m -> m.run.sourceFailed(failure));
    }
    synchronized (this) {
      group.polling = false;
      if (!stopped && !group.members.isEmpty()) {
        changed.forEach(m -> wake(m, false));
        if (group.latest() != null) { // added while this poll ran: the revision is theirs too
          java.util.Set<FleetMember> asked = new java.util.HashSet<>(readers);
          group.members.stream().filter(m -> !asked.contains(m)).forEach(m -> wake(m, false));
        }
        group.timer = timers.after(next, () -> {
          synchronized (this) {
            pollSoon(group);
          }
        });
      }
    }
  }

  /** Whether the member's content moved since the last poll; a failure to tell counts as moved. */
  private static boolean changedFor(FleetMember member, Revision revision) {
    String key;
    try {
      key = member.reconciler.source().contentKey(revision);
    } catch (RuntimeException e) {
      return true;
    }
    boolean moved = !key.equals(member.seenKey);
    member.seenKey = key;
    return moved;
  }

  /** Queues one run of {@code member}, at most one at a time; holds the monitor. */
  private void wake(FleetMember member, boolean forced) {
    if (member.removed || stopped) {
      return;
    }
    member.forced |= forced;
    if (member.running || member.after != null) {
      member.again = true;
      if (member.run.expired()) { // woken while its run past its deadline holds on: it runs once that returns
        member.cancelTimer();
        member.waitForExpiredRun();
      }
      return;
    }
    if (member.queued) {
      return;
    }
    member.cancelTimer();
    member.queued = true;
    queue.submit(() -> runMember(member));
  }

  private void runMember(FleetMember member) {
    boolean forced;
    synchronized (this) {
      member.queued = false;
      if (member.removed) {
        return;
      }
      member.running = true;
      forced = member.forced;
      member.forced = false;
      member.slot = queue.slot();
      deadlines.start(member);
    }
    Duration delay = null;
    try {
      delay = settings.owns(member.name()) ? member.next(member.run.run(forced)) : member.run.notOwned();
    } catch (OutOfMemoryError e) {
      member.run.outOfMemory(e);
      synchronized (this) {
        retire(member);
      }
    } catch (Throwable e) { // an Error too: this reconciler stalls, the others go on
      delay = member.run.unexpected(e);
    } finally {
      synchronized (this) {
        member.running = false;
        member.slot = null;
        boolean late = deadlines.end(member);
        if (member.removed) {
          left(member);
        } else if (member.again) {
          member.again = false;
          wake(member, false);
        } else if (delay != null && !late) { // a late run's next is the one timed at its deadline
          member.nextRun = member.at(delay);
          member.timer = timers.after(delay, () -> {
            synchronized (this) {
              wake(member, false);
            }
          });
        }
      }
    }
  }
}
