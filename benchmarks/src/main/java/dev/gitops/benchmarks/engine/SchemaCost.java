package dev.gitops.benchmarks.engine;

import dev.gitops.benchmarks.Goal;
import dev.gitops.benchmarks.RepoRoot;
import dev.gitops.benchmarks.state.GeneratedStates;
import dev.gitops.model.ActualState;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanOptions;
import dev.gitops.plan.Planner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the Kubernetes schema costs a plan (issue 14: at most 10% at 10,000 objects): the plan with
 * the Kubernetes preset ({@code KubernetesDiff.options()}, the built-in schema: list matching, zero
 * values, quantities, server-appended entries, other managers' fields) against the same plan with
 * the schema taken out ({@code withSchema(null)}: everything else alike, lists matched by the
 * preset's merge keys), over the engine's generated states of 10,000 objects (0% and 1% changed),
 * less the objects the plan without the schema finds changed where the plan with it does not (it
 * would render their diffs: not the same work), about a third of them.
 *
 * <p>Both sides run in one JVM, alternating A, B, B, A round by round so that both meet the same
 * machine load (this VM's speed swings by up to 2x); the figure is the median of the per-round
 * ratios, the times the medians of each side. Setup checks that both plans update exactly the
 * changed objects. Prints one goal line per share changed.
 */
public final class SchemaCost {
  private static final int N = 10_000;

  private SchemaCost() {
  }

  /**
   * Entry point.
   *
   * @param args {@code <quick|full> <repo-root>}
   */
  public static void main(String[] args) {
    boolean full = args.length > 0 && args[0].equals("full");
    Path root = Path.of(args.length > 1 ? args[1] : ".");
    System.setProperty("gitops.fixtures", RepoRoot.k8sFixtures(root).orElseThrow(() ->
        new IllegalStateException("shared/fixtures/k8s not found above " + root.toAbsolutePath())).toString());
    int rounds = full ? 120 : 40;
    for (int permille : new int[] {0, 10}) {
      measure(permille, rounds, rounds / 4).print();
    }
  }

  private static Goal measure(int permille, int rounds, int warm) {
    GeneratedStates states = StatesCache.get(N, permille);
    PlanOptions with = K8sDiffOptions.planOptions();
    PlanOptions without = with.withDiff(with.diff().withSchema(null));
    Planner planner = new Planner();
    check(planner.plan(states.desired(), states.actual(), with), states, "with the schema");
    // Without the schema some objects differ (zero values, defaults the schema knows): those are
    // left out of both sides, so that both plans do the same work but for the schema's lookups.
    Plan bare = planner.plan(states.desired(), states.actual(), without);
    Plan full = planner.plan(states.desired(), states.actual(), with);
    List<Resource> desired = new ArrayList<>();
    List<Observed> actual = new ArrayList<>();
    for (Resource r : states.desired().resources()) {
      if (bare.action(r.id()).orElseThrow().kind() == full.action(r.id()).orElseThrow().kind()) {
        desired.add(r);
        actual.add(states.actual().get(r.id()));
      }
    }
    DesiredState d = DesiredState.of(desired);
    ActualState a = ActualState.of(actual);
    int n = desired.size();
    System.out.printf(Locale.ROOT, "(info) schema cost, %d%% changed: %,d of %,d objects planned alike"
        + " without the schema (the others differ without it) are measured%n", permille / 10, n, N);
    double[][] ms = new double[2][rounds];
    double[] ratio = new double[rounds];
    for (int r = -warm; r < rounds; r++) {
      for (int k = 0; k < 2; k++) {
        int side = (r & 1) == 0 ? k : 1 - k;
        long start = System.nanoTime();
        Plan plan = planner.plan(d, a, side == 0 ? with : without);
        double t = (System.nanoTime() - start) / 1e6;
        if (plan.actions().size() != n) {
          throw new IllegalStateException(plan.summary());
        }
        if (r >= 0) {
          ms[side][r] = t;
        }
      }
      if (r >= 0) {
        ratio[r] = ms[0][r] / ms[1][r];
      }
    }
    Arrays.sort(ratio);
    Arrays.sort(ms[0]);
    Arrays.sort(ms[1]);
    System.out.printf(Locale.ROOT, "(info) schema cost, %d%% changed: ratio quartiles %.3f-%.3f over %d rounds%n",
        permille / 10, ratio[rounds / 4], ratio[3 * rounds / 4], rounds);
    return new Goal(String.format(Locale.ROOT, "schema lookups: plan %,d objects (%d%% changed)", n, permille / 10),
        Goal.millis(ms[0][rounds / 2]), "the same plan without the schema " + Goal.millis(ms[1][rounds / 2]),
        ratio[rounds / 2], 1.10);
  }

  private static void check(Plan plan, GeneratedStates states, String how) {
    long updates = plan.actions().stream().filter(a -> a.kind() == Action.Kind.UPDATE).count();
    if (updates != states.changed() || plan.actions().size() != N) {
      throw new IllegalStateException("plan " + how + " of " + states + " has " + updates + " updates in "
          + plan.actions().size() + " actions; expected " + states.changed() + ": " + plan.summary());
    }
  }
}
