package dev.gitops.apply;

import static dev.gitops.apply.Plans.OWNER;
import static dev.gitops.apply.Plans.create;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.ActualState;
import dev.gitops.model.Fixtures;
import dev.gitops.model.Handler;
import dev.gitops.model.Origin;
import dev.gitops.model.Resource;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.target.InMemoryTarget;
import dev.gitops.target.Scope;
import dev.gitops.target.Target;
import dev.gitops.target.TargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ApplierStepsTest {
  private final InMemoryTarget target = InMemoryTarget.empty();
  private final FakeTime time = new FakeTime();
  private final Handler reload = new Handler("reload", "systemctl reload nginx", List.of("nginx/**"),
      Origin.UNKNOWN);

  @Test
  void stepsOfAWaveRunInParallelUpToTheLimit() throws Exception {
    CyclicBarrier four = new CyclicBarrier(4);
    Target meeting = new Delegate(target) {
      @Override
      public void apply(Action action, String owner) {
        try {
          four.await(30, TimeUnit.SECONDS);   // only passes when 4 steps run at once
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
          throw new TargetException(action.id(), "not parallel: " + e);
        }
        super.apply(action, owner);
      }
    };
    List<Action> creates = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      creates.add(create(Fixtures.configMap("r" + i, "1")));
    }
    ExecutorService executor = Executors.newFixedThreadPool(6);
    try {
      ApplyReport report = new Applier().apply(Plans.of(creates), meeting,
          time.options().withParallelism(4).withExecutor(executor));
      assertTrue(report.isSuccess(), report::toString);
      assertEquals(8, target.snapshot().size());
      assertFalse(executor.isShutdown(), "an injected executor is left running");
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void parallelApplyWithItsOwnExecutorReportsInPlanOrder() {
    List<Action> creates = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      creates.add(create(Fixtures.configMap("r" + i, "1")));
    }
    ApplyReport report = new Applier().apply(Plans.of(creates), target,
        time.options().withParallelism(8));
    assertEquals(creates, report.outcomes().stream().map(Outcome::action).toList());
    assertTrue(report.isSuccess());
  }

  @Test
  void handlerRunsWhenAChangeThatTriggersItWasApplied() {
    Resource conf = Fixtures.file("nginx/site.conf", "server {}\n");
    Plan plan = Plans.of(List.of(create(conf)),
        List.of(new Action.Run(reload, List.of(conf.id()))));
    ApplyReport report = new Applier().apply(plan, target, time.options());
    assertTrue(report.isSuccess(), report::toString);
    assertTrue(target.calls().contains("apply run Handler//reload"), target.calls()::toString);
  }

  @Test
  void handlerIsSkippedWhenNoneOfItsTriggersApplied() {
    Resource conf = Fixtures.file("nginx/site.conf", "server {}\n");
    target.failNext(conf.id(), 1, false);
    Plan plan = Plans.of(List.of(create(conf)),
        List.of(new Action.Run(reload, List.of(conf.id()))));
    ApplyReport report = new Applier().apply(plan, target,
        time.options().withContinueOnFailure(true));
    assertEquals("none of the changes that trigger it was applied",
        ((Outcome.Skipped) report.outcomes().get(1)).reason());
    assertFalse(target.calls().contains("apply run Handler//reload"));
  }

  @Test
  void aFailedReadFailsEveryWriteOfTheWave() {
    Target unreadable = new Delegate(target) {
      @Override
      public ActualState read(Scope scope) {
        throw new TargetException(null, "connection refused", true, null);
      }
    };
    Resource a = Fixtures.configMap("a", "1");
    ApplyReport report = new Applier().apply(Plans.of(List.of(create(a))), unreadable, time.options());
    assertEquals("connection refused", report.failures().get(0).cause().getMessage());
    assertTrue(target.snapshot().size() == 0);
  }

  @Test
  void anUnexpectedTargetErrorBecomesAFailedOutcome() {
    Target buggy = new Delegate(target) {
      @Override
      public void apply(Action action, String owner) {
        throw new NullPointerException("bug");
      }
    };
    ApplyReport report = new Applier().apply(
        Plans.of(List.of(create(Fixtures.configMap("a", "1")))), buggy, time.options());
    TargetException cause = (TargetException) report.failures().get(0).cause();
    assertTrue(cause.getMessage().contains("failed unexpectedly: java.lang.NullPointerException: bug"),
        cause.getMessage());
  }

  @Test
  void anInterruptStopsTheApplyAndKeepsTheFlag() {
    Target interrupting = new Delegate(target) {
      @Override
      public void apply(Action action, String owner) {
        super.apply(action, owner);
        Thread.currentThread().interrupt();
      }
    };
    Plan plan = Plans.of(List.of(create(Fixtures.configMap("a", "1")), create(Fixtures.configMap("b", "1"))),
        List.of(create(Fixtures.configMap("c", "1"))));
    ApplyReport report;
    try {
      report = new Applier().apply(plan, interrupting, time.options());
    } finally {
      assertTrue(Thread.interrupted(), "interrupt flag kept (and cleared here)");
    }
    assertEquals(List.of("applied", "skipped", "skipped"),
        report.outcomes().stream().map(o -> o.kind().word()).toList());
    assertEquals("interrupted", ((Outcome.Skipped) report.outcomes().get(2)).reason());
    assertEquals(1, target.snapshot().size());
  }

  @Test
  void anInterruptedApplyWaitsForItsStepsInFlightAndRecordsThem() throws Exception {
    CountDownLatch entered = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    Target slow = new Delegate(target) {
      @Override
      public void apply(Action action, String owner) {
        entered.countDown();
        boolean interrupted = false;
        while (true) { // a write that ignores interrupts until it has finished
          try {
            release.await();
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
        super.apply(action, owner);
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    };
    List<Action> creates = List.of(create(Fixtures.configMap("a", "1")), create(Fixtures.configMap("b", "1")),
        create(Fixtures.configMap("c", "1")));
    AtomicReference<ApplyReport> report = new AtomicReference<>();
    Thread applying = new Thread(() -> report.set(new Applier().apply(Plans.of(creates), slow,
        time.options().withParallelism(2))));
    applying.start();
    assertTrue(entered.await(30, TimeUnit.SECONDS));
    applying.interrupt();
    applying.join(300);
    assertTrue(applying.isAlive(), "the apply returned while two of its writes were still in flight");
    release.countDown();
    applying.join(30_000);
    assertFalse(applying.isAlive());
    assertEquals(List.of("applied", "applied", "skipped"),
        report.get().outcomes().stream().map(o -> o.kind().word()).toList(), report.get()::toString);
    assertEquals(2, target.snapshot().size(), "the third step never started");
  }

  @Test
  void writesAsThePlansOwner() {
    new Applier().apply(Plans.of(List.of(create(Fixtures.configMap("a", "1")))), target, time.options());
    assertEquals(1, target.read(Scope.owned(OWNER)).size());
  }

  /** A target that forwards to another. */
  private static class Delegate implements Target {
    private final Target inner;

    Delegate(Target inner) {
      this.inner = inner;
    }

    @Override public ActualState read(Scope scope) { return inner.read(scope); }

    @Override public void apply(Action action, String owner) { inner.apply(action, owner); }
  }
}
