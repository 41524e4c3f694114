package dev.gitops.plan;

import dev.gitops.diff.DiffOptions;
import dev.gitops.internal.Checks;
import dev.gitops.model.ResourceId;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * How to plan: who owns what we apply, whether to prune and within which limits, what to do with
 * resources that exist but nobody owns, how to diff and how to order kinds.
 *
 * @param owner the reconciler's name; only resources the target reports as owned by it are ever
 *     updated or deleted
 * @param prune delete owned resources that left the desired state
 * @param allowEmptyPrune let an empty desired state prune everything owned (off by default: an
 *     empty or mis-pointed source must never wipe a target)
 * @param maxDeletes the most deletes a plan may hold, {@code -1} for no count limit
 * @param maxDeletePercent the most deletes as a percentage of owned resources, {@code 100} for no limit
 * @param adoption what to do with a desired resource that exists and nobody owns
 * @param diff how to compare actual and desired
 * @param kindOrder adapter-supplied rank of a resource's kind (lower applies first, e.g. Namespace 0,
 *     CustomResourceDefinition 1, others 2); ties break by id
 */
public record PlanOptions(String owner, boolean prune, boolean allowEmptyPrune, int maxDeletes,
                          int maxDeletePercent, Adoption adoption, DiffOptions diff,
                          ToIntFunction<ResourceId> kindOrder) {

  /** What to do with a desired resource that exists on the target and nobody owns. */
  public enum Adoption {
    /** Plan an {@code adopt} step that takes ownership and converges it. */
    ADOPT,
    /** Refuse the plan, naming the resource. */
    FAIL
  }

  /**
   * Validates.
   *
   * @param owner the reconciler's name; not blank
   * @param prune delete owned resources that left the desired state
   * @param allowEmptyPrune let an empty desired state prune everything owned
   * @param maxDeletes the most deletes a plan may hold, {@code -1} for no count limit; below
   *     {@code -1} throws {@link IllegalArgumentException}
   * @param maxDeletePercent the most deletes as a percentage of owned resources, {@code 0} to
   *     {@code 100}
   * @param adoption what to do with a desired resource that exists and nobody owns; not null
   * @param diff how to compare actual and desired; not null
   * @param kindOrder rank of a resource's kind, lower first; not null
   */
  public PlanOptions {
    Checks.notBlank(owner, "owner");
    if (maxDeletes < -1) {
      throw new IllegalArgumentException("maxDeletes must be -1 (no limit) or more: " + maxDeletes);
    }
    if (maxDeletePercent < 0 || maxDeletePercent > 100) {
      throw new IllegalArgumentException("maxDeletePercent must be 0..100: " + maxDeletePercent);
    }
    Objects.requireNonNull(adoption, "adoption");
    Objects.requireNonNull(diff, "diff");
    Objects.requireNonNull(kindOrder, "kindOrder");
  }

  /**
   * Owner {@code gitops}, prune on, empty prune refused, no delete budget, adoption refused,
   * {@link DiffOptions#defaults()}, every kind ranked equal.
   *
   * @return the defaults, safe for a first run against a target that holds other things
   */
  public static PlanOptions defaults() {
    return new PlanOptions("gitops", true, false, -1, 100, Adoption.FAIL, DiffOptions.defaults(),
        id -> 0);
  }

  /**
   * With another owner name.
   *
   * @param name the reconciler's name, written on everything it applies; not blank
   * @return a copy with {@code name} as owner
   */
  public PlanOptions withOwner(String name) {
    return new PlanOptions(name, prune, allowEmptyPrune, maxDeletes, maxDeletePercent, adoption, diff, kindOrder);
  }

  /**
   * With prune on or off.
   *
   * @param on true to delete owned resources that left the desired state, false to leave them
   * @return a copy with prune set
   */
  public PlanOptions withPrune(boolean on) {
    return new PlanOptions(owner, on, allowEmptyPrune, maxDeletes, maxDeletePercent, adoption, diff, kindOrder);
  }

  /**
   * With empty-desired-state prunes allowed or refused.
   *
   * @param allow true to let an empty desired state delete everything owned; false refuses such a
   *     plan with a {@link PlanRefusedException}
   * @return a copy with the guard set
   */
  public PlanOptions withAllowEmptyPrune(boolean allow) {
    return new PlanOptions(owner, prune, allow, maxDeletes, maxDeletePercent, adoption, diff, kindOrder);
  }

  /**
   * With a delete budget; a plan over either limit is refused with a {@link PlanRefusedException}.
   *
   * @param count the most deletes a plan may hold, {@code -1} for no count limit
   * @param percent the most deletes as a percentage ({@code 0} to {@code 100}) of the resources
   *     the owner holds on the target; {@code 100} for no limit
   * @return a copy with the budget set
   */
  public PlanOptions withDeleteBudget(int count, int percent) {
    return new PlanOptions(owner, prune, allowEmptyPrune, count, percent, adoption, diff, kindOrder);
  }

  /**
   * With another adoption policy.
   *
   * @param policy {@link Adoption#ADOPT} to take over unowned resources, {@link Adoption#FAIL} to
   *     refuse the plan naming them; not null
   * @return a copy with the policy set
   */
  public PlanOptions withAdoption(Adoption policy) {
    return new PlanOptions(owner, prune, allowEmptyPrune, maxDeletes, maxDeletePercent, policy, diff, kindOrder);
  }

  /**
   * With other diff options.
   *
   * @param options how to compare actual and desired (ignored paths, normalizers); not null
   * @return a copy with the diff options replaced
   */
  public PlanOptions withDiff(DiffOptions options) {
    return new PlanOptions(owner, prune, allowEmptyPrune, maxDeletes, maxDeletePercent, adoption, options, kindOrder);
  }

  /**
   * With an adapter's kind order.
   *
   * @param order rank of a resource's kind, lower applied first (ties break by id); not null
   * @return a copy with the order replaced
   */
  public PlanOptions withKindOrder(ToIntFunction<ResourceId> order) {
    return new PlanOptions(owner, prune, allowEmptyPrune, maxDeletes, maxDeletePercent, adoption, diff, order);
  }
}
