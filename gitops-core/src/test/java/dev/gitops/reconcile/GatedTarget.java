package dev.gitops.reconcile;

import dev.gitops.model.ActualState;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.DeployHistory;
import dev.gitops.target.Health;
import dev.gitops.target.InMemoryTarget;
import dev.gitops.target.Lockable;
import dev.gitops.target.Scope;
import dev.gitops.target.Target;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link InMemoryTarget} whose write of one chosen resource blocks until the test releases it,
 * so a test can act while an apply is in the middle of a step (latches, no sleeps). Also counts how
 * many writes run at once.
 */
final class GatedTarget implements Target, Lockable, DeployHistory {
  final InMemoryTarget memory;
  private final ResourceId gated;
  final CountDownLatch entered = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();

  GatedTarget(InMemoryTarget memory, ResourceId gated) {
    this.memory = memory;
    this.gated = gated;
  }

  /** Waits (bounded, so a broken test fails instead of hanging) until the gated write started. */
  void awaitEntered() throws InterruptedException {
    if (!entered.await(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the gated write never started");
    }
  }

  @Override
  public ActualState read(Scope scope) {
    return memory.read(scope);
  }

  @Override
  public void apply(Action action, String owner) {
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      if (action.id().equals(gated)) {
        entered.countDown();
        try {
          if (!release.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the gated write was never released");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
      memory.apply(action, owner);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  @Override
  public Health health(ResourceId id) {
    return memory.health(id);
  }

  @Override
  public String describe() {
    return memory.describe();
  }

  @Override
  public Lock lock(String holder, Duration staleAfter) {
    return memory.lock(holder, staleAfter);
  }
  @Override
  public java.util.Optional<Holder> lockedBy() {
    return memory.lockedBy();
  }

  @Override
  public java.util.Optional<Holder> forceUnlock() {
    return memory.forceUnlock();
  }


  @Override
  public void record(Deployment entry, int keep) {
    memory.record(entry, keep);
  }

  @Override
  public List<Deployment> history() {
    return memory.history();
  }
}
