/**
 * The pure planner: {@link dev.gitops.plan.Planner} turns a desired and an actual state into a
 * {@link dev.gitops.plan.Plan} of {@link dev.gitops.plan.Action}s in {@link dev.gitops.plan.Wave}s,
 * to review ({@link dev.gitops.plan.Plan#summary()}, {@link dev.gitops.plan.Plan#render()}), save
 * ({@link dev.gitops.plan.Plan#toJson()}) and apply. A plan carries the diff options it was made
 * with, so it renders and serialises with no arguments and never shows what they mark sensitive.
 * No I/O, clock or threads.
 *
 * <pre>{@code
 * PlanOptions options = target.planDefaults().withOwner("web").withDeleteBudget(10, 25);
 * Plan plan = new Planner().plan(desired, target.read("web"), options);
 * System.out.println(plan.render());    // ... Plan: 2 to create, 1 to update, 0 to delete, 0 to adopt.
 * Files.writeString(Path.of("plan.json"), plan.toJson());
 * }</pre>
 */
package dev.gitops.plan;
