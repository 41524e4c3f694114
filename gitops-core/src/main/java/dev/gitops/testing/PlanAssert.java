package dev.gitops.testing;

import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.Wave;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Fluent assertions on a {@link Plan} for unit tests, with no test-framework dependency: each check
 * throws {@link AssertionError} whose message says what was expected and lists the plan's steps
 * (signs, ids and waves — never contents). Ids are {@link ResourceId}s or their printed form.
 *
 * <pre>{@code
 * PlanAssert.assertThat(plan)
 *     .creates("apps/Deployment/default/web")
 *     .updates("Service/default/web")
 *     .deletesNothing()
 *     .appliesBefore("Namespace//default", "apps/Deployment/default/web")
 *     .hasSummary("Plan: 1 to create, 1 to update, 0 to delete, 0 to adopt.");
 * }</pre>
 *
 * <p>Not thread-safe; one instance per assertion chain.
 */
public final class PlanAssert {
  private final Plan plan;

  private PlanAssert(Plan plan) {
    this.plan = Objects.requireNonNull(plan, "plan");
  }

  /**
   * Starts a chain of assertions on {@code plan}.
   *
   * @param plan the plan to check
   * @return the assertions, for chaining
   */
  public static PlanAssert assertThat(Plan plan) {
    return new PlanAssert(plan);
  }

  /**
   * The plan has a {@code create} step for {@code id}.
   *
   * @param id the resource
   * @return this, for chaining
   * @throws AssertionError when the plan does not
   */
  public PlanAssert creates(ResourceId id) {
    return has(Action.Kind.CREATE, id);
  }

  /**
   * The plan has a {@code create} step for the id printed as {@code id}.
   *
   * @param id the resource as printed, e.g. {@code apps/Deployment/default/web}
   * @return this, for chaining
   * @throws AssertionError when the plan does not
   */
  public PlanAssert creates(String id) {
    return creates(ResourceId.parse(id));
  }

  /**
   * The plan has an {@code update} step for {@code id}.
   *
   * @param id the resource
   * @return this, for chaining
   * @throws AssertionError when the plan does not
   */
  public PlanAssert updates(ResourceId id) {
    return has(Action.Kind.UPDATE, id);
  }

  /**
   * The plan has an {@code update} step for the id printed as {@code id}.
   *
   * @param id the resource as printed, e.g. {@code apps/Deployment/default/web}
   * @return this, for chaining
   * @throws AssertionError when the plan does not
   */
  public PlanAssert updates(String id) {
    return updates(ResourceId.parse(id));
  }

  /**
   * The plan has a {@code delete} step for {@code id}.
   *
   * @param id the resource
   * @return this, for chaining
   * @throws AssertionError when the plan does not
   */
  public PlanAssert deletes(ResourceId id) {
    return has(Action.Kind.DELETE, id);
  }

  /**
   * The plan has a {@code delete} step for the id printed as {@code id}.
   *
   * @param id the resource as printed, e.g. {@code apps/Deployment/default/web}
   * @return this, for chaining
   * @throws AssertionError when the plan does not
   */
  public PlanAssert deletes(String id) {
    return deletes(ResourceId.parse(id));
  }

  /**
   * The plan has an {@code adopt} step for {@code id}.
   *
   * @param id the resource
   * @return this, for chaining
   * @throws AssertionError when the plan does not
   */
  public PlanAssert adopts(ResourceId id) {
    return has(Action.Kind.ADOPT, id);
  }

  /**
   * The plan has an {@code adopt} step for the id printed as {@code id}.
   *
   * @param id the resource as printed, e.g. {@code apps/Deployment/default/web}
   * @return this, for chaining
   * @throws AssertionError when the plan does not
   */
  public PlanAssert adopts(String id) {
    return adopts(ResourceId.parse(id));
  }

  /**
   * The plan has a {@code noop} step for {@code id}: it is desired and already converged.
   *
   * @param id the resource
   * @return this, for chaining
   * @throws AssertionError when the plan does not
   */
  public PlanAssert leavesUnchanged(ResourceId id) {
    return has(Action.Kind.NOOP, id);
  }

  /**
   * The plan has a {@code noop} step for the id printed as {@code id}.
   *
   * @param id the resource as printed, e.g. {@code apps/Deployment/default/web}
   * @return this, for chaining
   * @throws AssertionError when the plan does not
   */
  public PlanAssert leavesUnchanged(String id) {
    return leavesUnchanged(ResourceId.parse(id));
  }

  /**
   * The plan runs the handler named {@code handlerName}.
   *
   * @param handlerName the handler's name, as in {@code .gitops.yaml}
   * @return this, for chaining
   * @throws AssertionError when the plan does not
   */
  public PlanAssert runs(String handlerName) {
    return has(Action.Kind.RUN, ResourceId.of("Handler", "", handlerName));
  }

  /**
   * The plan has no step at all (not even a no-op) for {@code id}.
   *
   * @param id the resource
   * @return this, for chaining
   * @throws AssertionError when the plan does not
   */
  public PlanAssert doesNotMention(ResourceId id) {
    Optional<Action> a = plan.action(id);
    if (a.isPresent()) {
      throw fail("expected no step for " + id + ", found " + a.get().kind().word());
    }
    return this;
  }

  /**
   * The plan has no step at all for the id printed as {@code id}.
   *
   * @param id the resource as printed, e.g. {@code apps/Deployment/default/web}
   * @return this, for chaining
   * @throws AssertionError when the plan does not
   */
  public PlanAssert doesNotMention(String id) {
    return doesNotMention(ResourceId.parse(id));
  }

  /**
   * The plan deletes nothing.
   *
   * @return this, for chaining
   * @throws AssertionError when the plan does not
   */
  public PlanAssert deletesNothing() {
    List<ResourceId> deleted = plan.changes().stream()
        .filter(a -> a.kind() == Action.Kind.DELETE).map(Action::id).toList();
    if (!deleted.isEmpty()) {
      throw fail("expected no deletes, found " + deleted);
    }
    return this;
  }

  /**
   * No step changes anything.
   *
   * @return this, for chaining
   * @throws AssertionError when the plan does not
   */
  public PlanAssert isEmpty() {
    if (!plan.isEmpty()) {
      throw fail("expected an empty plan");
    }
    return this;
  }

  /**
   * Some step changes something.
   *
   * @return this, for chaining
   * @throws AssertionError when the plan does not
   */
  public PlanAssert isNotEmpty() {
    if (plan.isEmpty()) {
      throw fail("expected a plan that changes something");
    }
    return this;
  }

  /**
   * {@link Plan#summary()} equals {@code expected}.
   *
   * @param expected the expected summary line
   * @return this, for chaining
   * @throws AssertionError when the plan does not
   */
  public PlanAssert hasSummary(String expected) {
    if (!plan.summary().equals(expected)) {
      throw fail("expected summary '" + expected + "', found '" + plan.summary() + "'");
    }
    return this;
  }

  /**
   * The ids of the steps that change something are exactly {@code ids}, in any order.
   *
   * @param ids the resources
   * @return this, for chaining
   * @throws AssertionError when the plan does not
   */
  public PlanAssert changesExactly(ResourceId... ids) {
    TreeSet<ResourceId> want = new TreeSet<>(Arrays.asList(ids));
    TreeSet<ResourceId> have = new TreeSet<>(plan.changes().stream().map(Action::id).toList());
    if (!want.equals(have)) {
      TreeSet<ResourceId> missing = new TreeSet<>(want);
      missing.removeAll(have);
      TreeSet<ResourceId> extra = new TreeSet<>(have);
      extra.removeAll(want);
      throw fail("expected changes to exactly " + want + "; missing " + missing + ", unexpected " + extra);
    }
    return this;
  }

  /**
   * The ids of the steps that change something are exactly the ids printed as {@code ids}.
   *
   * @param ids the resources as printed
   * @return this, for chaining
   * @throws AssertionError when the plan does not
   */
  public PlanAssert changesExactly(String... ids) {
    return changesExactly(Arrays.stream(ids).map(ResourceId::parse).toArray(ResourceId[]::new));
  }

  /**
   * {@code first}'s step is in an earlier wave than {@code second}'s; both must be in the plan.
   *
   * @param first the resource that must apply first
   * @param second the resource that must apply later
   * @return this, for chaining
   * @throws AssertionError when the plan does not
   */
  public PlanAssert appliesBefore(ResourceId first, ResourceId second) {
    int a = waveOf(first);
    int b = waveOf(second);
    if (a >= b) {
      throw fail("expected " + first + " (wave " + a + ") to run in an earlier wave than " + second
          + " (wave " + b + ")");
    }
    return this;
  }

  /**
   * {@link #appliesBefore(ResourceId, ResourceId)} with printed ids.
   *
   * @param first the resource that must apply first, as printed
   * @param second the resource that must apply later, as printed
   * @return this, for chaining
   * @throws AssertionError when the plan does not
   */
  public PlanAssert appliesBefore(String first, String second) {
    return appliesBefore(ResourceId.parse(first), ResourceId.parse(second));
  }

  /**
   * The plan has {@code count} waves.
   *
   * @param count the expected number of waves
   * @return this, for chaining
   * @throws AssertionError when the plan does not
   */
  public PlanAssert hasWaves(int count) {
    if (plan.waves().size() != count) {
      throw fail("expected " + count + " waves, found " + plan.waves().size());
    }
    return this;
  }

  /**
   * The plan's fingerprint equals {@code other}'s: both would do the same thing.
   *
   * @param other the plan to compare with
   * @return this, for chaining
   * @throws AssertionError when the plan does not
   */
  public PlanAssert hasSameFingerprintAs(Plan other) {
    if (!plan.fingerprint().equals(other.fingerprint())) {
      throw fail("expected fingerprint " + other.fingerprint() + ", found " + plan.fingerprint());
    }
    return this;
  }

  private PlanAssert has(Action.Kind kind, ResourceId id) {
    Optional<Action> a = plan.actions().stream().filter(x -> x.id().equals(id)).findFirst();
    if (a.isEmpty()) {
      throw fail("expected to " + kind.word() + " " + id + ", but the plan has no step for it");
    }
    if (a.get().kind() != kind) {
      throw fail("expected to " + kind.word() + " " + id + ", but the plan will "
          + a.get().kind().word() + " it");
    }
    return this;
  }

  private int waveOf(ResourceId id) {
    for (Wave w : plan.waves()) {
      for (Action a : w.actions()) {
        if (a.id().equals(id)) {
          return w.index();
        }
      }
    }
    throw fail("expected a step for " + id + ", but the plan has none");
  }

  private AssertionError fail(String message) {
    return new AssertionError(message + "\n" + describe(plan));
  }

  /** The plan's summary and steps, one per line with wave, sign and id; no contents. */
  static String describe(Plan plan) {
    StringBuilder out = new StringBuilder(plan.summary());
    for (Wave w : plan.waves()) {
      for (Action a : w.actions()) {
        out.append("\n  wave ").append(w.index()).append(": ").append(a.kind().sign()).append(' ')
            .append(a.kind().word()).append(' ').append(a.id());
      }
    }
    return out.toString();
  }
}
