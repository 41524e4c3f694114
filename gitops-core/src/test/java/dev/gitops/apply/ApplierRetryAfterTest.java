package dev.gitops.apply;

import static dev.gitops.apply.Plans.create;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Fixtures;
import dev.gitops.model.Resource;
import dev.gitops.plan.Action;
import dev.gitops.target.ForwardingTarget;
import dev.gitops.target.InMemoryTarget;
import dev.gitops.target.TargetException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A target that answers "too many requests, come back in N s" (an HTTP 429 with {@code Retry-After}):
 * the applier waits at least as long as asked, and never longer than it waits between attempts; a
 * step whose target asks for longer fails at once, saying what was asked.
 */
class ApplierRetryAfterTest {
  private final InMemoryTarget memory = InMemoryTarget.empty();
  private final FakeTime time = new FakeTime();
  private final Resource a = Fixtures.configMap("a", "1");

  /** {@link #memory}, refusing the first {@code times} writes with a retryable failure that asks for {@code wait}. */
  private ForwardingTarget busy(int times, Duration wait) {
    AtomicInteger left = new AtomicInteger(times);
    return new ForwardingTarget(memory) {
      @Override
      public String applyWithDetail(Action action, String owner) {
        if (left.getAndDecrement() > 0) {
          throw new TargetException(action.id(), "write failed: HTTP 429: too many requests", true, wait, null);
        }
        return super.applyWithDetail(action, owner);
      }
    };
  }

  @Test
  void aRetryWaitsAtLeastAsLongAsTheTargetAsked() {
    ApplyOptions options = time.options().withRetry(5, Duration.ofMillis(100), Duration.ofSeconds(10));

    ApplyReport report = new Applier().apply(Plans.of(List.of(create(a))), busy(2, Duration.ofSeconds(3)), options);

    assertTrue(report.isSuccess(), report::toString);
    assertEquals(List.of(Duration.ofSeconds(3), Duration.ofSeconds(3)), time.sleeps(),
        "3 s each, not the 50 to 200 ms of the backoff");
    assertNotNull(memory.get(a.id()));
  }

  @Test
  void aTargetThatAsksForLongerThanTheLongestWaitFailsTheStepAtOnceSayingWhatItAsked() {
    ApplyOptions options = time.options().withRetry(5, Duration.ofMillis(100), Duration.ofSeconds(10));

    ApplyReport report = new Applier().apply(Plans.of(List.of(create(a))), busy(1, Duration.ofDays(1)), options);

    assertFalse(report.isSuccess());
    assertEquals(List.of(), time.sleeps(), "no wait at all: not a day, not the cap");
    TargetException cause = (TargetException) report.failures().get(0).cause();
    assertEquals("ConfigMap/default/a: write failed: HTTP 429: too many requests; not tried again: the target"
        + " asked to wait 86400 s before trying again, longer than this apply waits between attempts (at most"
        + " 10 s)", cause.getMessage());
    assertFalse(cause.retryable());
    assertNull(memory.get(a.id()));
  }

  @Test
  void aWaitAskedForBeyondTheLastAttemptChangesNothing() {
    ApplyOptions options = time.options().withRetry(1, Duration.ofMillis(100), Duration.ofSeconds(10));

    ApplyReport report = new Applier().apply(Plans.of(List.of(create(a))), busy(1, Duration.ofDays(1)), options);

    assertEquals("ConfigMap/default/a: write failed: HTTP 429: too many requests",
        report.failures().get(0).cause().getMessage());
    assertEquals(List.of(), time.sleeps());
  }

  @Test
  void noWaitOrANegativeOneIsNoRequest() {
    assertTrue(new TargetException(null, "x", true, Duration.ZERO, null).retryAfter().isEmpty());
    assertTrue(new TargetException(null, "x", true, Duration.ofSeconds(-5), null).retryAfter().isEmpty());
    assertTrue(new TargetException(null, "x", true, null).retryAfter().isEmpty());
    assertEquals(Duration.ofSeconds(2), new TargetException(null, "x", true, Duration.ofSeconds(2), null)
        .retryAfter().orElseThrow());
  }
}
