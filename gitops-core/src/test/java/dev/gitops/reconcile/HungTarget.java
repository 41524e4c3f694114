package dev.gitops.reconcile;

import dev.gitops.model.ActualState;
import dev.gitops.model.DesiredState;
import dev.gitops.target.ForwardingTarget;
import dev.gitops.target.InMemoryTarget;
import dev.gitops.target.Scope;
import dev.gitops.target.TargetException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A target whose first read hangs until the test releases it, then reads (or throws, when asked): a
 * run stuck in a call without a timeout. The hang ignores interrupts (counting them), or, when asked,
 * honours the first by throwing. Counts reads and the most at once.
 */
final class HungTarget extends ForwardingTarget {
  final CountDownLatch entered = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);
  final AtomicInteger reads = new AtomicInteger();
  final AtomicInteger interrupts = new AtomicInteger();
  final AtomicInteger mostAtOnce = new AtomicInteger();
  private final AtomicInteger now = new AtomicInteger();
  private final InMemoryTarget memory;
  private final boolean failOnRelease;
  private final boolean honoursInterrupts;

  HungTarget(InMemoryTarget memory, boolean failOnRelease, boolean honoursInterrupts) {
    super(memory);
    this.memory = memory;
    this.failOnRelease = failOnRelease;
    this.honoursInterrupts = honoursInterrupts;
  }

  void awaitEntered() throws InterruptedException {
    if (!entered.await(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the hung read never started");
    }
  }

  ActualState snapshot() {
    return memory.snapshot();
  }

  @Override
  public ActualState read(Scope scope, DesiredState desired) {
    mostAtOnce.accumulateAndGet(now.incrementAndGet(), Math::max);
    try {
      if (reads.incrementAndGet() == 1) {
        entered.countDown();
        awaitIgnoringInterrupts();
        if (failOnRelease) {
          throw new TargetException(null, "connection reset after the deadline");
        }
      }
      return super.read(scope, desired);
    } finally {
      now.decrementAndGet();
    }
  }

  /** Bounded, so that a broken test fails instead of leaving a thread for ever. */
  private void awaitIgnoringInterrupts() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        if (release.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          return;
        }
        throw new AssertionError("the hung read was never released");
      } catch (InterruptedException e) {
        interrupts.incrementAndGet();
        if (honoursInterrupts) {
          Thread.currentThread().interrupt();
          throw new TargetException(null, "read interrupted", false, e);
        }
      }
    }
  }
}
