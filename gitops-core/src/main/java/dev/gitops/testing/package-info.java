/**
 * Test support for users of the library: fluent {@link dev.gitops.testing.PlanAssert} assertions on
 * plans, throwing {@link AssertionError}, with no dependency on a test framework.
 *
 * <pre>{@code
 * Plan plan = new Planner().plan(desired, target.read("web"), PlanOptions.defaults().withOwner("web"));
 * PlanAssert.assertThat(plan).creates("Service/default/web").deletesNothing();
 * }</pre>
 */
package dev.gitops.testing;
