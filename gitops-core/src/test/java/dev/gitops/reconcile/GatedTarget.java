package dev.gitops.reconcile;

import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.ForwardingTarget;
import dev.gitops.target.Target;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A target whose write of one chosen resource blocks until the test releases it, so a test can act
 * while an apply is in the middle of a step (latches, no sleeps). Also counts how many writes run at
 * once. Everything else, the lock and deploy history included, is the wrapped target's.
 */
final class GatedTarget extends ForwardingTarget {
  private final ResourceId gated;
  final CountDownLatch entered = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();

  GatedTarget(Target target, ResourceId gated) {
    super(target);
    this.gated = gated;
  }

  /** Waits (bounded, so a broken test fails instead of hanging) until the gated write started. */
  void awaitEntered() throws InterruptedException {
    if (!entered.await(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the gated write never started");
    }
  }

  @Override
  public String applyWithDetail(Action action, String owner) {
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
      return super.applyWithDetail(action, owner);
    } finally {
      inFlight.decrementAndGet();
    }
  }
}
