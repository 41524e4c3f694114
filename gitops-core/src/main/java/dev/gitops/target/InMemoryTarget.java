package dev.gitops.target;

import dev.gitops.internal.Checks;
import dev.gitops.internal.reconcile.LocalHistory;
import dev.gitops.model.ActualState;
import dev.gitops.model.Observed;
import dev.gitops.model.Origin;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A {@link Target} held in memory, for users' own tests and for trying plans out: what a real
 * target does (ownership, versions, preconditions, health, a lock, a deploy history), plus what a
 * test needs — hand edits that simulate drift ({@link #put}, {@link #remove}), injected write
 * failures ({@link #failNext}), settable health ({@link #setHealth}) and a log of every call
 * ({@link #calls()}).
 *
 * <p>Every write bumps a target-wide version counter, so {@link Observed#version()} is always set and
 * {@link Observed#fingerprint()} moves on every change, hand edits included. Creates, updates and
 * adoptions record the desired content as {@link Observed#lastApplied()}; hand edits keep it.
 * {@link #apply} checks {@link Action#expected()} and throws {@link StaleResourceException} when the
 * resource moved, and refuses to update or delete a resource another owner holds.
 *
 * <p>Thread-safe: every method is atomic.
 */
public final class InMemoryTarget implements Target, Lockable, DeployHistory {
  private final String name;
  private final TreeMap<ResourceId, Observed> resources = new TreeMap<>();
  private final Map<ResourceId, Fault> faults = new HashMap<>();
  private final Map<ResourceId, LinkedList<Health>> health = new HashMap<>();
  private final List<String> calls = new ArrayList<>();
  private final LocalHistory history = new LocalHistory();
  private long counter;
  private Clock clock = Clock.systemUTC();
  private HeldLock lock;

  private record Fault(int remaining, boolean retryable) {}

  private InMemoryTarget(String name) {
    this.name = Checks.notBlank(name, "name");
  }

  /** {@return an empty target named {@code memory}} */
  public static InMemoryTarget empty() {
    return new InMemoryTarget("memory");
  }

  /**
   * An empty target with a name, which {@link #describe()} prints as {@code memory:<name>}.
   *
   * @param name tells targets apart in logs and messages; not blank
   * @return the target
   */
  public static InMemoryTarget named(String name) {
    return new InMemoryTarget(name);
  }

  /**
   * A target holding {@code observed}: resources with their owners and last-applied contents.
   * Observations without a version get one from the counter; numeric versions given move the counter
   * past them, so later writes never reuse a version.
   *
   * @param observed what the target holds at first, in any order
   * @return the target, named {@code memory}
   * @throws IllegalArgumentException when an id occurs twice
   */
  public static InMemoryTarget of(Collection<Observed> observed) {
    InMemoryTarget target = empty();
    for (Observed o : observed) {
      if (target.resources.containsKey(o.id())) {
        throw new IllegalArgumentException("resource given twice: " + o.id());
      }
      String version = o.version().isEmpty() ? target.nextVersion() : o.version();
      if (version.matches("[0-9]{1,18}")) {
        target.counter = Math.max(target.counter, Long.parseLong(version));
      }
      target.resources.put(o.id(), new Observed(unlocated(o.resource()), o.owner(), version,
          o.lastApplied()));
    }
    return target;
  }

  /** Every resource {@code scope.owner()} owns plus those of {@code scope.ids()} that exist. */
  @Override
  public synchronized ActualState read(Scope scope) {
    calls.add("read");
    List<Observed> out = new ArrayList<>();
    for (Observed o : resources.values()) {
      if (o.isOwnedBy(scope.owner()) || scope.ids().contains(o.id())) {
        out.add(o);
      }
    }
    return ActualState.of(out);
  }

  /**
   * Performs one step for {@code owner}, logging it first as {@code apply <kind> <id>}.
   *
   * @throws TargetException an injected failure ({@link #failNext}); the resource is owned by
   *     another owner; {@link StaleResourceException} when it moved since the plan
   */
  @Override
  public synchronized void apply(Action action, String owner) {
    Objects.requireNonNull(action, "action");
    Checks.notBlank(owner, "owner");
    calls.add("apply " + action.kind().word() + " " + action.id());
    injectedFailure(action.id());
    Observed current = resources.get(action.id());
    checkOwner(action, current, owner);
    switch (action.kind()) {
      case CREATE, UPDATE, ADOPT -> {
        checkExpected(action, current);
        Resource desired = unlocated(desiredOf(action));
        resources.put(action.id(), new Observed(desired, owner, nextVersion(), desired.content()));
      }
      case DELETE -> {
        checkExpected(action, current);
        resources.remove(action.id());
      }
      case RUN -> { }
      case NOOP -> throw new IllegalArgumentException("no-ops are never applied: " + action.id());
    }
  }

  /**
   * The health set for {@code id} ({@link #setHealth}), else {@link Health#HEALTHY}. Logged as
   * {@code health <id>}.
   */
  @Override
  public synchronized Health health(ResourceId id) {
    calls.add("health " + id);
    LinkedList<Health> verdicts = health.get(id);
    if (verdicts == null) {
      return Health.HEALTHY;
    }
    return verdicts.size() > 1 ? verdicts.removeFirst() : verdicts.getFirst();
  }

  /** {@code memory:<name>}. */
  @Override
  public String describe() {
    return "memory:" + name;
  }

  /**
   * Takes the lock, or throws when another holder has it and it is not older than
   * {@code staleAfter} (measured with {@link #setClock the target's clock}).
   */
  @Override
  public synchronized Lock lock(String holder, Duration staleAfter) {
    Checks.notBlank(holder, "holder");
    Instant now = clock.instant();
    if (lock != null && !lock.record.isOlderThan(staleAfter, now) && !lock.record.isProvablyGone()) {
      throw new LockedException(describe(), lock.record.name(), lock.record.since());
    }
    lock = new HeldLock(Holder.self(holder, now));
    calls.add("lock " + holder);
    return lock;
  }

  /** {@return the holder of the lock, or {@code ""} when it is free} */
  public synchronized String lockHolder() {
    return lock == null ? "" : lock.record.name();
  }

  @Override
  public synchronized Optional<Holder> lockedBy() {
    return lock == null ? Optional.empty() : Optional.of(lock.record);
  }

  /** Releases the lock whoever holds it (logged as {@code unlock --force <holder>}). */
  @Override
  public synchronized Optional<Holder> forceUnlock() {
    if (lock == null) {
      return Optional.empty();
    }
    Holder was = lock.record;
    lock = null;
    calls.add("unlock --force " + was.name());
    return Optional.of(was);
  }

  @Override
  public void record(Deployment entry, int keep) {
    history.record(entry, keep);
  }

  @Override
  public List<Deployment> history() {
    return history.history();
  }

  /**
   * A hand edit (drift): stores {@code resource} owned by {@code owner} ({@code ""} for nobody),
   * with a new version, keeping the last-applied record of what it replaces. Not logged.
   *
   * @param resource the content the target holds from now on
   * @param owner the owner to record, {@code ""} for nobody
   */
  public synchronized void put(Resource resource, String owner) {
    Observed previous = resources.get(resource.id());
    resources.put(resource.id(), new Observed(unlocated(resource), owner, nextVersion(),
        previous == null ? null : previous.lastApplied()));
  }

  /**
   * A hand delete. Not logged.
   *
   * @param id the resource to drop
   * @return true when {@code id} existed
   */
  public synchronized boolean remove(ResourceId id) {
    return resources.remove(id) != null;
  }

  /**
   * Looks at one resource without logging a call.
   *
   * @param id the resource
   * @return what the target holds for {@code id} with its owner and version, or null
   */
  public synchronized Observed get(ResourceId id) {
    return resources.get(id);
  }

  /** {@return everything the target holds, whoever owns it; not logged} */
  public synchronized ActualState snapshot() {
    return ActualState.of(resources.values());
  }

  /**
   * Makes the next {@code times} writes ({@link #apply}) of {@code id} throw a
   * {@link TargetException} that is {@code retryable} or not; {@code 0} clears.
   *
   * @param id the resource whose writes fail
   * @param times how many writes fail, {@code 0} to clear; not negative
   * @param retryable whether the thrown exception says a retry may help
   */
  public synchronized void failNext(ResourceId id, int times, boolean retryable) {
    Checks.notNegative(times, "times");
    faults.put(id, new Fault(times, retryable));
  }

  /**
   * Sets what {@link #health} answers for {@code id}: {@code first}, then each of {@code then} in
   * turn, the last one for ever.
   *
   * @param id the resource
   * @param first the first verdict
   * @param then later verdicts, one per further call
   */
  public synchronized void setHealth(ResourceId id, Health first, Health... then) {
    LinkedList<Health> verdicts = new LinkedList<>();
    verdicts.add(Objects.requireNonNull(first, "first"));
    verdicts.addAll(List.of(then));
    health.put(id, verdicts);
  }

  /**
   * Sets the clock used for lock times.
   *
   * @param newClock the clock; not null
   */
  public synchronized void setClock(Clock newClock) {
    clock = Objects.requireNonNull(newClock, "clock");
  }

  /**
   * Every call so far, in order: {@code read}, {@code apply create Kind/ns/name},
   * {@code health Kind/ns/name}, {@code lock holder}, {@code unlock holder}.
   *
   * @return a copy of the call log, oldest first
   */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /** Forgets the calls logged so far. */
  public synchronized void clearCalls() {
    calls.clear();
  }

  /** Name, resource count; never contents. */
  @Override
  public synchronized String toString() {
    return describe() + " (" + resources.size() + " resources)";
  }

  private void injectedFailure(ResourceId id) {
    Fault fault = faults.get(id);
    if (fault == null || fault.remaining() == 0) {
      return;
    }
    faults.put(id, new Fault(fault.remaining() - 1, fault.retryable()));
    throw new TargetException(id, "injected " + (fault.retryable() ? "retryable" : "fatal")
        + " failure", fault.retryable(), null);
  }

  private static void checkOwner(Action action, Observed current, String owner) {
    if (current == null || current.owner().isEmpty() || current.isOwnedBy(owner)) {
      return;
    }
    Action.Kind k = action.kind();
    if (k == Action.Kind.UPDATE || k == Action.Kind.DELETE || k == Action.Kind.ADOPT) {
      throw new TargetException(action.id(), "owned by " + current.owner() + ", not " + owner);
    }
  }

  private static void checkExpected(Action action, Observed current) {
    String found = current == null ? Action.ABSENT : current.fingerprint();
    if (!found.equals(action.expected())) {
      throw new StaleResourceException(action.id(), action.expected(), found);
    }
  }

  private static Resource desiredOf(Action action) {
    if (action instanceof Action.Create c) {
      return c.desired();
    } else if (action instanceof Action.Update u) {
      return u.desired();
    } else if (action instanceof Action.Adopt a) {
      return a.desired();
    }
    throw new IllegalArgumentException("not a write: " + action.kind().word());
  }

  private static Resource unlocated(Resource r) {
    return r.origin().equals(Origin.UNKNOWN) ? r : r.withOrigin(Origin.UNKNOWN);
  }

  private String nextVersion() {
    return Long.toString(++counter);
  }

  private final class HeldLock implements Lock {
    private final Holder record;

    HeldLock(Holder record) {
      this.record = record;
    }

    @Override public String holder() { return record.name(); }

    @Override public Instant since() { return record.since(); }

    @Override
    public void close() {
      synchronized (InMemoryTarget.this) {
        if (lock == this) {
          lock = null;
          calls.add("unlock " + record.name());
        }
      }
    }
  }
}
