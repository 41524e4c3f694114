package dev.gitops.apply;

import static dev.gitops.apply.Plans.create;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Fixtures;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.target.Health;
import dev.gitops.target.ForwardingTarget;
import dev.gitops.target.InMemoryTarget;
import dev.gitops.target.Target;
import dev.gitops.target.TargetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApplierHealthTest {
  private final InMemoryTarget target = InMemoryTarget.empty();
  private final FakeTime time = new FakeTime();
  private final Resource a = Fixtures.configMap("a", "1");
  private final Resource b = Fixtures.configMap("b", "1");

  private ApplyOptions options() {
    return time.options().withHealthWait(Duration.ofSeconds(10), Duration.ofSeconds(2));
  }

  @Test
  void nextWaveWaitsUntilThePreviousIsHealthy() {
    target.setHealth(a.id(), Health.progressing("1 of 2 replicas"), Health.progressing("1 of 2"),
        Health.HEALTHY);
    ApplyReport report = new Applier().apply(Plans.of(List.of(create(a)), List.of(create(b))),
        target, options());
    assertTrue(report.isSuccess(), report::toString);
    assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(2)), time.sleeps());
    List<String> calls = target.calls();
    assertTrue(calls.lastIndexOf("health ConfigMap/default/a") < calls.indexOf("apply create ConfigMap/default/b"),
        calls::toString);
  }

  @Test
  void degradedResourceFailsItsWaveSayingWhy() {
    target.setHealth(a.id(), Health.degraded("CrashLoopBackOff"));
    List<Outcome> heard = new ArrayList<>();
    ApplyReport report = new Applier().apply(Plans.of(List.of(create(a)), List.of(create(b))),
        target, options().withProgress(heard::add));
    Outcome.Failed failed = report.failures().get(0);
    assertEquals(a.id(), failed.action().id());
    assertTrue(failed.cause().getMessage().contains("degraded: CrashLoopBackOff"), failed.cause().getMessage());
    assertEquals(Outcome.Kind.SKIPPED, report.outcomes().get(1).kind());
    assertNull(target.get(b.id()));
    assertEquals(List.of(Outcome.Kind.APPLIED, Outcome.Kind.FAILED, Outcome.Kind.SKIPPED),
        heard.stream().map(Outcome::kind).toList(), "applied, then failed its health check");
  }

  @Test
  void healthTimeoutNamesWhatItIsStillWaitingFor() {
    target.setHealth(a.id(), Health.progressing("1 of 3 replicas available"));
    ApplyReport report = new Applier().apply(Plans.of(List.of(create(a), create(b))), target, options());
    assertEquals("ConfigMap/default/a: not healthy after 10 s, still waiting for: 1 of 3 replicas available",
        report.failures().get(0).cause().getMessage());
    assertEquals(Outcome.Kind.APPLIED, report.outcomes().get(1).kind());
    assertEquals(Duration.ofSeconds(10), time.sleeps().stream().reduce(Duration.ZERO, Duration::plus));
  }

  /**
   * A target's health words (a pod's or a job's message) and a failed check's message may quote what a
   * cluster or a host holds: the failure they become keeps them escaped, in its message as in the report.
   */
  @Test
  void aHealthMessageOrAFailedChecksMessageIsKeptEscapedInTheFailure() {
    String forged = "web\n[WARN] forged\u001b[2J";
    target.setHealth(a.id(), Health.degraded(forged));
    Target checking = new ForwardingTarget(target) {
      @Override
      public Health health(ResourceId id) {
        if (id.equals(b.id())) {
          throw new TargetException(id, forged);
        }
        return super.health(id);
      }
    };
    ApplyReport report = new Applier().apply(Plans.of(List.of(create(a), create(b))), checking, options());

    assertEquals(List.of("ConfigMap/default/a: degraded: web\\n[WARN] forged\\x1b[2J",
        "ConfigMap/default/b: not healthy after 10 s, still waiting for: health check failed: ConfigMap/default/b: "
            + "web\\n[WARN] forged\\x1b[2J"),
        report.failures().stream().map(f -> f.cause().getMessage()).toList());
  }

  @Test
  void unknownHealthCountsAsHealthy() {
    target.setHealth(a.id(), new Health(Health.Status.UNKNOWN, "no probe"));
    ApplyReport report = new Applier().apply(Plans.of(List.of(create(a)), List.of(create(b))),
        target, options());
    assertTrue(report.isSuccess());
    assertEquals(List.of(), time.sleeps());
  }

  @Test
  void anInterruptDuringTheLastWavesHealthWaitIsNoSuccess() {
    target.setHealth(a.id(), Health.progressing("1 of 2 replicas"));
    ApplyReport report;
    try {
      report = new Applier().apply(Plans.of(List.of(create(a))), target,
          options().withSleeper(d -> {
            throw new InterruptedException();
          }));
    } finally {
      assertTrue(Thread.interrupted(), "interrupt flag kept (and cleared here)");
    }
    assertFalse(report.isSuccess(), report::toString);
    assertEquals("ConfigMap/default/a: applied, but the apply was interrupted while waiting for it to become"
        + " healthy: its health is unknown", report.failures().get(0).cause().getMessage());
    assertNotNull(target.get(a.id()), "the write itself stands");
  }
}
