package dev.gitops.benchmarks.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.benchmarks.state.GeneratedStates;
import dev.gitops.model.JsonTrees;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanOptions;
import dev.gitops.plan.Planner;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@code Planner.plan} over generated states, beside its lower bound: {@code JsonNode.equals} over
 * the same desired/actual pairs with the ignored (server-populated) fields already stripped.
 *
 * <p>The goals are measured by {@link #paired}: each invocation plans once, then runs the lower
 * bound once, timing each side ({@link PairTimes}), so both run in the same JVM under the same
 * machine load, a few milliseconds apart. {@link #pairedCompact} does the same against the lower
 * bound over compact copies of the stripped trees ({@code JsonTrees.compactCopy}, the layout the Kubernetes
 * reader keeps observed objects in; with {@code compactAnchor=true}), so that the full run can show
 * how much of the plan's lead comes from reading trees laid out for it: the goal is stated against
 * Jackson's trees, the second figure is for information. {@link #plan} and {@link #jsonNodeEquals} alone are
 * there for profiling one side.
 *
 * <p>The states come from {@link StatesCache} (fixtures from the system property
 * {@code gitops.fixtures}). Setup checks that the plan finds exactly the changed objects and the
 * lower bound exactly the unchanged pairs, so both sides answer the same question.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PlanBenchmark {
  /** The seed of every generated state. */
  public static final long SEED = 20_251_128L;

  /** How many objects. */
  @Param({"1000"})
  public int n;

  /** How many objects per thousand changed. */
  @Param({"0"})
  public int changedPermille;

  /** Whether setup makes the compact copies {@link #pairedCompact} compares with. */
  @Param({"false"})
  public boolean compactAnchor;

  private GeneratedStates states;
  private JsonNode[] desired;
  private JsonNode[] stripped;
  private JsonNode[] compact;
  private PlanOptions options;
  private final Planner planner = new Planner();

  /** Generates the states and checks that the plan sees exactly the changed objects. */
  @Setup(Level.Trial)
  public void setUp() {
    states = StatesCache.get(n, changedPermille);
    // The lower bound compares the pairs in the order the plan meets them (by id), not in
    // generation order: at 100,000 objects walking memory in allocation order alone is about 1.3x
    // faster (GeneratedStates.idOrder), an edge no plan over id-sorted states can have.
    int[] order = states.idOrder();
    desired = new JsonNode[order.length];
    stripped = new JsonNode[order.length];
    for (int k = 0; k < order.length; k++) {
      desired[k] = states.desiredTrees().get(order[k]);
      stripped[k] = states.strippedActual().get(order[k]);
    }
    if (compactAnchor) {
      compact = new JsonNode[stripped.length];
      for (int i = 0; i < stripped.length; i++) {
        compact[i] = JsonTrees.compactCopy(stripped[i]);
      }
    }
    options = K8sDiffOptions.planOptions();
    Plan plan = plan();
    long updates = plan.actions().stream().filter(a -> a.kind() == Action.Kind.UPDATE).count();
    if (updates != states.changed() || plan.actions().size() != n) {
      throw new IllegalStateException("plan of " + states + " has " + updates + " updates in "
          + plan.actions().size() + " actions; expected " + states.changed() + " in " + n + ": "
          + plan.summary());
    }
    if (jsonNodeEquals() != n - states.changed()) {
      throw new IllegalStateException("lower bound found " + jsonNodeEquals() + " equal pairs");
    }
    if (compactAnchor && compactEquals() != n - states.changed()) {
      throw new IllegalStateException("lower bound found " + compactEquals() + " equal pairs"
          + " over compact copies");
    }
  }

  /** {@return the plan of the desired state against the actual state} */
  @Benchmark
  public Plan plan() {
    return planner.plan(states.desired(), states.actual(), options);
  }

  /**
   * One plan, then one pass of the lower bound over the same pairs, each timed into
   * {@code times}. {@return a value of both, so that neither is dead code}
   */
  @Benchmark
  public int paired(PairTimes times) {
    return pairedWith(times, stripped);
  }

  /**
   * As {@link #paired}, against the lower bound over compact copies of the stripped trees (needs
   * {@code compactAnchor=true}). {@return a value of both, so that neither is dead code}
   */
  @Benchmark
  public int pairedCompact(PairTimes times) {
    return pairedWith(times, compact());
  }

  private int pairedWith(PairTimes times, JsonNode[] actual) {
    long start = System.nanoTime();
    Plan plan = plan();
    long planned = System.nanoTime();
    int equal = equalPairs(actual);
    times.add(start, planned, System.nanoTime());
    return plan.waves().size() + equal;
  }

  /** {@return how many stripped pairs are equal}: the lower bound of any plan. */
  @Benchmark
  public int jsonNodeEquals() {
    return equalPairs(stripped);
  }

  /** {@return how many pairs are equal} when the stripped trees are compact copies. */
  @Benchmark
  public int compactEquals() {
    return equalPairs(compact());
  }

  private JsonNode[] compact() {
    if (compact == null) {
      throw new IllegalStateException("the compact lower bound needs -p compactAnchor=true");
    }
    return compact;
  }

  private int equalPairs(JsonNode[] actual) {
    int equal = 0;
    for (int i = 0; i < desired.length; i++) {
      if (desired[i].equals(actual[i])) {
        equal++;
      }
    }
    return equal;
  }
}
