package dev.gitops.apply;

import dev.gitops.internal.Printable;
import dev.gitops.model.ResourceId;
import dev.gitops.target.Health;
import dev.gitops.target.Target;
import dev.gitops.target.TargetException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Waits until a wave's applied resources are healthy (or the target cannot tell), polling with the
 * options' sleeper and measuring the timeout with its clock. Not part of the public API.
 */
final class HealthPoll {
  private final Target target;
  private final ApplyOptions options;

  /** A wait against {@code target}. */
  public HealthPoll(Target target, ApplyOptions options) {
    this.target = target;
    this.options = options;
  }

  /**
   * Polls until every id is {@code HEALTHY} or {@code UNKNOWN}, one is {@code DEGRADED}, or the
   * timeout passes.
   *
   * @return the ids that did not become healthy, each with what is wrong or still awaited (a
   *     target's words or a failed check's message, which may quote a cluster's or a host's text,
   *     with their hidden characters escaped); empty when all did
   * @throws InterruptedException when interrupted while sleeping
   */
  public Map<ResourceId, String> await(Collection<ResourceId> ids) throws InterruptedException {
    Instant deadline = options.environment().clock().instant().plus(options.healthWait().timeout());
    TreeSet<ResourceId> pending = new TreeSet<>(ids);
    Map<ResourceId, String> unhealthy = new TreeMap<>();
    while (true) {
      Map<ResourceId, String> waiting = new TreeMap<>();
      for (ResourceId id : pending) {
        Health h = poll(id);
        switch (h.status()) {
          case HEALTHY, UNKNOWN -> { }
          case DEGRADED -> unhealthy.put(id, Printable.escapeMessage("degraded" + detail(h)));
          case PROGRESSING -> waiting.put(id, h.message());
        }
      }
      pending.retainAll(waiting.keySet());
      if (pending.isEmpty()) {
        return unhealthy;
      }
      Instant now = options.environment().clock().instant();
      if (!now.isBefore(deadline)) {
        waiting.forEach((id, message) -> unhealthy.put(id, Printable.escapeMessage("not healthy after "
            + format(options.healthWait().timeout()) + ", still waiting for: "
            + (message.isEmpty() ? "progressing" : message))));
        return unhealthy;
      }
      Duration left = Duration.between(now, deadline);
      options.environment().sleeper().sleep(left.compareTo(options.healthWait().pollInterval()) < 0
          ? left : options.healthWait().pollInterval());
    }
  }

  private Health poll(ResourceId id) {
    try {
      return target.health(id);
    } catch (TargetException e) {
      return Health.progressing("health check failed: " + e.getMessage());
    } catch (RuntimeException e) { // a target's bug: waited on as a failed check, never the apply's end
      return Health.progressing("health check failed unexpectedly: " + e);
    }
  }

  private static String detail(Health h) {
    return h.message().isEmpty() ? "" : ": " + h.message();
  }

  /** {@code 250 ms}, {@code 30 s}, {@code 5 min}. */
  static String format(Duration d) {
    if (d.toMillis() < 1000) {
      return d.toMillis() + " ms";
    }
    if (d.toSeconds() < 120 || d.toSecondsPart() != 0) {
      return d.toSeconds() + " s";
    }
    return d.toMinutes() + " min";
  }
}
